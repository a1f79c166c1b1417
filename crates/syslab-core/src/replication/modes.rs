//! The leader mode's settings: the replication mode ([`Mode`]), how the leader waits for its
//! followers ([`SyncMode`]), where reads go ([`ReadFrom`]), and scheduled crashes and restarts
//! ([`Fault`], the `fail` list, read and written here).

use serde::{Deserialize, Serialize};

use crate::schema::{self, Choice};

/// The most crashes and restarts a scenario holds.
pub const MAX_FAULTS: usize = 64;

macro_rules! choices {
    ($ty:ident { $($variant:ident = $id:literal : $label:literal),+ $(,)? }) => {
        impl $ty {
            pub const CHOICES: &'static [Choice] = &[$(Choice { id: $id, label: $label }),+];

            pub fn id(self) -> &'static str {
                Self::CHOICES[self as usize].id
            }

            pub fn label(self) -> &'static str {
                Self::CHOICES[self as usize].label
            }

            pub fn from_id(id: &str) -> Option<Self> {
                match id {
                    $($id => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

/// Who orders the writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Dynamo style: any replica coordinates; N, R, W quorums.
    #[default]
    Leaderless,
    /// One leader orders every write and streams its log to the followers.
    Leader,
}

choices!(Mode {
    Leaderless = "leaderless": "leaderless (N, R, W)",
    Leader = "leader": "leader and followers",
});

/// When the leader acknowledges a write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyncMode {
    /// After every follower has it (a follower that is down blocks every write).
    Sync,
    /// After `acks` followers have it (MySQL's semi-synchronous replication).
    Semi,
    /// At once, when the leader has it (MySQL's and PostgreSQL's default).
    #[default]
    Async,
}

choices!(SyncMode {
    Sync = "sync": "synchronous: every follower",
    Semi = "semi": "semi-synchronous: k followers",
    Async = "async": "asynchronous: at once",
});

/// Which replica answers a read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadFrom {
    /// The leader (the client's replica forwards the read).
    #[default]
    Leader,
    /// The client's own replica, leader or follower, from what it holds.
    Followers,
}

choices!(ReadFrom {
    Leader = "leader": "the leader",
    Followers = "followers": "the client's replica",
});

/// Which replica a fault hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// Replica i (0-based).
    Replica(u32),
    /// `crash:L`: whoever leads at that moment; `restart:L`: the leader the last `crash:L`
    /// crashed.
    Leader,
}

/// A crash or a restart at a moment of the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    pub at_ms: u64,
    /// Crash (true) or restart (false).
    pub crash: bool,
    pub target: Target,
}

/// One fault as a link writes it (`3000:crash:L`, `5000:restart:1`).
pub fn format_fault(f: &Fault) -> String {
    let who = match f.target {
        Target::Leader => "L".to_owned(),
        Target::Replica(i) => (i + 1).to_string(),
    };
    let verb = if f.crash { "crash" } else { "restart" };
    format!("{}:{verb}:{who}", f.at_ms)
}

fn parse_fault(item: &str, max_ms: u64) -> Result<Fault, String> {
    let mut parts = item.split(':');
    let (Some(at), Some(verb), Some(who), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("expected TIME:crash:WHO or TIME:restart:WHO".to_owned());
    };
    let at_ms = at
        .parse::<u64>()
        .ok()
        .filter(|&v| v <= max_ms)
        .ok_or_else(|| format!("the time {} is not a whole number of ms", schema::quote(at)))?;
    let crash = match verb {
        "crash" => true,
        "restart" => false,
        _ => return Err(format!("{} is not crash or restart", schema::quote(verb))),
    };
    let target = if who == "L" {
        Target::Leader
    } else {
        match who.parse::<u32>() {
            Ok(i @ 1..=9) => Target::Replica(i - 1),
            _ => {
                return Err(format!(
                    "{} is not L (the leader) or a replica from 1 to 9",
                    schema::quote(who)
                ));
            }
        }
    };
    Ok(Fault {
        at_ms,
        crash,
        target,
    })
}

/// Reads the `fail` list: each fault well formed and in time order. Whether its replicas
/// exist is checked with the whole scenario.
pub fn parse_faults(text: &str, max_ms: u64) -> Result<Vec<Fault>, String> {
    let faults = schema::read_list(text, MAX_FAULTS, "faults", |i, item| {
        parse_fault(item, max_ms)
            .map_err(|why| schema::list_item_error("TIME:crash:WHO faults", "fault", i, item, &why))
    })?;
    schema::in_time_order(&faults, "faults", "fault", |f| f.at_ms)?;
    Ok(faults)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_round_trip_and_bad_ones_are_refused() {
        let text = "1000:crash:L,2500:restart:L,3000:crash:2,4000:restart:2";
        let faults = parse_faults(text, 600_000).unwrap();
        let back: Vec<String> = faults.iter().map(format_fault).collect();
        assert_eq!(back.join(","), text);
        for bad in [
            "1000:crash",
            "x:crash:L",
            "1000:stop:L",
            "1000:crash:0",
            "1000:crash:10",
            "2000:crash:L,1000:restart:L",
            "700000:crash:L",
            "1000:crash:L:5",
        ] {
            assert!(parse_faults(bad, 600_000).is_err(), "{bad}");
        }
    }
}
