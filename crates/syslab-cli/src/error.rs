//! The CLI's errors, and the exit code each kind maps to.

use std::fmt;
use std::io;

/// Why a command failed.
#[derive(Debug)]
pub enum CliError {
    /// The command line itself is wrong: unknown command or flag, missing or extra operand,
    /// unknown lab name. Exit code 2.
    Usage(String),
    /// The scenario could not be read or run: unreadable file, bad JSON, invalid config, a link
    /// to an unknown lab. Exit code 1.
    Scenario(String),
    /// Writing the output failed. Exit code 1.
    Output(io::Error),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Scenario(_) | CliError::Output(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(msg) => write!(f, "{msg} (see `syslab help`)"),
            CliError::Scenario(msg) => f.write_str(msg),
            CliError::Output(err) => write!(f, "cannot write the output: {err}"),
        }
    }
}

impl From<io::Error> for CliError {
    fn from(err: io::Error) -> Self {
        CliError::Output(err)
    }
}
