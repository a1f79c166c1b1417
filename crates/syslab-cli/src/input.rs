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
    Ok(Input {
        scenario,
        notices: Vec::new(),
        origin,
    })
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
}
