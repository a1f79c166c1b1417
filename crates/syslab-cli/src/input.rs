//! Where a scenario comes from: a JSON file, standard input (`-`), or a playground link.

use std::io::Read;

use syslab_core::{Notice, Scenario};

use crate::error::CliError;

/// A scenario operand, classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source<'a> {
    /// `-`: JSON on standard input.
    Stdin,
    /// A JSON file.
    File(&'a str),
    /// A playground link or path with a query.
    Url(&'a str),
}

impl<'a> Source<'a> {
    /// Decides what `arg` is. Links start with `http://` or `https://` or carry a query; a
    /// path starting with `/` is a file if one exists there, else a link if it names a lab
    /// (`/ring`), else a file (so a mistyped path reports "no such file").
    pub fn of(arg: &'a str) -> Self {
        let is_link =
            arg.starts_with("http://") || arg.starts_with("https://") || arg.contains('?');
        let is_lab_path = || {
            arg.starts_with('/')
                && !std::path::Path::new(arg).exists()
                && syslab_core::lab_info(syslab_core::query::last_segment(arg)).is_some()
        };
        if arg == "-" {
            Source::Stdin
        } else if is_link || is_lab_path() {
            Source::Url(arg)
        } else {
            Source::File(arg)
        }
    }
}

/// A scenario that was read, with where it came from and what a link got wrong.
pub struct Input {
    /// The scenario.
    pub scenario: Scenario,
    /// Problems with a link's parameters, each replaced by a default.
    pub notices: Vec<Notice>,
    /// Where it came from, for error messages: a path, "standard input" or the link.
    pub origin: String,
    /// Fields of a JSON scenario that no lab reads (typos such as `vnode`), as paths.
    pub unknown: Vec<String>,
}

/// Reads the scenario `arg` names.
pub fn read_scenario(arg: &str, stdin: &mut dyn Read) -> Result<Input, CliError> {
    let (origin, text) = match Source::of(arg) {
        Source::Url(url) => {
            let (scenario, notices) =
                Scenario::from_url(url).map_err(|err| CliError::Scenario(err.to_string()))?;
            return Ok(Input {
                scenario,
                notices,
                origin: url.to_owned(),
                unknown: Vec::new(),
            });
        }
        Source::Stdin => {
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .map_err(|err| CliError::Scenario(format!("cannot read standard input: {err}")))?;
            ("standard input".to_owned(), text)
        }
        Source::File(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|err| CliError::Scenario(format!("cannot read {path}: {err}")))?;
            (path.to_owned(), text)
        }
    };
    let scenario =
        Scenario::from_json(&text).map_err(|err| CliError::Scenario(format!("{origin}: {err}")))?;
    let unknown = unknown_fields(&text, &scenario);
    Ok(Input {
        scenario,
        notices: Vec::new(),
        origin,
        unknown,
    })
}

/// The fields of JSON `text` that reading it as `scenario` ignored: serde skips unknown
/// fields, so they are the keys that the scenario, written back, does not have.
fn unknown_fields(text: &str, scenario: &Scenario) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (Ok(given), Ok(known)) = (
        serde_json::from_str::<serde_json::Value>(text),
        serde_json::to_value(scenario),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    compare(&given, &known, "", &mut out);
    out
}

/// Adds to `out` the paths of keys in `given` that `known` lacks, walking both together.
fn compare(
    given: &serde_json::Value,
    known: &serde_json::Value,
    path: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value;
    match (given, known) {
        (Value::Object(given), Value::Object(known)) => {
            for (key, value) in given {
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match known.get(key) {
                    Some(k) => compare(value, k, &here, out),
                    // A field left out of the output when empty (a node's `pins`) is known.
                    None if value.as_array().is_some_and(Vec::is_empty) => {}
                    None => out.push(here),
                }
            }
        }
        (Value::Array(given), Value::Array(known)) => {
            for (i, (g, k)) in given.iter().zip(known).enumerate() {
                compare(g, k, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_operands() {
        assert_eq!(Source::of("-"), Source::Stdin);
        assert_eq!(Source::of("scenario.json"), Source::File("scenario.json"));
        assert_eq!(Source::of("http://x/ring"), Source::Url("http://x/ring"));
        assert_eq!(Source::of("https://x/ring"), Source::Url("https://x/ring"));
        assert_eq!(Source::of("ring?seed=1"), Source::Url("ring?seed=1"));
        assert_eq!(Source::of("/ring"), Source::Url("/ring"));
        assert_eq!(Source::of("/a/b/ring/"), Source::Url("/a/b/ring/"));
        assert_eq!(
            Source::of("/no/such/file.json"),
            Source::File("/no/such/file.json")
        );
    }

    #[test]
    fn finds_fields_no_lab_reads() {
        let text = r#"{"lab":"ring","vnode":5,"config":{"seed":2,"replication":1,"nodes":[{"name":"A","pins":[]},{"name":"B","wieght":2}],"keys":{"kind":"generated","count":3,"prefix":"k","cnt":3}}}"#;
        let scenario = Scenario::from_json(text).expect("valid");
        assert_eq!(
            unknown_fields(text, &scenario),
            ["config.keys.cnt", "config.nodes[1].wieght", "vnode"]
        );
        let clean = serde_json::to_string(&scenario).expect("serialize");
        assert_eq!(unknown_fields(&clean, &scenario), Vec::<String>::new());
    }
}
