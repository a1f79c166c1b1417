//! The consensus lab's parameters, declared once ([`RAFT_PARAMS`]): readable links
//! (`/consensus?n=5&emin=150&emax=300&fault=3000:crash:L`) that round-trip the whole
//! scenario, `data-*` attributes, the settings form and `syslab params consensus`; and the
//! lab's work budget ([`MAX_WORK`]).

use super::config::{Fault, FaultKind, MAX_DURATION_MS, MAX_FAULTS, RaftConfig, ReadMode, Target};
use super::lab::RaftScenario;
use crate::error::ConfigError;
use crate::format::thousands;
use crate::query::Notice;
use crate::schema::{self, Kind, Param, Show};
use crate::{LabScenario, choice_param, flag_param, int_param, num_param};

/// Every parameter of the consensus lab. Dependent parameters come after what they depend
/// on (`emax` after `emin`, `fault` after `n` and `dur`, `step` last).
pub static RAFT_PARAMS: &[Param<RaftScenario>] = &[
    int_param!(
        "seed",
        "Seed",
        "",
        0,
        u64::MAX,
        "Seeds the election timeouts and the network's delays, losses and duplicates.",
        config.seed
    ),
    int_param!(
        "n",
        "Servers",
        "",
        3,
        9,
        "Servers in the cluster, 3 to 9 (an even size is allowed, with a warning).",
        config.nodes
    ),
    int_param!(
        "emin",
        "Election timeout min",
        "ms",
        1,
        10_000,
        "Each election timeout is drawn uniformly between the minimum and the maximum.",
        config.elect_min_ms
    ),
    int_param!(
        "emax",
        "Election timeout max",
        "ms",
        1,
        10_000,
        "At least the minimum; equal to it means no randomness (and split votes).",
        config.elect_max_ms
    ),
    int_param!(
        "hb",
        "Heartbeat",
        "ms",
        1,
        10_000,
        "How often a leader sends AppendEntries when it has nothing new; should be well under the minimum election timeout.",
        config.heartbeat_ms
    ),
    num_param!(
        "lat",
        "Latency",
        "ms",
        0.0,
        1_000.0,
        "The smallest one-way delay of a message.",
        config.latency_ms
    ),
    num_param!(
        "jit",
        "Jitter",
        "ms",
        0.0,
        1_000.0,
        "A uniformly random extra delay from 0 to this.",
        config.jitter_ms
    ),
    num_param!(
        "disk",
        "Disk write",
        "ms",
        0.0,
        1_000.0,
        "Time a server takes to persist its term, vote and log before it answers (added to every reply).",
        config.disk_ms
    ),
    num_param!(
        "loss",
        "Loss",
        "",
        0.0,
        1.0,
        "The share of messages lost.",
        config.loss
    ),
    num_param!(
        "dup",
        "Duplication",
        "",
        0.0,
        1.0,
        "The share of messages delivered twice.",
        config.dup
    ),
    flag_param!(
        "prevote",
        "Pre-vote",
        "A server that times out first asks whether it could win, without raising its term: a server cut off and returning no longer disrupts the cluster.",
        config.prevote
    ),
    flag_param!(
        "cq",
        "Check-quorum",
        "A leader that hears from no majority for an election timeout steps down, and a server that hears from a leader ignores vote requests.",
        config.check_quorum
    ),
    flag_param!(
        "unsafe",
        "Unsafe commit",
        "Deliberately wrong: a leader commits an entry of an earlier term once a majority holds it (the paper's Figure 8 shows why Raft forbids it).",
        config.unsafe_commit
    ),
    num_param!(
        "rate",
        "Client writes",
        "per s",
        0.0,
        1_000.0,
        "Client writes per second, each sent to the current leader.",
        config.rate
    ),
    num_param!(
        "reads",
        "Client reads",
        "per s",
        0.0,
        1_000.0,
        "Client reads per second; their history with the writes is checked for linearizability when the run ends.",
        config.read_rate
    ),
    choice_param!(
        "readmode",
        "Reads served by",
        ReadMode,
        "ReadIndex (the leader confirms it leads, then answers), a lease (the leader answers while a majority acknowledged it recently), or stale (any server answers from its own state).",
        config.read_mode
    ),
    int_param!(
        "dur",
        "Run length",
        "ms",
        1,
        60_000,
        "Length of the run.",
        config.duration_ms
    ),
    int_param!(
        "tick",
        "Step",
        "ms",
        1,
        60_000,
        "Simulated time one step advances; at most 30,000 steps a run.",
        config.tick_ms
    ),
    Param {
        key: "fault",
        label: "Faults",
        help: "Faults in time order, comma-separated, TIME:WHAT with TIME in ms: crash:N or crash:L (the leader), restart:N, pause:N or pause:L, resume:N, timeout:N (force an election), cut:A-B (both ways) or cut:A>B (one way), heal:A-B, heal:A>B, heal:all, part:12/345 (groups of servers; servers not named form one more group), write. Servers are numbered from 1.",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.config.faults = parse_faults(t)?;
            Ok(())
        },
        write: |s| {
            s.config
                .faults
                .iter()
                .map(format_fault)
                .collect::<Vec<_>>()
                .join(",")
        },
    },
    int_param!(
        "step",
        "Steps taken",
        "steps",
        0,
        u64::MAX,
        "How many steps of the run were taken.",
        steps
    ),
];

/// The most messages a run may be expected to send: about 2 MB of events a second of
/// simulated time at the largest settings is far below it; it bounds heartbeats over long
/// runs with short intervals and high write rates.
pub const MAX_WORK: f64 = 20_000_000.0;

/// An upper estimate of the messages a run sends: heartbeats and their replies, and each
/// write's AppendEntries and replies, to every follower; elections at most one per minimum
/// timeout, each a request and a reply to every other server.
pub fn work(c: &RaftConfig) -> f64 {
    let n = f64::from(c.nodes);
    let secs = f64::from(c.duration_ms) / 1_000.0;
    let dup = 1.0 + c.dup;
    let heartbeats = 1_000.0 / f64::from(c.heartbeat_ms.max(1));
    let elections = 1_000.0 / f64::from(c.elect_min_ms.max(1));
    secs * dup * 2.0 * (n - 1.0) * (heartbeats + c.rate + c.read_rate + elections * n)
}

impl LabScenario for RaftScenario {
    fn version(&self) -> u32 {
        self.version
    }

    /// The config's own checks, then the work budget.
    fn check(&self) -> Result<(), ConfigError> {
        self.config.validate()?;
        let w = work(&self.config);
        if w > MAX_WORK {
            return Err(ConfigError::Invalid(format!(
                "the run could send about {} messages, over the lab's budget of {}: shorten the run (dur), raise the heartbeat (hb) or the election timeout (emin), or lower the client rate (rate)",
                thousands(w.round() as u64),
                thousands(MAX_WORK as u64)
            )));
        }
        Ok(())
    }

    /// A maximum election timeout below the minimum is raised to it (no randomness), with a
    /// notice on `emax`.
    fn adjust(&mut self) -> Option<Notice> {
        let c = &mut self.config;
        (c.elect_max_ms < c.elect_min_ms && c.elect_min_ms <= super::config::MAX_TIMEOUT_MS)
            .then(|| {
                let notice = Notice::new(
                    "emax",
                    format!(
                        "the maximum election timeout ({} ms) is below the minimum ({} ms); using {} ms",
                        c.elect_max_ms, c.elect_min_ms, c.elect_min_ms
                    ),
                );
                c.elect_max_ms = c.elect_min_ms;
                notice
            })
    }

    /// A step count past the run's end is clamped to it.
    fn settle(&mut self, notices: &mut Vec<Notice>) {
        let total = self.config.n_ticks();
        schema::clamp_steps(&mut self.steps, total, "", notices);
    }
}

fn node(n: u8) -> String {
    (u32::from(n) + 1).to_string()
}

fn target(t: Target) -> String {
    match t {
        Target::Node(n) => node(n),
        Target::Leader => "L".to_owned(),
    }
}

/// One fault as a link writes it (`3000:crash:L`).
pub fn format_fault(f: &Fault) -> String {
    let what = match &f.kind {
        FaultKind::Crash(t) => format!("crash:{}", target(*t)),
        FaultKind::Pause(t) => format!("pause:{}", target(*t)),
        FaultKind::Restart(n) => format!("restart:{}", node(*n)),
        FaultKind::Resume(n) => format!("resume:{}", node(*n)),
        FaultKind::Timeout(n) => format!("timeout:{}", node(*n)),
        FaultKind::Cut { from, to, both } => {
            format!(
                "cut:{}{}{}",
                node(*from),
                if *both { "-" } else { ">" },
                node(*to)
            )
        }
        FaultKind::Heal { from, to, both } => {
            format!(
                "heal:{}{}{}",
                node(*from),
                if *both { "-" } else { ">" },
                node(*to)
            )
        }
        FaultKind::Partition(groups) => {
            let top = groups.iter().copied().max().unwrap_or(0);
            let parts: Vec<String> = (0..=top)
                .map(|g| {
                    groups
                        .iter()
                        .enumerate()
                        .filter(|&(_, &x)| x == g)
                        .map(|(i, _)| node(i as u8))
                        .collect()
                })
                .filter(|s: &String| !s.is_empty())
                .collect();
            format!("part:{}", parts.join("/"))
        }
        FaultKind::HealAll => "heal:all".to_owned(),
        FaultKind::Write => "write".to_owned(),
    };
    format!("{}:{what}", f.at_ms)
}

/// Reads the `fault` list: each fault well formed, in time order, at most [`MAX_FAULTS`].
/// Whether its servers exist and its times fall inside the run is checked with the whole
/// scenario.
pub fn parse_faults(text: &str) -> Result<Vec<Fault>, String> {
    let faults = schema::read_list(text, MAX_FAULTS, "faults", |i, item| {
        parse_fault(item)
            .map_err(|why| schema::list_item_error("TIME:WHAT faults", "fault", i, item, &why))
    })?;
    schema::in_time_order(&faults, "faults", "fault", |f| u64::from(f.at_ms))?;
    Ok(faults)
}

fn parse_node(t: &str) -> Result<u8, String> {
    match t.parse::<u8>() {
        Ok(n @ 1..=9) => Ok(n - 1),
        _ => Err(format!(
            "the server {} is not a number from 1 to 9",
            schema::quote(t)
        )),
    }
}

fn parse_target(t: &str) -> Result<Target, String> {
    if t == "L" {
        Ok(Target::Leader)
    } else {
        parse_node(t).map(Target::Node)
    }
}

fn parse_link(t: &str) -> Result<(u8, u8, bool), String> {
    let (a, b, both) = if let Some((a, b)) = t.split_once('-') {
        (a, b, true)
    } else if let Some((a, b)) = t.split_once('>') {
        (a, b, false)
    } else {
        return Err(format!("the link {} is not A-B or A>B", schema::quote(t)));
    };
    let (a, b) = (parse_node(a)?, parse_node(b)?);
    if a == b {
        return Err(format!("S{} has no link to itself", a + 1));
    }
    Ok((a, b, both))
}

fn parse_partition(t: &str) -> Result<Vec<u8>, String> {
    let mut groups: Vec<Option<u8>> = Vec::new();
    let parts: Vec<&str> = t.split('/').collect();
    if parts.len() < 2 || parts.len() > 9 {
        return Err("a partition is 2 to 9 groups of servers separated by /".to_owned());
    }
    for (g, part) in parts.iter().enumerate() {
        if part.is_empty() {
            return Err(format!("group {} of the partition is empty", g + 1));
        }
        for c in part.chars() {
            let n = usize::from(parse_node(&c.to_string())?);
            if groups.len() <= n {
                groups.resize(n + 1, None);
            }
            if groups[n].is_some() {
                return Err(format!("S{} is in two groups", n + 1));
            }
            groups[n] = Some(g as u8);
        }
    }
    // Servers not named form one more group.
    let rest = parts.len() as u8;
    Ok(groups.iter().map(|g| g.unwrap_or(rest)).collect())
}

fn parse_fault(item: &str) -> Result<Fault, String> {
    let (at, rest) = item
        .split_once(':')
        .ok_or_else(|| "expected TIME:WHAT".to_owned())?;
    let at_ms = at
        .parse::<u32>()
        .ok()
        .filter(|&v| v <= MAX_DURATION_MS)
        .ok_or_else(|| {
            format!(
                "the time {} is not a whole number of ms up to one minute",
                schema::quote(at)
            )
        })?;
    let (verb, arg) = rest.split_once(':').unwrap_or((rest, ""));
    let kind = match verb {
        "crash" => FaultKind::Crash(parse_target(arg)?),
        "pause" => FaultKind::Pause(parse_target(arg)?),
        "restart" => FaultKind::Restart(parse_node(arg)?),
        "resume" => FaultKind::Resume(parse_node(arg)?),
        "timeout" => FaultKind::Timeout(parse_node(arg)?),
        "cut" => {
            let (from, to, both) = parse_link(arg)?;
            FaultKind::Cut { from, to, both }
        }
        "heal" if arg == "all" => FaultKind::HealAll,
        "heal" => {
            let (from, to, both) = parse_link(arg)?;
            FaultKind::Heal { from, to, both }
        }
        "part" => FaultKind::Partition(parse_partition(arg)?),
        "write" if arg.is_empty() => FaultKind::Write,
        _ => {
            return Err(format!(
                "{} is not crash, restart, pause, resume, timeout, cut, heal, part or write",
                schema::quote(rest)
            ));
        }
    };
    Ok(Fault { at_ms, kind })
}
