//! What each command does, writing to the given streams so tests can run it in memory.

use std::io::{Read, Write};

use syslab_core::{LABS, LabStatus, Scenario, cache, query, ratelimit};

use crate::args::{Command, USAGE};
use crate::error::CliError;
use crate::input::{Input, read_scenario};

/// Runs `command`. Results go to `out`, warnings to `err`; a failure is returned, not printed.
pub fn execute(
    command: &Command,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), CliError> {
    match command {
        Command::Help => out.write_all(USAGE.as_bytes())?,
        Command::Version => writeln!(out, "syslab {}", env!("CARGO_PKG_VERSION"))?,
        Command::Labs => {
            let width = LABS.iter().map(|lab| lab.id.len()).max().unwrap_or(0);
            for lab in LABS {
                let status = match lab.status {
                    LabStatus::Ready => "ready",
                    LabStatus::Cli => "cli",
                    LabStatus::Coming => "coming",
                };
                writeln!(out, "{:width$}  {status:6}  {}", lab.id, lab.title)?;
            }
        }
        Command::Example {
            lab,
            preset,
            compact,
        } => {
            let scenario = match preset {
                None => Scenario::example(lab).ok_or_else(|| not_ready(lab))?,
                Some(id) => {
                    let presets = presets_of(lab)?;
                    let ids = presets.iter().map(|p| p.id).collect::<Vec<_>>().join(", ");
                    let found = presets.into_iter().find(|p| p.id == id);
                    match found {
                        Some(p) => p.scenario,
                        None if ids.is_empty() => {
                            return Err(CliError::Usage(format!("{lab} has no presets")));
                        }
                        None => {
                            return Err(CliError::Usage(format!(
                                "{id:?} is not a preset of {lab}; the presets are: {ids}"
                            )));
                        }
                    }
                }
            };
            let json = if *compact {
                serde_json::to_string(&scenario)
            } else {
                serde_json::to_string_pretty(&scenario)
            };
            write_json(out, json)?;
        }
        Command::Presets { lab } => {
            let presets = presets_of(lab)?;
            if presets.is_empty() {
                writeln!(
                    out,
                    "{lab} has no presets; `syslab example {lab}` prints its default scenario"
                )?;
            }
            let width = presets.iter().map(|p| p.id.len()).max().unwrap_or(0);
            for p in &presets {
                writeln!(out, "{:width$}  {}", p.id, p.title)?;
            }
        }
        Command::Run { input, compact } => {
            let input = read_reporting(input, stdin, err)?;
            let snapshot = input.scenario.run().map_err(|e| refused(&input, e))?;
            let json = if *compact {
                serde_json::to_string(&snapshot)
            } else {
                serde_json::to_string_pretty(&snapshot)
            };
            write_json(out, json)?;
        }
        Command::Url { input } => {
            let input = read_reporting(input, stdin, err)?;
            // A link to a scenario the lab refuses would open as something else.
            input.scenario.run().map_err(|e| refused(&input, e))?;
            let scenario = &input.scenario;
            let params = scenario.to_params();
            let id = scenario.lab_id();
            if !matches!(Scenario::from_params(id, &params), Ok((back, _)) if &back == scenario) {
                writeln!(
                    err,
                    "warning: the link does not reproduce this scenario exactly; share the JSON instead"
                )?;
            }
            if params.is_empty() {
                writeln!(out, "/{id}")?;
            } else {
                writeln!(out, "/{id}?{}", query::encode_query(&params))?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Reads a scenario, printing a warning for each parameter a link got wrong.
fn read_reporting(arg: &str, stdin: &mut dyn Read, err: &mut dyn Write) -> Result<Input, CliError> {
    let input = read_scenario(arg, stdin)?;
    for notice in &input.notices {
        writeln!(err, "warning: {notice}")?;
    }
    Ok(input)
}

/// The error for a scenario the lab refuses to run.
fn refused(input: &Input, error: syslab_core::ConfigError) -> CliError {
    CliError::Scenario(format!("{}: {error}", input.origin))
}

/// A ready-made scenario of a lab.
struct Preset {
    id: &'static str,
    title: &'static str,
    scenario: Scenario,
}

/// A ready lab's presets in menu order; none for a lab that has no presets. The match is
/// exhaustive, so a new lab's variant must say here whether it has presets.
fn presets_of(lab: &str) -> Result<Vec<Preset>, CliError> {
    let example = Scenario::example(lab).ok_or_else(|| not_ready(lab))?;
    Ok(match example {
        Scenario::Ring(_) => Vec::new(),
        Scenario::RateLimiter(_) => ratelimit::presets()
            .into_iter()
            .map(|(id, title, scenario)| Preset {
                id,
                title,
                scenario: Scenario::RateLimiter(scenario),
            })
            .collect(),
        Scenario::Cache(_) => cache::presets()
            .into_iter()
            .map(|(id, title, scenario)| Preset {
                id,
                title,
                scenario: Scenario::Cache(scenario),
            })
            .collect(),
    })
}

/// The error for a lab name that is not a ready lab.
fn not_ready(lab: &str) -> CliError {
    CliError::Usage(format!(
        "{lab:?} is not a ready lab; the labs are: {}",
        ready()
    ))
}

/// The labs whose simulation runs here, whether or not the site shows them yet.
fn ready() -> String {
    LABS.iter()
        .filter(|lab| Scenario::example(lab.id).is_some())
        .map(|lab| lab.id)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes serialized JSON and a newline.
fn write_json(out: &mut dyn Write, json: serde_json::Result<String>) -> Result<(), CliError> {
    let text = json.map_err(|e| CliError::Scenario(format!("cannot write JSON: {e}")))?;
    writeln!(out, "{text}")?;
    Ok(())
}
