//! Errors for configs and actions the core refuses.
//!
//! The core never panics on input: anything it cannot simulate is reported as one of these,
//! with a message a user can act on.

use std::fmt;

/// Why a config, scenario or action was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// A numeric parameter is outside the range the lab supports.
    OutOfRange {
        /// The parameter's name as a user sees it.
        what: &'static str,
        /// The rejected value, printed.
        value: String,
        /// The accepted range, printed.
        range: &'static str,
    },
    /// The ring has no node, but the operation needs one.
    NoNodes,
    /// The replication factor asks for more distinct nodes than there are.
    ReplicationTooLarge {
        /// The requested replication factor.
        replication: u32,
        /// The number of nodes.
        n_nodes: usize,
    },
    /// Two nodes share a name.
    DuplicateNode(String),
    /// A node name is empty, too long or uses characters outside `A-Z a-z 0-9 _ - .`.
    BadNodeName(String),
    /// An action names a node that does not exist.
    UnknownNode(String),
    /// A user-supplied key list has a problem.
    BadKey {
        /// The 1-based line of the key in the supplied list.
        line: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The scenario was written by a newer syslab.
    UnsupportedVersion(u32),
    /// The scenario text could not be parsed.
    Parse(String),
    /// A setting or a combination of settings the lab refuses, as a sentence.
    Invalid(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::OutOfRange { what, value, range } => {
                write!(f, "{what} must be {range} (got {value})")
            }
            ConfigError::NoNodes => write!(f, "the ring needs at least one node"),
            ConfigError::ReplicationTooLarge {
                replication,
                n_nodes,
            } => write!(
                f,
                "replication factor {replication} needs at least {replication} nodes, but there are {n_nodes}"
            ),
            ConfigError::DuplicateNode(name) => write!(f, "two nodes are named {name:?}"),
            ConfigError::BadNodeName(name) => write!(
                f,
                "node name {name:?} must be 1 to 32 characters from A-Z, a-z, 0-9, '_', '-', '.'"
            ),
            ConfigError::UnknownNode(name) => write!(f, "there is no node named {name:?}"),
            ConfigError::BadKey { line, reason } => write!(f, "key on line {line}: {reason}"),
            ConfigError::UnsupportedVersion(v) => write!(
                f,
                "scenario version {v} is newer than this syslab understands (up to {})",
                crate::SCENARIO_VERSION
            ),
            ConfigError::Parse(msg) => write!(f, "could not read the scenario: {msg}"),
            ConfigError::Invalid(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Checks that `value` is a number (not NaN or infinite) in `lo..=hi`, naming the parameter in
/// the error.
pub(crate) fn check_f64(
    what: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
    range: &'static str,
) -> Result<(), ConfigError> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(())
    } else {
        Err(ConfigError::OutOfRange {
            what,
            // Not `to_string`: f64's `Display` links 10 KB of float formatting into the page.
            value: crate::format::trimmed(value, 6),
            range,
        })
    }
}

/// Checks that `value` lies in `lo..=hi`, naming the parameter in the error.
pub(crate) fn check_range<T: PartialOrd + fmt::Display>(
    what: &'static str,
    value: T,
    lo: T,
    hi: T,
    range: &'static str,
) -> Result<(), ConfigError> {
    if value >= lo && value <= hi {
        Ok(())
    } else {
        Err(ConfigError::OutOfRange {
            what,
            value: value.to_string(),
            range,
        })
    }
}
