//! What each command does, writing to the given streams so tests can run it in memory.

use std::io::{Read, Write};

use syslab_core::{LABS, LabStatus, Scenario, cache, query};

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
        Command::Check { lab } => check(lab.as_deref(), out)?,
        Command::Params { lab } => {
            let params = Scenario::params(lab).ok_or_else(|| not_ready(lab))?;
            let key_width = params.iter().map(|p| p.key.len()).max().unwrap_or(0);
            for p in &params {
                let unit = if p.unit.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", p.unit)
                };
                let default = if p.default.is_empty() {
                    "none".to_owned()
                } else {
                    p.default.clone()
                };
                writeln!(out, "{:key_width$}  {}{unit}: {}", p.key, p.label, p.help)?;
                writeln!(
                    out,
                    "{:key_width$}  accepts {}; default {default}",
                    "", p.accepts
                )?;
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
        Command::Trace {
            input,
            policy,
            size,
            strict,
            json,
        } => trace(
            input,
            policy.as_deref(),
            size.as_deref(),
            *strict,
            *json,
            stdin,
            out,
        )?,
        Command::Url { input } => {
            let input = read_reporting(input, stdin, err)?;
            // A link to a scenario the lab refuses would open as something else.
            input.scenario.check().map_err(|e| refused(&input, e))?;
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

/// `syslab trace`: parses the trace in slices, replays it through every policy, and prints
/// the hit ratios and the miss-ratio curve (or the snapshot as JSON).
fn trace(
    input: &str,
    policy: Option<&str>,
    size: Option<&str>,
    strict: bool,
    json: bool,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    use cache::{BadLines, CacheConfig, CacheLab, CacheScenario, PolicyKind, TraceParser};
    let policy = match policy {
        None => PolicyKind::Lru,
        Some(id) => PolicyKind::from_id(id).ok_or_else(|| {
            let ids: Vec<&str> = PolicyKind::ALL.iter().map(|k| k.id()).collect();
            CliError::Usage(format!(
                "{id:?} is not a policy; the policies are: {}",
                ids.join(", ")
            ))
        })?,
    };
    let size = match size {
        None => None,
        Some(text) => Some(
            text.parse::<u32>()
                .ok()
                .filter(|n| (1..=cache::MAX_CAPACITY).contains(n))
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "--size {text:?} is not a cache size: give a whole number of objects \
                         from 1 to {}",
                        cache::MAX_CAPACITY
                    ))
                })?,
        ),
    };
    let mode = if strict {
        BadLines::Reject
    } else {
        BadLines::Skip
    };
    let mut parser = TraceParser::new(mode);
    let mut file;
    let (origin, reader): (&str, &mut dyn Read) = if input == "-" {
        ("standard input", stdin)
    } else {
        file = std::fs::File::open(input)
            .map_err(|e| CliError::Scenario(format!("cannot read {input}: {e}")))?;
        (input, &mut file)
    };
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = reader
            .read(&mut buffer)
            .map_err(|e| CliError::Scenario(format!("cannot read {origin}: {e}")))?;
        if n == 0 {
            break;
        }
        parser
            .feed(&buffer[..n])
            .map_err(|e| CliError::Scenario(format!("{origin}: {e}")))?;
    }
    let trace = parser
        .finish()
        .map_err(|e| CliError::Scenario(format!("{origin}: {e}")))?;
    // Every policy runs at this size: stay within the core's limit on slots in all.
    let most = cache::MAX_TOTAL_SLOTS / PolicyKind::ALL.len() as u64;
    let capacity = size.unwrap_or_else(|| (trace.n_keys() / 10).clamp(1, most) as u32);
    let scenario = CacheScenario {
        config: CacheConfig {
            policy,
            compare: PolicyKind::ALL
                .into_iter()
                .filter(|&k| k != policy)
                .collect(),
            capacity,
            workload: cache::WorkloadConfig {
                kind: cache::WorkloadKind::Trace,
                strict,
                ..cache::WorkloadConfig::default()
            },
            ..CacheConfig::default()
        },
        ..CacheScenario::default()
    };
    let mut lab = CacheLab::with_trace(&scenario, trace)
        .map_err(|e| CliError::Scenario(format!("{origin}: {e}")))?;
    lab.run_to_end();
    let snapshot = lab.snapshot();
    if json {
        return write_json(out, serde_json::to_string_pretty(&snapshot));
    }
    if let Some(info) = &snapshot.trace {
        writeln!(
            out,
            "{origin}: {} requests, {} distinct keys, {} malformed lines skipped",
            info.requests, info.keys, info.skipped_lines
        )?;
        for bad in &info.skipped {
            writeln!(out, "  skipped {bad}")?;
        }
    }
    writeln!(
        out,
        "\nhit ratio with {capacity} objects (every request an access):"
    )?;
    for row in &snapshot.rows {
        writeln!(
            out,
            "  {:<18} {:>7}   byte miss ratio {:>7}",
            row.policy.label(),
            syslab_core::format::percent(row.hit_ratio),
            syslab_core::format::percent(row.byte_miss_ratio)
        )?;
    }
    writeln!(out, "\nmiss-ratio curve (hit ratio by cache size):")?;
    if let Some(first) = snapshot.mrc.first() {
        write!(out, "  {:<18}", "size")?;
        for p in &first.points {
            write!(out, " {:>8}", p.size)?;
        }
        writeln!(out)?;
    }
    for curve in &snapshot.mrc {
        write!(out, "  {:<18}", curve.policy.label())?;
        for p in &curve.points {
            write!(out, " {:>8}", syslab_core::format::percent(p.hit_ratio))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Reads a scenario, printing a warning for each parameter a link got wrong and each JSON
/// field no lab reads.
fn read_reporting(arg: &str, stdin: &mut dyn Read, err: &mut dyn Write) -> Result<Input, CliError> {
    let input = read_scenario(arg, stdin)?;
    for notice in &input.notices {
        writeln!(err, "warning: {notice}")?;
    }
    for field in &input.unknown {
        writeln!(
            err,
            "warning: {}: unknown field {field:?} is ignored",
            input.origin
        )?;
    }
    Ok(input)
}

/// The error for a scenario the lab refuses to run.
fn refused(input: &Input, error: syslab_core::ConfigError) -> CliError {
    CliError::Scenario(format!("{}: {error}", input.origin))
}

/// A ready-made scenario of a lab.
/// A registered lab's presets in menu order (none for a lab without presets).
fn presets_of(lab: &str) -> Result<Vec<Preset>, CliError> {
    let presets = Scenario::presets(lab).ok_or_else(|| not_ready(lab))?;
    Ok(presets
        .into_iter()
        .map(|(info, scenario)| Preset {
            id: info.id,
            title: info.title,
            scenario,
        })
        .collect())
}

struct Preset {
    id: &'static str,
    title: &'static str,
    scenario: Scenario,
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

/// Runs every check (of one lab, or all), printing a row as each finishes; fails if one does.
fn check(lab: Option<&str>, out: &mut dyn Write) -> Result<(), CliError> {
    if let Some(lab) = lab
        && Scenario::example(lab).is_none()
    {
        return Err(not_ready(lab));
    }
    let checks: Vec<_> = syslab_core::checks()
        .into_iter()
        .filter(|c| lab.is_none_or(|lab| c.lab == lab))
        .collect();
    if checks.is_empty() {
        writeln!(out, "{} has no checks yet", lab.unwrap_or("no lab"))?;
        return Ok(());
    }
    let width = checks
        .iter()
        .map(|c| c.lab.len() + 1 + c.id.len())
        .max()
        .unwrap_or(0);
    writeln!(
        out,
        "{:width$}  {:>13}  {:>13}  {:>9}  {:4}  source",
        "check", "expected", "measured", "tolerance", "pass"
    )?;
    let mut failed = Vec::new();
    for c in &checks {
        let outcome = c.run();
        let unit = |x: f64| {
            if c.unit.is_empty() {
                syslab_core::format::figure(x)
            } else {
                format!("{} {}", syslab_core::format::figure(x), c.unit)
            }
        };
        let measured = match &outcome.measured {
            Ok(m) => unit(*m),
            Err(_) => "error".to_owned(),
        };
        writeln!(
            out,
            "{:width$}  {:>13}  {:>13}  {:>9}  {:4}  {}",
            format!("{}/{}", c.lab, c.id),
            unit(c.expected),
            measured,
            c.tolerance.describe(),
            if outcome.pass { "ok" } else { "FAIL" },
            c.source
        )?;
        if let Err(e) = &outcome.measured {
            writeln!(out, "{:width$}  error: {e}", "")?;
        }
        out.flush()?;
        if !outcome.pass {
            failed.push(format!("{}/{}", c.lab, c.id));
        }
    }
    if failed.is_empty() {
        writeln!(out, "{} checks passed", checks.len())?;
        Ok(())
    } else {
        Err(CliError::Scenario(format!(
            "{} of {} checks failed: {}",
            failed.len(),
            checks.len(),
            failed.join(", ")
        )))
    }
}
