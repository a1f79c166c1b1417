//! The cache lab's view model: every position, label and number the browser draws.
//!
//! The slot strip shows the first [`MAX_DRAWN_SLOTS`] slots in rows of [`SLOT_COLUMNS`], each
//! [`SLOT_SIZE`] view units square with a gap, and flashes each slot with what the last step did
//! to it (at a high speed a step is many requests, so a slot shows its last event and
//! [`CacheView::summary`] counts the rest). The charts are [`ChartView`]s.

use std::fmt::Write;

use super::lab::CacheLab;
use super::metrics::N_POINTS;
use super::policy::PolicyKind;
use super::sim::EventKind;
use super::sim::Outcome;
use crate::chart::{AxisSpec, ChartView, Dash, LegendEntry, Orient, SeriesSpec, Unit};
use crate::format::{percent, thousands};

/// The most slots the strip draws.
pub const MAX_DRAWN_SLOTS: usize = 64;
/// Slots per row of the strip.
pub const SLOT_COLUMNS: u32 = 16;
/// Side of a slot, in view units (slots are `SLOT_SIZE + 4` apart).
pub const SLOT_SIZE: i32 = 56;
/// Width of a table row's hit-ratio bar at 100%.
pub const CHART_WIDTH: i32 = 600;
/// Recent requests listed, newest first.
const LISTED: usize = 16;

/// What the last step did to a slot; the id is the CSS class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flash {
    /// Nothing.
    None,
    /// A read hit.
    Hit,
    /// A read hit on an outdated value.
    Stale,
    /// A key stored in a free slot.
    Insert,
    /// A key evicted (and another stored in its place, if the slot is occupied).
    Evict,
    /// A write stored the key.
    Write,
}

impl Flash {
    /// The CSS class.
    pub fn id(self) -> &'static str {
        match self {
            Flash::None => "none",
            Flash::Hit => "hit",
            Flash::Stale => "stale",
            Flash::Insert => "insert",
            Flash::Evict => "evict",
            Flash::Write => "write",
        }
    }
}

/// One drawn slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotView {
    /// The slot number.
    pub slot: u32,
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// The key, or "" if empty.
    pub label: String,
    /// What the last step did to it.
    pub flash: Flash,
    /// Holds a write the database has not seen (write-back).
    pub dirty: bool,
    /// Holds a value older than the key's last acknowledged write.
    pub stale: bool,
    /// Tooltip, e.g. "slot 3: k42 (version 7, dirty)".
    pub title: String,
}

/// One recent request, e.g. "#1,204 get k42 → hit in slot 3".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentView {
    /// The sentence.
    pub text: String,
    /// What happened (its id is the CSS class).
    pub outcome: Outcome,
}

/// One row of the comparison table, preformatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowView {
    /// The policy.
    pub policy: PolicyKind,
    /// Its name.
    pub label: &'static str,
    /// Whether it is the policy the lab shows.
    pub selected: bool,
    /// Hit ratio, e.g. "42.1%".
    pub hit_ratio: String,
    /// Byte miss ratio, e.g. "57.9%".
    pub byte_miss_ratio: String,
    /// Evictions, e.g. "1,204".
    pub evictions: String,
    /// Width of the hit-ratio bar, 0 to [`CHART_WIDTH`].
    pub bar: i32,
}

/// One labelled number of the write-strategy panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatView {
    /// What it counts.
    pub label: &'static str,
    /// The value, formatted.
    pub value: String,
}

/// Everything the cache lab draws.
#[derive(Clone, Debug, PartialEq)]
pub struct CacheView {
    /// The drawn slots, in slot order.
    pub slots: Vec<SlotView>,
    /// Slots beyond the drawn ones.
    pub hidden_slots: u32,
    /// Height of the strip.
    pub strip_height: i32,
    /// Recent requests, newest first.
    pub recent: Vec<RecentView>,
    /// What the last step did, e.g. "last 100 requests: 61 hits, 39 misses, 35 evictions".
    pub summary: String,
    /// The comparison table, the shown policy first.
    pub rows: Vec<RowView>,
    /// Hit ratio per time bucket and policy against the requests served; the legend gives
    /// each policy's hit ratio over the run so far (the table's figure).
    pub hit_chart: ChartView,
    /// Database operations per bucket (shown policy), with the events as annotations.
    pub db_chart: ChartView,
    /// Miss-ratio curves: hit ratio against cache size (logarithmic), the configured size as a
    /// reference line.
    pub mrc_chart: ChartView,
    /// The write-strategy numbers.
    pub stats: Vec<StatView>,
    /// "request 1,204 of 20,000 · LRU · 50 slots · cache-aside · database up".
    pub status: String,
}

/// A policy's legend entry: its colour is its place in [`PolicyKind::ALL`], so a policy keeps
/// its colour on every chart whatever is compared.
fn policy_entry(policy: PolicyKind, value: Option<String>, shown: bool) -> LegendEntry {
    LegendEntry {
        id: policy.id().to_owned(),
        label: policy.label().to_owned(),
        value,
        color: PolicyKind::ALL
            .iter()
            .position(|p| *p == policy)
            .unwrap_or(0),
        emphasis: shown,
    }
}

impl CacheLab {
    /// The view model now.
    pub fn view(&self) -> CacheView {
        let snapshot = self.snapshot();
        let table = self.sim.policy.table();
        let capacity = table.capacity();
        let drawn = (capacity as usize).min(MAX_DRAWN_SLOTS);
        let mut flashes = vec![Flash::None; drawn];
        let (mut hits, mut misses, mut evictions, mut writes) = (0, 0, 0, 0);
        for r in &self.last_step {
            match r.outcome {
                Outcome::Hit | Outcome::StaleHit => hits += 1,
                Outcome::Miss | Outcome::FailedRead => misses += 1,
                Outcome::Write | Outcome::FailedWrite => writes += 1,
            }
            if let Some((_, s)) = r.evicted {
                evictions += 1;
                if let Some(f) = flashes.get_mut(s as usize) {
                    *f = Flash::Evict;
                }
            }
            if let Some(s) = r.slot
                && let Some(f) = flashes.get_mut(s as usize)
            {
                let replaced = r.evicted.is_some_and(|(_, e)| e == s);
                *f = match r.outcome {
                    Outcome::Hit => Flash::Hit,
                    Outcome::StaleHit => Flash::Stale,
                    Outcome::Write => Flash::Write,
                    _ if replaced => Flash::Evict,
                    _ => Flash::Insert,
                };
            }
        }
        let occupied = table.occupied();
        let slots = (0..drawn)
            .map(|i| {
                let slot = i as u32;
                let (x, y) = (
                    (slot % SLOT_COLUMNS) as i32 * (SLOT_SIZE + 4),
                    (slot / SLOT_COLUMNS) as i32 * (SLOT_SIZE + 4),
                );
                if !occupied[i] {
                    return SlotView {
                        slot,
                        x,
                        y,
                        label: String::new(),
                        flash: flashes[i],
                        dirty: false,
                        stale: false,
                        title: format!("slot {slot}: empty"),
                    };
                }
                let label = self.stream.key_label(table.key(slot));
                let (version, dirty) = self.sim.slot_state(slot);
                let stale = self.sim.slot_is_stale(slot);
                let mut title = format!("slot {slot}: {label} (version {version}");
                if dirty {
                    title.push_str(", dirty");
                }
                if stale {
                    title.push_str(", stale");
                }
                title.push(')');
                SlotView {
                    slot,
                    x,
                    y,
                    label,
                    flash: flashes[i],
                    dirty,
                    stale,
                    title,
                }
            })
            .collect();
        let rows_drawn = (drawn as u32).div_ceil(SLOT_COLUMNS) as i32;
        let recent = self
            .recent
            .iter()
            .rev()
            .take(LISTED)
            .map(|r| {
                let op = if self.stream.writes[r.pos as usize] {
                    "set"
                } else {
                    "get"
                };
                let mut text = format!(
                    "#{} {op} {} → {}",
                    thousands(u64::from(r.pos) + 1),
                    self.stream.key_label(r.key),
                    r.outcome.id().replace('_', " ")
                );
                if let Some(s) = r.slot {
                    let _ = write!(text, " in slot {s}");
                }
                if let Some((k, _)) = r.evicted {
                    let _ = write!(text, ", evicted {}", self.stream.key_label(k));
                }
                RecentView {
                    text,
                    outcome: r.outcome,
                }
            })
            .collect();
        let summary = format!(
            "last {} requests: {hits} hits, {misses} misses, {writes} writes, {evictions} evictions",
            thousands(self.last_step.len() as u64)
        );
        let rows = snapshot
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| RowView {
                policy: r.policy,
                label: r.policy.label(),
                selected: i == 0,
                hit_ratio: percent(r.hit_ratio),
                byte_miss_ratio: percent(r.byte_miss_ratio),
                evictions: thousands(r.evictions),
                bar: (r.hit_ratio.clamp(0.0, 1.0) * f64::from(CHART_WIDTH)) as i32,
            })
            .collect();
        // Bucket b covers requests [b·n/N, (b+1)·n/N); its point sits at the middle.
        let n_requests = self.stream.len() as f64;
        let x_of_bucket = |b: usize| (b as f64 + 0.5) * n_requests / f64::from(N_POINTS);
        let requests = AxisSpec::new("requests", Unit::Count).range(0.0, n_requests.max(1.0));
        let ratio = AxisSpec::new("hit ratio", Unit::Percent).range(0.0, 1.0);
        let hit_chart = ChartView::new(
            requests.clone(),
            ratio.clone(),
            snapshot
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| policy_entry(r.policy, Some(percent(r.hit_ratio)), i == 0))
                .collect(),
            snapshot
                .rows
                .iter()
                .enumerate()
                .rev()
                .map(|(i, r)| SeriesSpec {
                    label: r.policy.label().to_owned(),
                    group: i,
                    dash: Dash::Solid,
                    points: r
                        .series
                        .iter()
                        .enumerate()
                        .map(|(b, v)| (x_of_bucket(b), *v))
                        .collect(),
                })
                .collect(),
        );
        let mut db_chart = ChartView::new(
            requests,
            AxisSpec::new("database operations per bucket", Unit::Count),
            vec![policy_entry(self.config.policy, None, true)],
            vec![SeriesSpec {
                label: "database reads + writes".to_owned(),
                group: 0,
                dash: Dash::Solid,
                points: snapshot
                    .db_ops_series
                    .iter()
                    .enumerate()
                    .map(|(b, ops)| (x_of_bucket(b), f64::from(*ops)))
                    .collect(),
            }],
        );
        let mut down_since = None;
        for event in &self.events {
            let at = f64::from(event.at);
            match event.kind {
                EventKind::CrashCache => {
                    db_chart = db_chart.with_note(at, None, "cache crash".to_owned());
                }
                EventKind::DbDown => down_since = down_since.or(Some(at)),
                EventKind::DbUp => {
                    if let Some(from) = down_since.take() {
                        db_chart = db_chart.with_note(from, Some(at), "database down".to_owned());
                    }
                }
            }
        }
        if let Some(from) = down_since {
            db_chart = db_chart.with_note(from, Some(n_requests), "database down".to_owned());
        }
        let sizes = self.mrc.sizes();
        let size_axis = AxisSpec::new("cache size (objects)", Unit::Count).log();
        let size_axis = match (sizes.first(), sizes.last()) {
            (Some(&lo), Some(&hi)) => size_axis.range(f64::from(lo.max(1)), f64::from(hi.max(1))),
            _ => size_axis,
        };
        let mut mrc_chart = ChartView::new(
            size_axis,
            ratio,
            snapshot
                .mrc
                .iter()
                .enumerate()
                .map(|(i, curve)| policy_entry(curve.policy, None, i == 0))
                .collect(),
            snapshot
                .mrc
                .iter()
                .enumerate()
                .rev()
                .map(|(i, curve)| SeriesSpec {
                    label: curve.policy.label().to_owned(),
                    group: i,
                    dash: Dash::Solid,
                    points: curve
                        .points
                        .iter()
                        .map(|p| (f64::from(p.size), p.hit_ratio))
                        .collect(),
                })
                .collect(),
        );
        let cap = self.config.capacity;
        if sizes.first().is_some_and(|&f| cap >= f) && sizes.last().is_some_and(|&l| cap <= l) {
            mrc_chart = mrc_chart.with_ref(
                Orient::Vertical,
                f64::from(cap),
                format!("size {}", thousands(u64::from(cap))),
            );
        }
        let c = &snapshot.counts;
        let us = |v: u32| format!("{} µs", thousands(u64::from(v)));
        let stats = vec![
            StatView {
                label: "read hit ratio",
                value: percent(snapshot.read_hit_ratio),
            },
            StatView {
                label: "byte miss ratio",
                value: percent(snapshot.byte_miss_ratio),
            },
            StatView {
                label: "database reads",
                value: thousands(c.db_reads),
            },
            StatView {
                label: "database writes",
                value: thousands(c.db_writes),
            },
            StatView {
                label: "read latency p50 / p95 / p99",
                value: format!(
                    "{} / {} / {}",
                    us(snapshot.latency.p50_us),
                    us(snapshot.latency.p95_us),
                    us(snapshot.latency.p99_us)
                ),
            },
            StatView {
                label: "stale reads",
                value: thousands(c.stale_reads),
            },
            StatView {
                label: "dirty entries",
                value: thousands(c.dirty),
            },
            StatView {
                label: "writes lost",
                value: thousands(c.lost_writes),
            },
            StatView {
                label: "failed writes",
                value: thousands(c.failed_writes),
            },
            StatView {
                label: "failed reads",
                value: thousands(c.failed_reads),
            },
            StatView {
                label: "expired",
                value: thousands(c.expirations),
            },
        ];
        let status = format!(
            "request {} of {} · {} · {} slots · {} · database {}",
            thousands(u64::from(snapshot.position)),
            thousands(u64::from(snapshot.total)),
            self.config.policy.label(),
            thousands(u64::from(capacity)),
            self.config.write.label(),
            if snapshot.db_up { "up" } else { "down" }
        );
        CacheView {
            slots,
            hidden_slots: capacity - drawn as u32,
            strip_height: rows_drawn * (SLOT_SIZE + 4),
            recent,
            summary,
            rows,
            hit_chart,
            db_chart,
            mrc_chart,
            stats,
            status,
        }
    }
}
