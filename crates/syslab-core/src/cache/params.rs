//! The cache lab's parameters, declared once ([`CACHE_PARAMS`]): readable links
//! (`policy=sieve&cmp=lru,arc,belady&size=100`) that round-trip a generated-workload scenario,
//! `data-*` attributes for embeds, the settings form and `syslab params cache`; and the
//! scenario's checks, with the lab's work budget ([`MAX_WORK`]).
//!
//! A trace never travels in a link (it can be megabytes): a scenario that replays one writes
//! the rest of its config, leaves `workload` out (so the link replays the default Zipf
//! workload with the scenario's generated-workload parameters) and leaves out its events and
//! step count, which count the trace's requests.

use super::config::{MAX_BATCH, MAX_CAPACITY, MAX_MS, WriteStrategy};
use super::lab::CacheScenario;
use super::policy::PolicyKind;
use super::sim::{CacheEvent, EventKind};
use super::trace::MAX_OBJECT_SIZE;
use super::workload::{MAX_ITEMS, MAX_REQUESTS, WorkloadKind};
use crate::error::ConfigError;
use crate::query::Notice;
use crate::schema::{Kind, Param, Show};
use crate::{LabScenario, choice_param, int_param, num_param};

/// The most simulated work one scenario may ask for: requests × policies run on them (the
/// shown policy and every compared one), here 4,000,000.
///
/// Each policy replays every request once for its row and once per size of its miss-ratio
/// curve (up to eight), so a run's time grows with this product. At the limit a whole run
/// (`syslab run`, or Run to end in the browser) took, in a core test on a 2-core machine
/// shared with four other builds (load average 8 to 9): 5.1 s for
/// `n=363636&cmp=all&size=363636&items=1000000`, 11.3 s for two policies on 2,000,000 requests
/// over a million keys and a million-object cache (the slowest shape), 3.0 s for
/// `n=363636&cmp=all`. Links the old codec accepted, such as `n=2000000&cmp=all&size=363636`,
/// took over a minute. Every preset (at most 100,000 × 5) and the default (20,000 × 9) fit
/// with room to spare; a trace of 2,000,000 requests can be replayed with one other policy.
pub const MAX_WORK: u64 = 4_000_000;

/// Every parameter of the cache lab. Dependent parameters come after what they depend on.
pub static CACHE_PARAMS: &[Param<CacheScenario>] = &[
    int_param!(
        "seed",
        "Seed",
        "",
        0,
        u64::MAX,
        "Seeds the generated requests and the random policy; a new seed gives new requests.",
        config.seed
    ),
    choice_param!(
        "policy",
        "Policy shown",
        PolicyKind,
        "The eviction policy drawn in the slots and run under the write strategy, TTL and \
         events; its row leads the comparison.",
        config.policy
    ),
    Param {
        key: "cmp",
        label: "Compared policies",
        help: "Policies run on the same requests beside the shown one, comma-separated \
               (lru, lfu, fifo, mru, random, clock, arc, sieve, s3_fifo, tinylfu, belady), \
               all, or empty for none. Listing the shown policy too changes nothing.",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.config.compare = parse_compare(t)?;
            Ok(())
        },
        write: |s| format_compare(&s.config.compare),
    },
    int_param!(
        "size",
        "Cache size",
        "objects",
        1,
        MAX_CAPACITY as u64,
        "How many objects the cache holds, whatever their size; size × policies is at most \
         4,000,000.",
        config.capacity
    ),
    int_param!(
        "ttl",
        "Time to live",
        "ms",
        0,
        MAX_MS as u64,
        "How long a cached entry stays valid; 0 means entries never expire.",
        config.ttl_ms
    ),
    choice_param!(
        "write",
        "Write strategy",
        WriteStrategy,
        "How reads that miss and writes travel between the application, the cache and the \
         database.",
        config.write
    ),
    int_param!(
        "flush",
        "Flush interval",
        "ms",
        1,
        MAX_MS as u64,
        "Write-back: time between two flushes of the dirty entries to the database.",
        config.flush_ms
    ),
    int_param!(
        "gap",
        "Time between requests",
        "µs",
        1,
        MAX_MS as u64,
        "Simulated time from one request to the next.",
        config.gap_us
    ),
    int_param!(
        "cl",
        "Cache latency",
        "µs",
        0,
        MAX_MS as u64,
        "How long a cache read or write takes.",
        config.cache_us
    ),
    int_param!(
        "dbr",
        "Database read latency",
        "µs",
        0,
        MAX_MS as u64,
        "How long a database read takes (what a miss costs).",
        config.db_read_us
    ),
    int_param!(
        "dbw",
        "Database write latency",
        "µs",
        0,
        MAX_MS as u64,
        "How long a database write takes.",
        config.db_write_us
    ),
    int_param!(
        "batch",
        "Requests per step",
        "requests",
        1,
        MAX_BATCH as u64,
        "How many requests one step (Step, or a tick of Play) handles.",
        config.batch
    ),
    Param {
        key: "workload",
        label: "Workload",
        help: "The pattern of generated keys. A trace is imported on the page; it never \
               travels in a link.",
        unit: "",
        kind: Kind::Choice(WorkloadKind::GENERATED),
        show: Show::Form,
        read: |s, t| {
            s.config.workload.kind = WorkloadKind::from_id(t)
                .filter(|k| k.is_generated())
                .ok_or_else(|| {
                    "one of zipf, uniform, scan, loop, shifting (a trace is imported on the \
                     page, not given in a link)"
                        .to_owned()
                })?;
            Ok(())
        },
        write: |s| {
            let kind = s.config.workload.kind;
            if kind.is_generated() {
                kind.id()
            } else {
                WorkloadKind::default().id()
            }
            .to_owned()
        },
    },
    int_param!(
        "items",
        "Keys",
        "keys",
        1,
        MAX_ITEMS as u64,
        "How many distinct keys the generated requests draw from.",
        config.workload.items
    ),
    int_param!(
        "n",
        "Requests",
        "requests",
        1,
        MAX_REQUESTS as u64,
        "How many requests the run has; requests × policies is at most 4,000,000.",
        config.workload.requests
    ),
    num_param!(
        "skew",
        "Skew",
        "",
        0.0,
        5.0,
        "The Zipf exponent: 0 is uniform, 1 is classic web traffic, higher is more skewed.",
        config.workload.skew
    ),
    num_param!(
        "rw",
        "Share of writes",
        "",
        0.0,
        1.0,
        "The share of requests that are writes, from 0 to 1.",
        config.workload.write_ratio
    ),
    int_param!(
        "period",
        "Period",
        "requests",
        1,
        MAX_REQUESTS as u64,
        "Scan: requests between two scans. Shifting: requests between two moves of the hot keys.",
        config.workload.period
    ),
    int_param!(
        "scan",
        "Scan length",
        "keys",
        1,
        MAX_ITEMS as u64,
        "Scan: keys each scan reads once and never again.",
        config.workload.scan_len
    ),
    int_param!(
        "maxsize",
        "Largest object",
        "bytes",
        1,
        MAX_OBJECT_SIZE as u64,
        "Each key's size is spread from 1 byte to this (it weights the byte miss ratio only).",
        config.workload.max_size
    ),
    Param {
        key: "ev",
        label: "Events",
        help: "Crashes and outages before a request number, comma-separated: crash@N, \
               db_down@N, db_up@N (in order, at most the number of requests).",
        unit: "",
        kind: Kind::Text,
        show: Show::LinkOnly,
        read: |s, t| {
            s.events = parse_events(t)?;
            Ok(())
        },
        write: |s| {
            if !s.config.workload.kind.is_generated() {
                return String::new();
            }
            s.events
                .iter()
                .map(|e| format!("{}@{}", e.kind.id(), e.at))
                .collect::<Vec<_>>()
                .join(",")
        },
    },
    Param {
        show: Show::LinkOnly,
        write: |s| {
            if s.config.workload.kind.is_generated() {
                s.steps.to_string()
            } else {
                "0".to_owned()
            }
        },
        ..int_param!(
            "step",
            "Steps taken",
            "steps",
            0,
            u64::MAX,
            "How many steps the page had taken; the lab replays them.",
            steps
        )
    },
];

/// Reads `cmp`: `all` (every policy, in menu order), an empty list, or policy ids. Repeats
/// are kept here and dropped by [`LabScenario::adjust`] with a notice, so the rest of the
/// list survives.
fn parse_compare(text: &str) -> Result<Vec<PolicyKind>, String> {
    if text == "all" {
        return Ok(PolicyKind::ALL.to_vec());
    }
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|id| {
            PolicyKind::from_id(id).ok_or_else(|| {
                format!(
                    "all, or a comma-separated list of policies ({} is not one of {})",
                    crate::schema::quote(id),
                    PolicyKind::ALL.map(PolicyKind::id).join(", ")
                )
            })
        })
        .collect()
}

fn format_compare(compare: &[PolicyKind]) -> String {
    if compare == PolicyKind::ALL {
        return "all".to_owned();
    }
    compare.iter().map(|k| k.id()).collect::<Vec<_>>().join(",")
}

fn parse_events(text: &str) -> Result<Vec<CacheEvent>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .enumerate()
        .map(|(idx, item)| {
            let event = item.split_once('@').and_then(|(kind, at)| {
                Some(CacheEvent {
                    kind: EventKind::from_id(kind)?,
                    at: at.parse().ok()?,
                })
            });
            event.ok_or_else(|| {
                format!(
                    "a list of events such as crash@1200,db_down@3000,db_up@4000 (event {}, {}, \
                     is not crash, db_down or db_up @ a request number)",
                    idx + 1,
                    crate::schema::quote(item)
                )
            })
        })
        .collect()
}

/// How many requests the scenario's workload has: exact for a generated one, an upper bound
/// for a trace given as text (its lines that are not blank or comments), 0 for a trace parsed
/// elsewhere (the lab checks it when it is loaded).
pub(super) fn request_bound(scenario: &CacheScenario) -> u64 {
    let workload = &scenario.config.workload;
    if workload.kind.is_generated() {
        u64::from(workload.requests)
    } else {
        workload
            .trace
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .count() as u64
    }
}

/// Checks `requests` × `n_policies` against [`MAX_WORK`].
pub(super) fn check_work(requests: u64, n_policies: u64) -> Result<(), ConfigError> {
    let work = requests.saturating_mul(n_policies);
    if work > MAX_WORK {
        let max_requests = MAX_WORK / n_policies.max(1);
        return Err(ConfigError::Invalid(format!(
            "{} requests (n) × {n_policies} policies (policy and cmp) is {} simulated \
             requests, more than the {} a run may take: use at most {} requests with \
             {n_policies} policies, or compare fewer policies",
            crate::format::thousands(requests),
            crate::format::thousands(work),
            crate::format::thousands(MAX_WORK),
            crate::format::thousands(max_requests),
        )));
    }
    Ok(())
}

impl LabScenario for CacheScenario {
    fn version(&self) -> u32 {
        self.version
    }

    /// The config's own checks, then the work budget.
    fn check(&self) -> Result<(), ConfigError> {
        self.config.validate()?;
        check_work(request_bound(self), self.config.policies().len() as u64)
    }

    /// A trace travels in the page or the file, never in a link.
    fn in_link(&self) -> bool {
        self.config.workload.kind.is_generated()
    }

    /// A comparison that lists a policy more than once keeps one of each, with a notice.
    fn adjust(&mut self) -> Option<Notice> {
        let compare = &mut self.config.compare;
        let mut distinct: Vec<PolicyKind> = Vec::with_capacity(compare.len());
        for kind in compare.iter() {
            if !distinct.contains(kind) {
                distinct.push(*kind);
            }
        }
        (distinct.len() < compare.len()).then(|| {
            *compare = distinct;
            Notice::new("cmp", "lists a policy more than once; dropped the repeats")
        })
    }

    /// Events are put in order and moved to at most the last request, and the step count is
    /// clamped to the run's length, each with a notice.
    fn settle(&mut self, notices: &mut Vec<Notice>) {
        if !self.config.workload.kind.is_generated() {
            return;
        }
        let total = self.config.workload.requests;
        if !self.events.is_sorted_by_key(|e| e.at) || self.events.iter().any(|e| e.at > total) {
            notices.push(Notice::new(
                "ev",
                format!("events must be in order and at most request {total}; sorted and clamped"),
            ));
            for e in &mut self.events {
                e.at = e.at.min(total);
            }
            crate::sort::sort_by_key(&mut self.events, |e| e.at);
        }
        let steps = u64::from(total.div_ceil(self.config.batch.max(1)));
        if self.steps > steps {
            notices.push(Notice::new(
                "step",
                format!("the run has {steps} steps; using {steps}"),
            ));
            self.steps = steps;
        }
    }
}
