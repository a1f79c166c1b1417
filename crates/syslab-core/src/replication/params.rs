//! The replication lab's parameters, declared once ([`REPL_PARAMS`]): links such as
//! `/replication?n=5&r=1&w=1&lat=lnkd-disk&cut=1.2-3.4.5@2000:6000`, `data-*` attributes,
//! the settings form and `syslab params replication`; and the work budget ([`MAX_WORK`]).

use super::config::{
    Cut, MAX_CUTS, MAX_DURATION_MS, MAX_PROBES, MAX_REPLICAS, MIN_REPLICAS, Policy, Route,
};
use super::lab::ReplScenario;
use super::latency::LatencyModel;
use super::modes::{Mode, ReadFrom, SyncMode, format_fault, parse_faults};
use crate::error::ConfigError;
use crate::format::thousands;
use crate::query::Notice;
use crate::schema::{self, Kind, Param, Show};
use crate::{LabScenario, choice_param, flag_param, int_param, num_param};

/// Every parameter of the replication lab; `r`, `w`, `acks`, `cut` and `fail` come after
/// `n`, `tick` after `dur`, `fail` after `mode`, so a link whose parameters do not fit
/// together loses the dependent one.
pub static REPL_PARAMS: &[Param<ReplScenario>] = &[
    int_param!(
        "seed",
        "Seed",
        "",
        0,
        u64::MAX,
        "Seeds the traffic, every message delay and the staleness experiment.",
        config.seed
    ),
    int_param!(
        "n",
        "Replicas (N)",
        "",
        MIN_REPLICAS as u64,
        MAX_REPLICAS as u64,
        "Replicas; every key is stored on all of them.",
        config.n
    ),
    int_param!(
        "r",
        "Read quorum (R)",
        "",
        1,
        MAX_REPLICAS as u64,
        "Replies a read waits for before it answers with the newest of them; at most N.",
        config.r
    ),
    int_param!(
        "w",
        "Write quorum (W)",
        "",
        1,
        MAX_REPLICAS as u64,
        "Acknowledgements a write waits for (the coordinator's own included); at most N.",
        config.w
    ),
    choice_param!(
        "policy",
        "Below quorum",
        Policy,
        "What a coordinator does when its quorum has not answered by the timeout: refuse \
         (CP) or answer from the replicas that did (AP).",
        config.policy
    ),
    flag_param!(
        "repair",
        "Read repair",
        "A read sends the newest version it saw to replicas that answered with an older one.",
        config.read_repair
    ),
    choice_param!(
        "lat",
        "Link delays",
        LatencyModel,
        "How long messages take: constant, exponential, or the production fits of the PBS \
         paper (LinkedIn on SSD and on disk, Yammer, and a WAN with 75 ms between sites).",
        config.latency
    ),
    num_param!(
        "wmean",
        "Write delay",
        "ms",
        0.001,
        10_000.0,
        "Mean delay of a write request to a replica (constant and exponential delays).",
        config.wmean
    ),
    num_param!(
        "amean",
        "Other delays",
        "ms",
        0.001,
        10_000.0,
        "Mean delay of acknowledgements, read requests, replies and repairs (constant and \
         exponential delays).",
        config.amean
    ),
    num_param!(
        "loss",
        "Message loss",
        "",
        0.0,
        0.9,
        "Share of messages lost at random.",
        config.loss
    ),
    num_param!(
        "skew",
        "Clock skew",
        "ms",
        0.0,
        60_000.0,
        "Replica clocks run from −skew to +skew off true time, evenly spread; last-write-wins \
         trusts them.",
        config.skew_ms
    ),
    int_param!(
        "timeout",
        "Timeout",
        "ms",
        1,
        600_000,
        "How long a coordinator waits for its quorum.",
        config.timeout_ms
    ),
    int_param!(
        "clients",
        "Clients",
        "",
        1,
        1_000,
        "Clients; client c talks to replica c mod N, which coordinates its operations.",
        config.clients
    ),
    choice_param!(
        "route",
        "Coordinator",
        Route,
        "Which replica coordinates a client's operation: always its own (a sticky session), \
         or a random one each time (reads can then miss the client's own writes).",
        config.route
    ),
    num_param!(
        "rate",
        "Operations",
        "ops/s",
        0.001,
        100_000.0,
        "Operations per second over all clients.",
        config.rate
    ),
    num_param!(
        "writes",
        "Write share",
        "",
        0.0,
        1.0,
        "Share of operations that are writes.",
        config.write_share
    ),
    int_param!("keys", "Keys", "", 1, 10_000, "Distinct keys.", config.keys),
    num_param!(
        "hot",
        "Hot-key share",
        "",
        0.0,
        1.0,
        "Share of operations on one hot key; the rest are spread evenly.",
        config.hot
    ),
    int_param!(
        "dur",
        "Run length",
        "ms",
        1,
        MAX_DURATION_MS as u64,
        "Length of the run.",
        config.duration_ms
    ),
    int_param!(
        "tick",
        "Step",
        "ms",
        1,
        MAX_DURATION_MS as u64,
        "Simulated time one step advances; at most the run's length.",
        config.tick_ms
    ),
    int_param!(
        "ae",
        "Anti-entropy",
        "ms",
        0,
        600_000,
        "Every this many ms each replica compares its Merkle tree with a peer's (a different \
         one each round) and sends the newer version of every key that differs; 0: off.",
        config.anti_entropy_ms
    ),
    flag_param!(
        "cmp",
        "Compare quorums",
        "Run the same traffic, faults and delays under R = W = 1, write all, read all and \
         majorities too, and compare what clients saw.",
        config.compare
    ),
    choice_param!(
        "mode",
        "Replication",
        Mode,
        "Leaderless (any replica coordinates, N/R/W quorums) or a leader that orders every \
         write and streams its log to followers.",
        config.mode
    ),
    choice_param!(
        "sync",
        "Leader waits for",
        SyncMode,
        "With a leader: acknowledge a write at once (asynchronous), after k followers have it \
         (semi-synchronous) or after every follower has it (synchronous).",
        config.sync
    ),
    int_param!(
        "acks",
        "Semi-sync followers (k)",
        "",
        1,
        (MAX_REPLICAS - 1) as u64,
        "With a leader and semi-synchronous replication: followers that must have a write \
         before the leader acknowledges it; at most N − 1.",
        config.acks
    ),
    choice_param!(
        "reads",
        "Reads from",
        ReadFrom,
        "With a leader: reads go to the leader, or the client's own replica answers from what \
         it holds (a follower may be behind).",
        config.read_from
    ),
    int_param!(
        "detect",
        "Failover after",
        "ms",
        10,
        60_000,
        "With a leader: followers that hear nothing from it for this long suspect it, and if \
         a majority does, the most up-to-date one they reach is promoted. Heartbeats every \
         quarter of it; the lease lasts as long.",
        config.detect_ms
    ),
    flag_param!(
        "fence",
        "Fencing",
        "With a leader: followers refuse a leader of an older epoch, and a leader serves only \
         while a majority acknowledged its heartbeats within the lease. Off: a leader cut off \
         from the rest keeps accepting writes (split brain).",
        config.fence
    ),
    Param {
        key: "cut",
        label: "Link cuts",
        help: "Links cut on a schedule, comma-separated: A-B cuts both ways, A>B only from A to \
               B; a side may be several replicas joined by dots (1.2-3.4.5 partitions \
               the cluster); @START or @START:END limits it to a window in ms. Replicas count \
               from 1.",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.config.cuts = parse_cuts(t)?;
            Ok(())
        },
        write: |s| {
            s.config
                .cuts
                .iter()
                .map(format_cut)
                .collect::<Vec<_>>()
                .join(",")
        },
    },
    Param {
        key: "fail",
        label: "Crashes",
        help: "Crashes and restarts in time order, comma-separated TIME:crash:WHO or \
               TIME:restart:WHO, TIME in ms; WHO is a replica (from 1) or L: the leader at \
               that moment, or for restart the leader the last crash:L crashed (leaderless: L \
               names nobody and does nothing).",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.config.faults = parse_faults(t, u64::from(MAX_DURATION_MS))?;
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
        "probes",
        "Staleness writes",
        "",
        0,
        MAX_PROBES as u64,
        "Writes simulated for the staleness curve (each with fresh delays, as in the PBS \
         paper's WARS model).",
        config.probes
    ),
    num_param!(
        "tmax",
        "Curve length",
        "ms",
        0.0,
        600_000.0,
        "The staleness curve's last t; 0 picks the time by which 99.9% of writes are visible.",
        config.tmax
    ),
    int_param!(
        "step",
        "Steps taken",
        "steps",
        0,
        u64::MAX,
        "How many steps of the run were taken; one more than the run's steps includes the \
         final drain.",
        steps
    ),
];

/// The most simulated work one run may take: expected operations (and, with a leader,
/// heartbeats) × replicas (each operation
/// sends about two messages per replica) plus the staleness writes × replicas.
pub const MAX_WORK: f64 = 4_000_000.0;

/// The most hash comparisons anti-entropy may make in one run, at its worst.
pub const MAX_AE_COMPARISONS: f64 = 100_000_000.0;

impl LabScenario for ReplScenario {
    fn version(&self) -> u32 {
        self.version
    }

    fn check(&self) -> Result<(), ConfigError> {
        let c = &self.config;
        c.validate()?;
        let n = f64::from(c.n);
        let runs = 1.0 + c.compared().len() as f64;
        let ops = c.expected_ops() * n * runs;
        let probes = if c.mode == Mode::Leader {
            0.0
        } else {
            f64::from(c.probes) * n
        };
        // With a leader, heartbeats: N − 1 and their answers every quarter of `detect`.
        let beats = if c.mode == Mode::Leader {
            f64::from(c.duration_ms) * 1e6 / c.heartbeat_ns() as f64 * 2.0 * n * runs
        } else {
            0.0
        };
        // Anti-entropy at its worst: every key differs in every session, so each compares
        // the whole tree (2 × keys hashes, keys rounded up to a power of two).
        let width = f64::from(c.keys.next_power_of_two());
        let sessions = c.anti_entropy_rounds() as f64 * n * runs;
        if sessions * 2.0 * width > MAX_AE_COMPARISONS {
            return Err(ConfigError::Invalid(format!(
                "anti-entropy could compare up to {} hashes ({} sessions × a tree of {} keys), \
                 over the lab's budget of {}: raise ae, or lower dur, n or keys",
                thousands((sessions * 2.0 * width) as u64),
                thousands(sessions as u64),
                thousands(width as u64),
                thousands(MAX_AE_COMPARISONS as u64)
            )));
        }
        if ops + probes + beats > MAX_WORK {
            return Err(ConfigError::Invalid(format!(
                "the run would simulate about {} operations and heartbeats × replicas (over \
                 every compared run) plus {} staleness writes × replicas, over the lab's budget \
                 of {}: lower rate, dur, n or probes, raise detect, or turn cmp off",
                thousands((ops + beats) as u64),
                thousands(probes as u64),
                thousands(MAX_WORK as u64)
            )));
        }
        Ok(())
    }

    fn settle(&mut self, notices: &mut Vec<Notice>) {
        let total = self.config.n_ticks() + 1;
        schema::clamp_steps(
            &mut self.steps,
            total,
            " (the final drain included)",
            notices,
        );
    }
}

fn format_side(side: &[u32]) -> String {
    side.iter()
        .map(|x| (x + 1).to_string())
        .collect::<Vec<_>>()
        .join(".")
}

fn format_cut(c: &Cut) -> String {
    let sep = if c.both { "-" } else { ">" };
    let mut out = format!("{}{sep}{}", format_side(&c.from), format_side(&c.to));
    if c.start_ms > 0 || c.end_ms.is_some() {
        out.push_str(&format!("@{}", c.start_ms));
        if let Some(end) = c.end_ms {
            out.push_str(&format!(":{end}"));
        }
    }
    out
}

fn parse_side(text: &str) -> Result<Vec<u32>, String> {
    let mut side = Vec::new();
    for part in text.split('.') {
        let x = part
            .trim()
            .parse::<u32>()
            .ok()
            .and_then(|x| x.checked_sub(1))
            .filter(|&x| x < MAX_REPLICAS)
            .ok_or_else(|| {
                format!(
                    "the replica {} is not a number from 1 to {MAX_REPLICAS}",
                    schema::quote(part)
                )
            })?;
        if side.contains(&x) {
            return Err(format!("replica {} is named twice", x + 1));
        }
        side.push(x);
    }
    Ok(side)
}

fn parse_cut(item: &str) -> Result<Cut, String> {
    let (links, window) = match item.split_once('@') {
        Some((l, w)) => (l, Some(w)),
        None => (item, None),
    };
    let (from, to, both) = if let Some((a, b)) = links.split_once('-') {
        (a, b, true)
    } else if let Some((a, b)) = links.split_once('>') {
        (a, b, false)
    } else {
        return Err("expected A-B or A>B".to_owned());
    };
    let (from, to) = (parse_side(from)?, parse_side(to)?);
    if from.iter().any(|x| to.contains(x)) {
        return Err("a replica is on both sides".to_owned());
    }
    let ms = |t: &str| {
        t.parse::<u64>()
            .ok()
            .filter(|&v| v <= u64::from(MAX_DURATION_MS))
            .ok_or_else(|| format!("the time {} is not a whole number of ms", schema::quote(t)))
    };
    let (start_ms, end_ms) = match window {
        None => (0, None),
        Some(w) => match w.split_once(':') {
            Some((s, e)) => (ms(s)?, Some(ms(e)?)),
            None => (ms(w)?, None),
        },
    };
    if end_ms.is_some_and(|e| e <= start_ms) {
        return Err("it heals before it starts".to_owned());
    }
    Ok(Cut {
        from,
        to,
        both,
        start_ms,
        end_ms,
    })
}

fn parse_cuts(text: &str) -> Result<Vec<Cut>, String> {
    // The notice quotes the whole value already: a cut is named by its place.
    schema::read_list(text, MAX_CUTS, "cuts", |i, item| {
        parse_cut(item).map_err(|why| {
            format!(
                "a list of cuts such as 1-2 or 1.2>3@1000:5000 (cut {}: {why})",
                i + 1
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_round_trip() {
        let text = "1-2,1.2>3.4.5@1000:5000,3-1@200";
        let cuts = parse_cuts(text).unwrap();
        assert_eq!(cuts.len(), 3);
        assert!(!cuts[1].both);
        let back: Vec<String> = cuts.iter().map(format_cut).collect();
        assert_eq!(back.join(","), text);
        for bad in ["1", "0-1", "1-1", "1-2@5:5", "1-2@x", "10-1", "1.1-2"] {
            assert!(parse_cuts(bad).is_err(), "{bad}");
        }
    }
}
