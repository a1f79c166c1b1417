//! The cache lab's view model: every position, label and number the browser draws.
//!
//! The slot strip shows the first [`MAX_DRAWN_SLOTS`] slots in rows of [`SLOT_COLUMNS`], each
//! [`SLOT_SIZE`] view units square with a gap, and flashes each slot with what the last step did
//! to it (at a high speed a step is many requests, so a slot shows its last event and
//! [`CacheView::summary`] counts the rest). Charts are [`CHART_WIDTH`] × [`CHART_HEIGHT`] with y
//! growing downwards; hit ratios map 0..1 to the chart's bottom..top.

use std::fmt::Write;

use super::lab::CacheLab;
use super::metrics::N_POINTS;
use super::policy::PolicyKind;
use super::sim::Outcome;
use crate::format::{percent, thousands};

/// The most slots the strip draws.
pub const MAX_DRAWN_SLOTS: usize = 64;
/// Slots per row of the strip.
pub const SLOT_COLUMNS: u32 = 16;
/// Side of a slot, in view units (slots are `SLOT_SIZE + 4` apart).
pub const SLOT_SIZE: i32 = 56;
/// Width of a chart.
pub const CHART_WIDTH: i32 = 600;
/// Height of a chart.
pub const CHART_HEIGHT: i32 = 200;
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

/// One policy's line on a chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurveView {
    /// The policy.
    pub policy: PolicyKind,
    /// Its name.
    pub label: &'static str,
    /// SVG polyline points, "x,y x,y …".
    pub points: String,
    /// The last value, e.g. "42.1%".
    pub last: String,
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
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// Hit ratio over time per policy (x: run position, y: hit ratio).
    pub hit_series: Vec<CurveView>,
    /// Database operations over time (shown policy), scaled to the chart.
    pub db_points: String,
    /// The database chart's top value, e.g. "max 80 per bucket".
    pub db_top: String,
    /// Miss-ratio curves: hit ratio (y) against cache size (x, logarithmic).
    pub mrc: Vec<CurveView>,
    /// Size labels of the curve's x axis: x and text.
    pub mrc_axis: Vec<(i32, String)>,
    /// x of the configured cache size on the curve's axis, if within it.
    pub mrc_capacity_x: Option<i32>,
    /// The write-strategy numbers.
    pub stats: Vec<StatView>,
    /// "request 1,204 of 20,000 · LRU · 50 slots · cache-aside · database up".
    pub status: String,
}

/// y of a ratio on a chart.
fn y_of(ratio: f64) -> i32 {
    CHART_HEIGHT - (ratio.clamp(0.0, 1.0) * f64::from(CHART_HEIGHT)) as i32
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
        let x_of_bucket = |b: usize| (b as i32 * CHART_WIDTH + CHART_WIDTH / 2) / N_POINTS as i32;
        let hit_series = snapshot
            .rows
            .iter()
            .map(|r| {
                let mut points = String::new();
                for (b, v) in r.series.iter().enumerate() {
                    let _ = write!(points, "{},{} ", x_of_bucket(b), y_of(*v));
                }
                CurveView {
                    policy: r.policy,
                    label: r.policy.label(),
                    points: points.trim_end().to_owned(),
                    last: percent(r.series.last().copied().unwrap_or(0.0)),
                }
            })
            .collect();
        let db_max = snapshot
            .db_ops_series
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
            .max(1);
        let mut db_points = String::new();
        for (b, &ops) in snapshot.db_ops_series.iter().enumerate() {
            let y = CHART_HEIGHT
                - (i64::from(ops) * i64::from(CHART_HEIGHT) / i64::from(db_max)) as i32;
            let _ = write!(db_points, "{},{} ", x_of_bucket(b), y);
        }
        // The curve's x axis is logarithmic in the cache size.
        let sizes: Vec<u32> = self.mrc.sizes().to_vec();
        let (lo, hi) = (
            libm::log(f64::from(*sizes.first().unwrap_or(&1))),
            libm::log(f64::from(*sizes.last().unwrap_or(&1))),
        );
        let span = (hi - lo).max(1e-9);
        let x_of_size = |size: u32| {
            ((libm::log(f64::from(size.max(1))) - lo) / span * f64::from(CHART_WIDTH)) as i32
        };
        let mrc = snapshot
            .mrc
            .iter()
            .map(|curve| {
                let mut points = String::new();
                for p in &curve.points {
                    let _ = write!(points, "{},{} ", x_of_size(p.size), y_of(p.hit_ratio));
                }
                CurveView {
                    policy: curve.policy,
                    label: curve.policy.label(),
                    points: points.trim_end().to_owned(),
                    last: percent(curve.points.last().map_or(0.0, |p| p.hit_ratio)),
                }
            })
            .collect();
        let mrc_axis = sizes
            .iter()
            .map(|&s| (x_of_size(s), thousands(u64::from(s))))
            .collect();
        let cap = self.config.capacity;
        let mrc_capacity_x = (sizes.first().is_some_and(|&f| cap >= f)
            && sizes.last().is_some_and(|&l| cap <= l))
        .then(|| x_of_size(cap));
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
            hit_series,
            db_points: db_points.trim_end().to_owned(),
            db_top: format!("max {} per bucket", thousands(u64::from(db_max))),
            mrc,
            mrc_axis,
            mrc_capacity_x,
            stats,
            status,
        }
    }
}
