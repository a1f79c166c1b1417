//! The command line, parsed by hand: a command word, its one operand, and a few flags.

use crate::error::CliError;

/// What the user asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Print the usage text.
    Help,
    /// Print the version.
    Version,
    /// List the labs in the registry.
    Labs,
    /// Print a lab's default scenario, or one of its presets.
    Example {
        /// The lab's id.
        lab: String,
        /// A preset's id (`--preset ID`): print that preset instead of the default.
        preset: Option<String>,
        /// One-line JSON instead of pretty JSON.
        compact: bool,
    },
    /// List a lab's presets.
    Presets {
        /// The lab's id.
        lab: String,
    },
    /// List a lab's parameters (from its schema).
    Params {
        /// The lab's id.
        lab: String,
    },
    /// Run the published results the labs reproduce and print a table.
    Check {
        /// Only this lab's checks.
        lab: Option<String>,
    },
    /// Run a scenario and print its snapshot.
    Run {
        /// A JSON file, `-` for standard input, or a playground link.
        input: String,
        /// One-line JSON instead of pretty JSON.
        compact: bool,
    },
    /// Print a scenario's share link.
    Url {
        /// A JSON file, `-` for standard input, or a playground link.
        input: String,
    },
    /// Replay a trace file through every cache policy.
    Trace {
        /// The trace file, or `-` for standard input.
        input: String,
        /// The policy shown first (`--policy P`).
        policy: Option<String>,
        /// The cache size in objects (`--size N`); default 10% of the distinct keys.
        size: Option<String>,
        /// Whether a malformed line rejects the trace (`--strict`) or is skipped (`--skip-bad`).
        strict: bool,
        /// Print the snapshot as JSON instead of tables (`--json`).
        json: bool,
    },
}

pub const USAGE: &str = "\
syslab: run system-design lab scenarios and print their snapshots as JSON

usage:
  syslab run INPUT [--compact]   run a scenario and print its snapshot
  syslab example LAB [--preset ID] [--compact]
                                 print a lab's default scenario, or one of its presets
  syslab presets LAB             list a lab's presets (ids and titles)
  syslab params LAB              list a lab's link parameters: key, accepted values, default
  syslab url INPUT               print a scenario's share link (/ring?…)
  syslab check [LAB]             run the published and closed-form results the labs
                                 reproduce; a table, exit code 1 if one fails
  syslab trace FILE [--policy P] [--size N] [--skip-bad|--strict] [--json]
                                 replay a trace through every cache policy: hit ratios
                                 and the miss-ratio curve
  syslab labs                    list the labs
  syslab help                    print this text (also --help, -h)
  syslab --version               print the version

INPUT is a scenario JSON file, - for standard input, or a playground link such as
'http://127.0.0.1:8080/ring?vnodes=50&nodes=8' or '/ring?seed=7'. Parameters a link gets
wrong are reported as warnings and replaced by their defaults.

  syslab example ring | syslab run -
  syslab example rate-limiter --preset boundary-burst | syslab run -
  syslab run '/rate-limiter?preset=boundary-burst'
  syslab example cache --preset scan-pollution | syslab run -
  syslab example load-balancer --preset slow-server | syslab run -

A trace FILE (or - for standard input) has one request per line: KEY, or KEY,OP, or
KEY,OP,SIZE, separated by commas, tabs or spaces. OP is get/read/r or set/put/write/w
(default: a read); blank lines, # comments and a first line `key,...` are ignored. Keys are
any text up to 250 bytes. Malformed lines are reported with their line number and skipped
(--skip-bad, the default) or reject the whole trace (--strict). --size defaults to 10% of
the distinct keys; policies: lru lfu fifo mru random clock arc sieve s3_fifo tinylfu belady.

exit codes: 0 success, 1 the scenario could not be read or run (or a check failed), 2 bad
command line
";

/// Parses the process's arguments.
pub fn from_env() -> Result<Command, CliError> {
    let args = std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string()
                .map_err(|arg| CliError::Usage(format!("argument {arg:?} is not valid UTF-8")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    parse(&args)
}

/// Parses arguments (without the program name).
pub fn parse(args: &[String]) -> Result<Command, CliError> {
    let Some((word, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    let mut compact = false;
    let mut help = false;
    let mut preset = None;
    let mut policy = None;
    let mut size = None;
    let mut strict = None;
    let mut json = false;
    let mut operands = Vec::new();
    let mut only_operands = false;
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            _ if only_operands => operands.push(arg.clone()),
            "--" => only_operands = true,
            "--compact" => compact = true,
            "--help" | "-h" => help = true,
            "--preset" => match rest.next() {
                Some(id) if !id.starts_with('-') => preset = Some(id.clone()),
                _ => return Err(CliError::Usage("--preset needs a preset's id".into())),
            },
            flag if let Some(id) = flag.strip_prefix("--preset=") => preset = Some(id.to_owned()),
            "--policy" | "--size" => match rest.next() {
                // A negative number is a (wrong) value, not an option: let the command say so.
                Some(v) if !v.starts_with('-') || v.parse::<f64>().is_ok() => {
                    if arg == "--policy" {
                        policy = Some(v.clone());
                    } else {
                        size = Some(v.clone());
                    }
                }
                _ => return Err(CliError::Usage(format!("{arg} needs a value"))),
            },
            flag if let Some(v) = flag.strip_prefix("--policy=") => policy = Some(v.to_owned()),
            flag if let Some(v) = flag.strip_prefix("--size=") => size = Some(v.to_owned()),
            "--strict" | "--skip-bad" => {
                let this = arg == "--strict";
                if strict.is_some_and(|s| s != this) {
                    return Err(CliError::Usage(
                        "--strict and --skip-bad exclude each other".into(),
                    ));
                }
                strict = Some(this);
            }
            "--json" => json = true,
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(CliError::Usage(format!("unknown option {flag}")));
            }
            _ => operands.push(arg.clone()),
        }
    }
    if help {
        return Ok(Command::Help);
    }
    let command = match word.as_str() {
        "help" | "--help" | "-h" => return Ok(Command::Help),
        "--version" | "-V" | "version" => Command::Version,
        "labs" => Command::Labs,
        "example" => Command::Example {
            lab: one_operand(word, &operands, "a lab, such as `ring`")?,
            preset: preset.clone(),
            compact,
        },
        "presets" => Command::Presets {
            lab: one_operand(word, &operands, "a lab, such as `rate-limiter`")?,
        },
        "params" => Command::Params {
            lab: one_operand(word, &operands, "a lab, such as `cache`")?,
        },
        "check" => Command::Check {
            lab: match operands.as_slice() {
                [] => None,
                [lab] => Some(lab.clone()),
                [_, extra, ..] => {
                    return Err(CliError::Usage(format!(
                        "`check` takes at most one lab; unexpected {extra:?}"
                    )));
                }
            },
        },
        "run" => Command::Run {
            input: one_operand(word, &operands, "a scenario file, - or a link")?,
            compact,
        },
        "url" => Command::Url {
            input: one_operand(word, &operands, "a scenario file, - or a link")?,
        },
        "trace" => Command::Trace {
            input: one_operand(word, &operands, "a trace file or -")?,
            policy: policy.clone(),
            size: size.clone(),
            strict: strict.unwrap_or(false),
            json,
        },
        other => return Err(CliError::Usage(format!("unknown command {other:?}"))),
    };
    if compact && !matches!(command, Command::Run { .. } | Command::Example { .. }) {
        return Err(CliError::Usage(format!("`{word}` has no --compact option")));
    }
    if preset.is_some() && !matches!(command, Command::Example { .. }) {
        return Err(CliError::Usage(format!("`{word}` has no --preset option")));
    }
    let is_trace = matches!(command, Command::Trace { .. });
    if !is_trace && (policy.is_some() || size.is_some() || strict.is_some() || json) {
        return Err(CliError::Usage(format!(
            "`{word}` has no --policy, --size, --strict, --skip-bad or --json option"
        )));
    }
    if matches!(command, Command::Labs | Command::Version) && !operands.is_empty() {
        return Err(CliError::Usage(format!("`{word}` takes no arguments")));
    }
    Ok(command)
}

fn one_operand(word: &str, operands: &[String], what: &str) -> Result<String, CliError> {
    match operands {
        [operand] => Ok(operand.clone()),
        [] => Err(CliError::Usage(format!("`{word}` needs {what}"))),
        [_, extra, ..] => Err(CliError::Usage(format!(
            "`{word}` takes one argument; unexpected {extra:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(args: &[&str], expected: Result<Command, &str>) {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        match (parse(&args), expected) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{args:?}"),
            (Err(CliError::Usage(msg)), Err(needle)) => {
                assert!(msg.contains(needle), "{args:?}: {msg}")
            }
            (got, want) => panic!("{args:?}: got {got:?}, expected {want:?}"),
        }
    }

    #[test]
    fn parses_commands() {
        let run = |input: &str, compact| Command::Run {
            input: input.to_owned(),
            compact,
        };
        check(&[], Ok(Command::Help));
        check(&["help"], Ok(Command::Help));
        check(&["-h"], Ok(Command::Help));
        check(&["run", "--help"], Ok(Command::Help));
        check(&["--version"], Ok(Command::Version));
        check(&["labs"], Ok(Command::Labs));
        check(&["run", "-"], Ok(run("-", false)));
        check(&["run", "--compact", "a.json"], Ok(run("a.json", true)));
        check(&["run", "a.json", "--compact"], Ok(run("a.json", true)));
        check(&["run", "--", "--odd.json"], Ok(run("--odd.json", false)));
        let example = |lab: &str, preset: Option<&str>, compact| Command::Example {
            lab: lab.to_owned(),
            preset: preset.map(str::to_owned),
            compact,
        };
        check(&["example", "ring"], Ok(example("ring", None, false)));
        check(
            &["example", "rate-limiter", "--preset", "flash-sale"],
            Ok(example("rate-limiter", Some("flash-sale"), false)),
        );
        check(
            &[
                "example",
                "--compact",
                "--preset=flash-sale",
                "rate-limiter",
            ],
            Ok(example("rate-limiter", Some("flash-sale"), true)),
        );
        check(
            &["presets", "rate-limiter"],
            Ok(Command::Presets {
                lab: "rate-limiter".to_owned(),
            }),
        );
        check(
            &[
                "trace",
                "t.csv",
                "--policy",
                "sieve",
                "--size=50",
                "--strict",
            ],
            Ok(Command::Trace {
                input: "t.csv".to_owned(),
                policy: Some("sieve".to_owned()),
                size: Some("50".to_owned()),
                strict: true,
                json: false,
            }),
        );
        check(
            &["url", "/ring?seed=2"],
            Ok(Command::Url {
                input: "/ring?seed=2".to_owned(),
            }),
        );
    }

    #[test]
    fn refuses_bad_command_lines() {
        check(&["frobnicate"], Err("unknown command \"frobnicate\""));
        check(&["run"], Err("`run` needs a scenario file"));
        check(&["run", "a", "b"], Err("unexpected \"b\""));
        check(&["run", "--fast", "a"], Err("unknown option --fast"));
        check(&["example"], Err("`example` needs a lab"));
        check(
            &["url", "a", "--compact"],
            Err("`url` has no --compact option"),
        );
        check(&["labs", "extra"], Err("`labs` takes no arguments"));
        check(
            &["trace", "t", "--strict", "--skip-bad"],
            Err("exclude each other"),
        );
        check(&["trace", "t", "--size"], Err("--size needs a value"));
        check(
            &["trace", "t", "--size", "--json"],
            Err("--size needs a value"),
        );
        check(
            &["trace", "t", "--size", "-1"],
            Ok(Command::Trace {
                input: "t".to_owned(),
                policy: None,
                size: Some("-1".to_owned()),
                strict: false,
                json: false,
            }),
        );
        check(&["run", "a", "--json"], Err("`run` has no --policy"));
        check(&["presets"], Err("`presets` needs a lab"));
        check(
            &["example", "rate-limiter", "--preset"],
            Err("--preset needs a preset's id"),
        );
        check(
            &["example", "rate-limiter", "--preset", "--compact"],
            Err("--preset needs a preset's id"),
        );
        check(
            &["run", "a.json", "--preset", "x"],
            Err("`run` has no --preset option"),
        );
        check(
            &["presets", "ring", "--compact"],
            Err("`presets` has no --compact option"),
        );
    }
}
