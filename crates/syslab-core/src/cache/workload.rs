//! The request stream: seeded workloads (Zipf, uniform, scans over a hot set, a loop, a
//! shifting hot set) with a read/write mix and object sizes, or a replayed trace.

use serde::{Deserialize, Serialize};

use super::choice;
use super::trace::{BadLines, Trace, TraceParser};
use super::zipf::Zipf;
use crate::error::ConfigError;
use crate::rng::{SplitMix64, mix64};
use crate::schema::Choice;

/// The shape of the generated keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkloadKind {
    /// Key of rank k with probability ∝ 1 / k^skew: a few hot keys, a long tail.
    #[default]
    Zipf,
    /// Every key equally likely.
    Uniform,
    /// Zipf traffic interrupted every `period` requests by a scan of `scan_len` keys read once
    /// (a report or a backup): the scan pollutes recency-based caches.
    Scan,
    /// Keys 0, 1, …, items − 1, 0, 1, … in a loop: LRU misses everything once the loop is larger
    /// than the cache.
    Loop,
    /// Zipf whose hot keys move to other keys every `period` requests.
    Shifting,
    /// The requests of a trace (`trace`).
    Trace,
}

impl WorkloadKind {
    /// Every kind, in menu order.
    pub const ALL: [WorkloadKind; 6] = [
        WorkloadKind::Zipf,
        WorkloadKind::Uniform,
        WorkloadKind::Scan,
        WorkloadKind::Loop,
        WorkloadKind::Shifting,
        WorkloadKind::Trace,
    ];

    /// The identifier used in URLs and JSON.
    /// Every kind's id (in links and JSON) and name, in the order of [`WorkloadKind::ALL`].
    pub const CHOICES: &'static [Choice] = &[
        choice("zipf", "Zipf (skewed)"),
        choice("uniform", "Uniform"),
        choice("scan", "Zipf with scans"),
        choice("loop", "Loop"),
        choice("shifting", "Shifting hot set"),
        choice("trace", "Imported trace"),
    ];

    /// The kinds a link may give: every kind but the trace.
    pub const GENERATED: &'static [Choice] = Self::CHOICES.split_at(5).0;

    /// The identifier used in URLs and JSON.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }

    /// The kind with identifier `id`.
    pub fn from_id(id: &str) -> Option<WorkloadKind> {
        WorkloadKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// How the requests are generated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkloadConfig {
    /// The pattern of keys.
    pub kind: WorkloadKind,
    /// Distinct keys the generated traffic draws from (1 to 1,000,000).
    pub items: u32,
    /// Requests in the run (1 to 2,000,000); a trace has its own count.
    pub requests: u32,
    /// Zipf exponent: 0 is uniform, 1 is classic web traffic, higher is more skewed (0 to 5).
    pub skew: f64,
    /// Share of requests that are writes, from 0 to 1 (a trace says per line).
    pub write_ratio: f64,
    /// Requests between two scans (scan) or two moves of the hot set (shifting).
    pub period: u32,
    /// Keys read by each scan; each is read once and never again.
    pub scan_len: u32,
    /// Largest object size in bytes: each key's size is spread from 1 to this by its hash
    /// (1 makes every object one byte, so byte and object miss ratios agree).
    pub max_size: u32,
    /// The trace replayed when the kind is `trace`: one request per line (see the trace format).
    pub trace: String,
    /// Whether a malformed trace line rejects the whole trace (else it is skipped and reported).
    pub strict: bool,
}

impl Default for WorkloadConfig {
    fn default() -> Self {
        Self {
            kind: WorkloadKind::Zipf,
            items: 1_000,
            requests: 20_000,
            skew: 1.0,
            write_ratio: 0.0,
            period: 2_000,
            scan_len: 500,
            max_size: 1,
            trace: String::new(),
            strict: false,
        }
    }
}

/// The most distinct keys of generated traffic.
pub const MAX_ITEMS: u32 = 1_000_000;
/// The most requests of a run.
pub const MAX_REQUESTS: u32 = 2_000_000;
/// The largest Zipf exponent.
pub const MAX_SKEW: f64 = 5.0;

/// The requests of a run as parallel columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stream {
    /// Key of each request.
    pub keys: Vec<u64>,
    /// Whether each request is a write.
    pub writes: Vec<bool>,
    /// Object size of each request.
    pub sizes: Vec<u32>,
    /// One more than the largest key.
    pub key_space: u64,
    /// The trace, when replaying one (for key names and skipped lines).
    pub trace: Option<Trace>,
}

impl Stream {
    /// Requests.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no request.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// A stream replaying `trace`.
    pub fn from_trace(trace: Trace) -> Stream {
        Stream {
            keys: trace.keys.clone(),
            writes: trace.writes.clone(),
            sizes: trace.sizes.clone(),
            key_space: trace.n_keys(),
            trace: Some(trace),
        }
    }

    /// How a key is shown: its trace name, or `k` and its number.
    pub fn key_label(&self, key: u64) -> String {
        match self.trace.as_ref().and_then(|t| t.name(key)) {
            Some(name) => name.to_owned(),
            None => format!("k{key}"),
        }
    }
}

impl WorkloadConfig {
    /// Checks the workload, returning the first problem found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let out = |what, value: String, range| Err(ConfigError::OutOfRange { what, value, range });
        if self.kind != WorkloadKind::Trace {
            if !(1..=MAX_ITEMS).contains(&self.items) {
                return out(
                    "the number of keys",
                    self.items.to_string(),
                    "1 to 1,000,000",
                );
            }
            if !(1..=MAX_REQUESTS).contains(&self.requests) {
                return out(
                    "the number of requests",
                    self.requests.to_string(),
                    "1 to 2,000,000",
                );
            }
        }
        if !(self.skew.is_finite() && (0.0..=MAX_SKEW).contains(&self.skew)) {
            return out(
                "the skew",
                crate::format::trimmed(self.skew, 12),
                "a number from 0 to 5",
            );
        }
        if !(self.write_ratio.is_finite() && (0.0..=1.0).contains(&self.write_ratio)) {
            return out(
                "the write share",
                crate::format::trimmed(self.write_ratio, 12),
                "a number from 0 to 1",
            );
        }
        if !(1..=MAX_REQUESTS).contains(&self.period) {
            return out("the period", self.period.to_string(), "1 to 2,000,000");
        }
        if !(1..=MAX_ITEMS).contains(&self.scan_len) {
            return out(
                "the scan length",
                self.scan_len.to_string(),
                "1 to 1,000,000",
            );
        }
        if !(1..=super::trace::MAX_OBJECT_SIZE).contains(&self.max_size) {
            return out(
                "the largest object size",
                self.max_size.to_string(),
                "1 to 1,000,000 bytes",
            );
        }
        Ok(())
    }

    /// Builds the stream (parsing the trace for the trace kind).
    pub fn stream(&self, seed: u64) -> Result<Stream, ConfigError> {
        self.validate()?;
        if self.kind == WorkloadKind::Trace {
            let mode = if self.strict {
                BadLines::Reject
            } else {
                BadLines::Skip
            };
            let trace = TraceParser::parse(&self.trace, mode)
                .map_err(|err| ConfigError::Parse(err.to_string()))?;
            return Ok(Stream::from_trace(trace));
        }
        let n = self.requests as usize;
        let items = u64::from(self.items);
        let mut rng = SplitMix64::new(seed);
        let zipf = Zipf::new(items, self.skew).ok_or(ConfigError::OutOfRange {
            what: "the skew",
            value: crate::format::trimmed(self.skew, 12),
            range: "a number from 0 to 5",
        })?;
        let mut keys = Vec::with_capacity(n);
        let mut writes = Vec::with_capacity(n);
        let mut next_scan_key = items;
        let period = u64::from(self.period);
        let scan_len = u64::from(self.scan_len);
        for i in 0..n as u64 {
            let key = match self.kind {
                WorkloadKind::Zipf => zipf.sample(&mut rng) - 1,
                WorkloadKind::Uniform => rng.below(items),
                WorkloadKind::Loop => i % items,
                WorkloadKind::Scan => {
                    // Each period ends with a scan of fresh keys that are never read again.
                    if i % period >= period.saturating_sub(scan_len) {
                        next_scan_key += 1;
                        next_scan_key - 1
                    } else {
                        zipf.sample(&mut rng) - 1
                    }
                }
                WorkloadKind::Shifting => {
                    // The hot ranks map to keys shifted by a third of the key space per period.
                    let shift = (i / period) * (items / 3).max(1);
                    (zipf.sample(&mut rng) - 1 + shift) % items
                }
                WorkloadKind::Trace => 0,
            };
            keys.push(key);
            writes.push(self.write_ratio > 0.0 && rng.unit_f64() < self.write_ratio);
        }
        let max_size = u64::from(self.max_size);
        let sizes = keys
            .iter()
            .map(|&k| 1 + (mix64(k ^ seed.rotate_left(17)) % max_size) as u32)
            .collect();
        Ok(Stream {
            keys,
            writes,
            sizes,
            key_space: next_scan_key,
            trace: None,
        })
    }
}
