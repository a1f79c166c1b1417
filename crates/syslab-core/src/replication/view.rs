//! [`ReplView`]: what the page draws, computed here: replicas on a circle with their links
//! (cut one way, both ways, or not), messages in flight, the staleness chart (measured
//! against the closed form) and the accounting table.

use super::lab::ReplLab;
use super::wire::MsgKind;
use crate::chart::{AxisSpec, ChartView, Dash, LegendEntry, Orient, SeriesSpec, Unit};
use crate::format::{percent, thousands};

/// The drawing's size in view units (square).
pub const VIEW_SIZE: i32 = 400;
const CENTER: f64 = 200.0;
const RADIUS: f64 = 150.0;
/// The most message dots drawn.
pub const MAX_DOTS: usize = 300;

/// A point in view units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

/// One replica on the circle.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaView {
    pub at: Point,
    pub name: String,
    /// "clock +5 ms", or empty without skew.
    pub clock: String,
    /// "18/20 keys current".
    pub keys: String,
    /// Leader mode: "leader", "deposed" (a replaced leader that still believes it leads, or
    /// the last one replaced), "follower"; empty when leaderless.
    pub role: &'static str,
    /// Crashed (click it to restart it).
    pub down: bool,
}

/// The link between replicas `a` < `b`.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkView {
    pub a: u32,
    pub b: u32,
    pub from: Point,
    pub to: Point,
    /// Whether messages from a to b, and from b to a, are cut now.
    pub cut_ab: bool,
    pub cut_ba: bool,
    /// "r1 – r2: open", for the tooltip and screen readers.
    pub label: String,
}

/// A message in flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DotView {
    pub at: Point,
    /// 0 write (or replicated entry), 1 acknowledgement, 2 read, 3 read reply (or refusal),
    /// 4 repair, 5 heartbeat (or fencing).
    pub kind: u8,
}

/// One row of the accounting table.
#[derive(Clone, Debug, PartialEq)]
pub struct RowView {
    pub label: &'static str,
    pub value: String,
    /// Whether it counts something that went wrong and is not zero.
    pub alarm: bool,
}

/// One row of the quorum comparison (`cmp=1`): a quorum choice and what its clients saw.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRowView {
    /// "this run: R=1 W=1", "majorities: R=2 W=2".
    pub label: String,
    /// Writes refused, reads refused, stale reads, acknowledged writes lost, and
    /// read-your-writes and monotonic-read violations, each "n (share)" or a count.
    pub cells: [String; 6],
    /// Which cells count something that went wrong and are not zero.
    pub alarms: [bool; 6],
}

/// Everything the page draws.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplView {
    pub replicas: Vec<ReplicaView>,
    pub links: Vec<LinkView>,
    pub dots: Vec<DotView>,
    pub rows: Vec<RowView>,
    /// The quorum comparison: this run first, then the others (empty unless `cmp=1`).
    pub compare: Vec<CompareRowView>,
    /// What the comparison varies: "quorums" or "replication".
    pub compare_by: &'static str,
    /// Whether a leader orders the writes (the staleness chart then does not apply).
    pub leader: bool,
    pub chart: ChartView,
    /// One line on the run: time, quorums, and whether R + W > N.
    pub status: String,
    /// The staleness experiment in a sentence.
    pub staleness_note: String,
}

fn place(i: u32, n: u32) -> (f64, f64) {
    let angle = std::f64::consts::TAU * f64::from(i) / f64::from(n) - std::f64::consts::FRAC_PI_2;
    (
        CENTER + RADIUS * libm::cos(angle),
        CENTER + RADIUS * libm::sin(angle),
    )
}

fn point((x, y): (f64, f64)) -> Point {
    Point {
        x: libm::round(x) as i32,
        y: libm::round(y) as i32,
    }
}

impl ReplLab {
    pub fn view(&self) -> ReplView {
        let sim = self.sim();
        let cfg = self.config();
        let n = cfg.n;
        let now = sim.now();
        let leader = sim.leader();
        let replicas = (0..n)
            .map(|i| {
                let off = sim.offset(i) as f64 / 1e6;
                let keys = format!("{}/{} keys current", sim.up_to_date(i as usize), cfg.keys);
                let (role, keys) = match leader {
                    None => ("", keys),
                    Some((l, deposed, _)) => {
                        let (len, epoch, leads) = sim.replica_state(i);
                        let role = if i == l {
                            "leader"
                        } else if leads || deposed == Some(i) {
                            "deposed"
                        } else {
                            "follower"
                        };
                        (
                            role,
                            format!("{keys} · log {} · epoch {epoch}", thousands(len as u64)),
                        )
                    }
                };
                ReplicaView {
                    at: point(place(i, n)),
                    name: format!("r{}", i + 1),
                    clock: if cfg.skew_ms > 0.0 && leader.is_none() {
                        format!("clock {off:+.0} ms")
                    } else {
                        String::new()
                    },
                    keys,
                    role,
                    down: sim.is_down(i),
                }
            })
            .collect();
        let mut links = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                let (cut_ab, cut_ba) = (sim.is_cut(a, b, now), sim.is_cut(b, a, now));
                let state = match (cut_ab, cut_ba) {
                    (false, false) => "open".to_owned(),
                    (true, true) => "cut".to_owned(),
                    (true, false) => format!("cut from r{} to r{} only", a + 1, b + 1),
                    (false, true) => format!("cut from r{} to r{} only", b + 1, a + 1),
                };
                links.push(LinkView {
                    a,
                    b,
                    from: point(place(a, n)),
                    to: point(place(b, n)),
                    cut_ab,
                    cut_ba,
                    label: format!("r{} – r{}: {state}", a + 1, b + 1),
                });
            }
        }
        let dots = sim
            .in_flight()
            .take(MAX_DOTS)
            .map(|m| {
                let span = m.arrives.saturating_sub(m.sent).max(1) as f64;
                let f = (now.saturating_sub(m.sent) as f64 / span).clamp(0.0, 1.0);
                let (x0, y0) = place(m.from, n);
                let (x1, y1) = place(m.to, n);
                DotView {
                    at: point((x0 + (x1 - x0) * f, y0 + (y1 - y0) * f)),
                    kind: match m.kind {
                        MsgKind::WriteReq { .. }
                        | MsgKind::ClientWrite { .. }
                        | MsgKind::Replicate { .. } => 0,
                        MsgKind::WriteAck { .. } | MsgKind::ReplAck { .. } => 1,
                        MsgKind::ReadReq { .. } => 2,
                        MsgKind::ReadResp { .. } | MsgKind::Refuse { .. } => 3,
                        MsgKind::Repair { .. } => 4,
                        MsgKind::Heartbeat { .. }
                        | MsgKind::HeartbeatAck { .. }
                        | MsgKind::Reject { .. } => 5,
                    },
                }
            })
            .collect();
        let c = sim.counts;
        let of = |part: u64, whole: u64| {
            if whole == 0 {
                thousands(part)
            } else {
                format!(
                    "{} ({})",
                    thousands(part),
                    percent(part as f64 / whole as f64)
                )
            }
        };
        let row = |label, value, alarm| RowView {
            label,
            value,
            alarm,
        };
        let mut rows = vec![
            row("Writes", thousands(c.writes), false),
            row("acknowledged", of(c.writes_acked, c.writes), false),
            row(
                "acknowledged, then lost",
                of(c.acked_lost, c.writes_acked),
                c.acked_lost > 0,
            ),
            row(
                "refused (unavailable)",
                of(c.writes_refused, c.writes),
                c.writes_refused > 0,
            ),
            row("Reads", thousands(c.reads), false),
            row("answered", of(c.reads_ok, c.reads), false),
            row(
                "refused (unavailable)",
                of(c.reads_refused, c.reads),
                c.reads_refused > 0,
            ),
            row("stale", of(c.stale_reads, c.reads_ok), c.stale_reads > 0),
            row(
                "read-your-writes violations",
                thousands(c.ryw_violations),
                c.ryw_violations > 0,
            ),
            row(
                "monotonic-read violations",
                thousands(c.monotonic_violations),
                c.monotonic_violations > 0,
            ),
            match (self.linearizability(), self.checking()) {
                (Some(lin), _) => row("linearizable", lin.describe(), lin.violated()),
                (None, Some(done)) => row(
                    "linearizable",
                    format!("checking… {}", percent(done)),
                    false,
                ),
                (None, None) => row(
                    "linearizable",
                    "checked when the run ends".to_owned(),
                    false,
                ),
            },
            row("Messages", thousands(c.messages), false),
            row("lost to cuts and loss", of(c.dropped, c.messages), false),
        ];
        if let Some((l, _, epoch)) = leader {
            rows.push(row(
                "Failovers",
                format!(
                    "{} (leader r{}, epoch {epoch})",
                    thousands(c.failovers),
                    l + 1
                ),
                false,
            ));
            rows.push(row(
                "acknowledged by a deposed leader",
                thousands(c.deposed_acks),
                c.deposed_acks > 0,
            ));
            rows.push(row(
                "log entries discarded on rejoining",
                thousands(c.discarded),
                c.discarded > 0,
            ));
        } else {
            rows.push(row("read repairs", thousands(c.repairs), false));
        }
        if leader.is_none() && cfg.anti_entropy_ms == 0 {
            rows.push(row("Anti-entropy", "off".to_owned(), false));
        } else if leader.is_none() {
            rows.push(row(
                "Anti-entropy",
                format!(
                    "{} sessions, {} versions sent",
                    thousands(c.ae_sessions),
                    thousands(c.ae_repairs)
                ),
                false,
            ));
            rows.push(row(
                "hash comparisons",
                format!(
                    "{} (comparing every key: {})",
                    thousands(c.ae_comparisons),
                    thousands(c.ae_naive)
                ),
                false,
            ));
        }
        let st = self.staleness();
        let legend = vec![
            LegendEntry {
                id: "measured".to_owned(),
                label: "Monte Carlo".to_owned(),
                value: Some(percent(st.stale_at(0.0))),
                color: 0,
                emphasis: true,
            },
            LegendEntry {
                id: "closed".to_owned(),
                label: "closed form".to_owned(),
                value: st.closed.first().map(|p| percent(p.1)),
                color: 1,
                emphasis: false,
            },
        ];
        let mut series = vec![SeriesSpec {
            label: "P(stale), measured".to_owned(),
            group: 0,
            dash: Dash::Solid,
            points: st.measured.clone(),
        }];
        if !st.closed.is_empty() {
            series.push(SeriesSpec {
                label: "P(stale), closed form".to_owned(),
                group: 1,
                dash: Dash::Dashed,
                points: st.closed.clone(),
            });
        }
        let miss = st.quorum_miss_closed;
        let mut chart = ChartView::new(
            AxisSpec::new("time after the write was acknowledged", Unit::Millis)
                .range(0.0, st.tmax.max(1e-3)),
            AxisSpec::new("P(stale read)", Unit::Percent).reaching(miss.max(0.01)),
            legend,
            series,
        );
        if miss > 0.0 {
            chart = chart.with_ref(
                Orient::Horizontal,
                miss,
                format!("C(N−W,R)/C(N,R) = {}", percent(miss)),
            );
        }
        let strict = cfg.r + cfg.w > n;
        let status = if let Some((l, _, epoch)) = leader {
            format!(
                "{:.0} ms · N={n} · leader r{} (epoch {epoch}) · {} · reads from {} · fencing {} · {}",
                now.min(u64::from(cfg.duration_ms) * 2_000_000) as f64 / 1e6,
                l + 1,
                cfg.sync_label(),
                cfg.read_from.label(),
                if cfg.fence { "on" } else { "off" },
                cfg.latency.label()
            )
        } else {
            format!(
                "{:.0} ms · N={n} R={} W={} · {} · {}",
                now.min(u64::from(cfg.duration_ms) * 2_000_000) as f64 / 1e6,
                cfg.r,
                cfg.w,
                if strict {
                    "R + W > N: every read quorum meets every write quorum"
                } else {
                    "R + W ≤ N: a read can miss the latest write"
                },
                cfg.latency.label()
            )
        };
        let staleness_note = if leader.is_some() {
            "The staleness curve models leaderless quorums (R and W); with a leader, the table \
             counts what clients saw."
                .to_owned()
        } else {
            format!(
                "{} simulated writes (WARS model, {}): write latency mean {:.2} ms, read {:.2} ms; \
             a read's quorum missed every acknowledging replica in {} of writes \
             (C(N−W,R)/C(N,R) = {}).",
                thousands(u64::from(st.probes)),
                cfg.latency.label(),
                st.write_mean_ms,
                st.read_mean_ms,
                percent(st.quorum_miss),
                percent(miss)
            )
        };
        let compare = if self.compared().is_empty() {
            Vec::new()
        } else {
            let this = if leader.is_some() {
                format!("this run: {}", cfg.sync_label())
            } else {
                format!("this run: R={} W={}", cfg.r, cfg.w)
            };
            std::iter::once((this, c))
                .chain(
                    self.compared()
                        .iter()
                        .map(|(l, sim)| (l.clone(), sim.counts)),
                )
                .map(|(label, c)| compare_row(label, &c))
                .collect()
        };
        ReplView {
            replicas,
            links,
            dots,
            rows,
            compare,
            leader: leader.is_some(),
            compare_by: if leader.is_some() {
                "replication"
            } else {
                "quorums"
            },
            chart,
            status,
            staleness_note,
        }
    }
}

/// A comparison row's cells from a run's counts.
fn compare_row(label: String, c: &super::counts::Counts) -> CompareRowView {
    let of = |part: u64, whole: u64| {
        if whole == 0 {
            thousands(part)
        } else {
            format!(
                "{} ({})",
                thousands(part),
                percent(part as f64 / whole as f64)
            )
        }
    };
    let counts = [
        c.writes_refused,
        c.reads_refused,
        c.stale_reads,
        c.acked_lost,
        c.ryw_violations,
        c.monotonic_violations,
    ];
    CompareRowView {
        label,
        cells: [
            of(c.writes_refused, c.writes),
            of(c.reads_refused, c.reads),
            of(c.stale_reads, c.reads_ok),
            of(c.acked_lost, c.writes_acked),
            thousands(c.ryw_violations),
            thousands(c.monotonic_violations),
        ],
        alarms: counts.map(|n| n > 0),
    }
}
