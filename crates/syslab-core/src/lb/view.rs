//! The load-balancer lab's view model: every position, label and number the browser draws.
//!
//! Geometry is in integer view units on a [`VIEW_WIDTH`] × [`VIEW_HEIGHT`] canvas: clients on
//! the left, the forward proxy (if any) and the balancer in the middle, servers on the right.
//! The latency chart is a [`ChartView`].

use super::balancer::Algorithm;
use super::config::ServerState;
use super::lab::LoadBalancerLab;
use super::sim::{TRACES, Trace, TraceEnd};
use super::snapshot::{MAX_SERIES, RunSnapshot, sampled};
use crate::chart::{AxisSpec, ChartView, Dash, LegendEntry, SeriesSpec, Unit};
use crate::format::{fixed, percent, thousands, trimmed};

/// Width of the diagram and the chart.
pub const VIEW_WIDTH: i32 = 1_000;
/// Height of the diagram.
pub const VIEW_HEIGHT: i32 = 600;
/// The most request trips drawn in one frame.
pub const MAX_DOTS: usize = super::sim::TRACES;
/// The most client glyphs drawn; further clients share them.
pub const MAX_CLIENT_GLYPHS: u32 = 12;

const CLIENT_X: i32 = 60;
const PROXY_X: i32 = 240;
const BALANCER_X: i32 = 440;
const SERVER_X: i32 = 860;

/// A point of the diagram.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Point {
    /// Horizontal position.
    pub x: i32,
    /// Vertical position.
    pub y: i32,
}

/// What a dot carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DotKind {
    /// A request on its way to a server (or waiting at it).
    Request,
    /// A successful response on its way back.
    Response,
    /// A refusal (503) on its way back.
    Refused,
    /// A request whose client gave up waiting, on its way back as an error.
    TimedOut,
}

impl DotKind {
    /// The CSS class.
    pub fn id(self) -> &'static str {
        match self {
            DotKind::Request => "request",
            DotKind::Response => "response",
            DotKind::Refused => "refused",
            DotKind::TimedOut => "timed-out",
        }
    }
}

/// Ticks a trip takes from its client to its server, and again from its server back.
pub const TRIP_LEG_TICKS: f64 = 2.0;

/// One sampled request's whole trip, client → (proxy →) balancer → server → back, for one
/// step: where it was on its path at the previous tick (`from`) and where it is now (`to`),
/// as a share of the path. The browser moves the dot from one to the other between ticks.
///
/// The path is schematic in time: each half takes [`TRIP_LEG_TICKS`] ticks, and the dot waits
/// at the server until the request really ended (a timeout waits a second); what it shows
/// exactly is the server the balancer chose and how the request ended.
#[derive(Clone, Debug, PartialEq)]
pub struct TripView {
    /// The request's sample number, stable from step to step.
    pub id: u64,
    /// The points it passes, evenly timed: from its client to the server (or, refused by the
    /// balancer with no healthy server, to the balancer) and back the same way.
    pub path: Vec<Point>,
    /// The server chosen (the last attempt's), if any.
    pub server: Option<u32>,
    /// Its share of the path at the previous tick, 0 to 1 (0.5 is the server).
    pub from: f64,
    /// Its share of the path now.
    pub to: f64,
    /// How it ended, if it has by now: the colour of its way back.
    pub end: Option<DotKind>,
}

impl TripView {
    /// Where the dot is a share `f` (0 to 1) of the way from the previous tick to this one, and
    /// what it carries there.
    pub fn at(&self, f: f64) -> (Point, DotKind) {
        let s = (self.from + (self.to - self.from) * f.clamp(0.0, 1.0)).clamp(0.0, 1.0);
        let kind = match self.end {
            Some(end) if s > 0.5 => end,
            _ => DotKind::Request,
        };
        let legs = self.path.len().saturating_sub(1);
        if legs == 0 {
            return (self.path.first().copied().unwrap_or_default(), kind);
        }
        let u = s * legs as f64;
        let leg = (u as usize).min(legs - 1);
        (
            lerp(self.path[leg], self.path[leg + 1], u - leg as f64),
            kind,
        )
    }
}

/// Where a trip is at time `t` (ns), as a share of its path, or `None` before it arrived.
fn trip_share(trace: &Trace, t: u64, tick: u64) -> Option<f64> {
    if t < trace.arrived {
        return None;
    }
    let ticks = |ns: u64| ns as f64 / tick as f64;
    let tau = ticks(t - trace.arrived);
    if tau <= TRIP_LEG_TICKS || trace.end == TraceEnd::Pending || trace.ended > t {
        return Some(0.5 * (tau / TRIP_LEG_TICKS).min(1.0));
    }
    let back_at = ticks(trace.ended - trace.arrived).max(TRIP_LEG_TICKS);
    Some((0.5 + 0.5 * (tau - back_at) / TRIP_LEG_TICKS).clamp(0.5, 1.0))
}

/// One server's glyph.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerView {
    /// "s1" upwards.
    pub name: String,
    /// Its centre.
    pub at: Point,
    /// Its state.
    pub state: ServerState,
    /// CSS class: "up", "slow", "down", or "out" (up but taken out by health checks).
    pub class: &'static str,
    /// "s3 · slow ×10 · 4/4 busy · 12 queued".
    pub label: String,
    /// Whether health checks consider it up.
    pub healthy: bool,
    /// Requests in service and the capacity.
    pub active: u32,
    /// Capacity.
    pub capacity: u32,
    /// Requests waiting.
    pub queued: u32,
    /// Slots busy, 0 to 100 (the load bar).
    pub load_percent: f64,
    /// Queue fill, 0 to 100 (the queue bar; a queue limit of 0 shows 0).
    pub queue_percent: f64,
    /// Busy share of capacity during the last tick, 0 to 100.
    pub util_percent: f64,
    /// Its share of every request served over the run so far, 0 to 100.
    pub share_percent: f64,
    /// "14.2% · 3,410 served".
    pub share_label: String,
}

/// One row of the comparison table, preformatted.
#[derive(Clone, Debug, PartialEq)]
pub struct RowView {
    /// The algorithm.
    pub algorithm: Algorithm,
    /// Its name.
    pub label: &'static str,
    /// Whether it is the algorithm shown.
    pub selected: bool,
    /// "12,034 (98.1%)".
    pub successes: String,
    /// Timed-out requests.
    pub timeouts: String,
    /// Refused requests.
    pub rejections: String,
    /// Retries sent.
    pub retries: String,
    /// "3.2 / 10.5 / 25 / 80 ms" (p50 / p95 / p99 / p99.9).
    pub latency: String,
    /// Mean latency, "4.1 ms".
    pub mean: String,
    /// Successful requests per second, "2,398/s".
    pub rps: String,
    /// The busiest server's share of all served requests, "14.2%".
    pub max_share: String,
}

/// Everything the load-balancer lab draws.
#[derive(Clone, Debug, PartialEq)]
pub struct LbView {
    /// Client glyphs.
    pub clients: Vec<Point>,
    /// The forward proxy, if the clients are behind one.
    pub proxy: Option<Point>,
    /// The balancer.
    pub balancer: Point,
    /// Servers, by index.
    pub servers: Vec<ServerView>,
    /// Sampled requests on their trips this step (at most [`MAX_DOTS`]); none once the run
    /// is over.
    pub trips: Vec<TripView>,
    /// Whether the run and its drain are over: the diagram then shows each server's share.
    pub over: bool,
    /// Latency over the run: p99 (solid) and p50 (dashed) per algorithm, the shown one first,
    /// server changes as events, and the current time.
    pub latency: ChartView,
    /// The comparison table.
    pub rows: Vec<RowView>,
    /// "t = 4.2 s of 10 s · 10,020 requests · 12 in flight".
    pub status: String,
}

fn lerp(from: Point, to: Point, t: f64) -> Point {
    Point {
        x: from.x + (f64::from(to.x - from.x) * t) as i32,
        y: from.y + (f64::from(to.y - from.y) * t) as i32,
    }
}

/// y of item `i` of `n` spread over the diagram's height.
fn spread_y(i: u32, n: u32) -> i32 {
    let n = n.max(1);
    (f64::from(VIEW_HEIGHT) * (f64::from(i) + 0.5) / f64::from(n)) as i32
}

impl LoadBalancerLab {
    /// The view model at the current time.
    pub fn view(&self) -> LbView {
        let config = &self.config;
        let n_glyphs = config.clients.min(MAX_CLIENT_GLYPHS);
        let clients: Vec<Point> = (0..n_glyphs)
            .map(|i| Point {
                x: CLIENT_X,
                y: spread_y(i, n_glyphs),
            })
            .collect();
        let balancer = Point {
            x: BALANCER_X,
            y: VIEW_HEIGHT / 2,
        };
        let proxy = config.proxy.then_some(Point {
            x: PROXY_X,
            y: VIEW_HEIGHT / 2,
        });
        let snapshots: Vec<RunSnapshot> = self.runs.iter().map(RunSnapshot::of).collect();
        let main = &self.runs[0];
        let main_rows = &snapshots[0].servers;
        let n_servers = main.servers.len() as u32;
        let server_at = |s: u32| Point {
            x: SERVER_X,
            y: spread_y(s, n_servers),
        };
        let servers = main
            .servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let class = match s.state {
                    ServerState::Down => "down",
                    _ if !s.healthy => "out",
                    ServerState::Slow(_) => "slow",
                    ServerState::Up => "up",
                };
                let queued = s.queued();
                ServerView {
                    name: format!("s{}", i + 1),
                    at: server_at(i as u32),
                    state: s.state,
                    class,
                    label: format!(
                        "s{} · {}{} · {}/{} busy · {} queued",
                        i + 1,
                        s.state.label(),
                        if s.healthy { "" } else { " (out)" },
                        s.in_service,
                        s.spec.capacity,
                        queued
                    ),
                    healthy: s.healthy,
                    active: s.in_service,
                    capacity: s.spec.capacity,
                    queued,
                    load_percent: (f64::from(s.in_service) / f64::from(s.spec.capacity.max(1))
                        * 100.0)
                        .min(100.0),
                    queue_percent: if s.spec.queue_limit == 0 {
                        0.0
                    } else {
                        (f64::from(queued) / f64::from(s.spec.queue_limit) * 100.0).min(100.0)
                    },
                    util_percent: f64::from(s.utilisation) * 100.0,
                    share_percent: main_rows[i].share * 100.0,
                    share_label: format!(
                        "{} · {} served",
                        percent(main_rows[i].share),
                        thousands(s.served)
                    ),
                }
            })
            .collect();

        // Trips: the sampled requests still on their way, from where each was a tick ago to
        // where it is now; none once the run is over.
        let over = self.finished();
        let now = self.now.0;
        let tick = config.tick().0.max(1);
        let before = now.saturating_sub(tick);
        let mut trips = Vec::new();
        for (index, trace) in main.traces.iter().enumerate() {
            if over || trace.arrived == u64::MAX {
                continue;
            }
            let (Some(to), from) = (
                trip_share(trace, now, tick),
                trip_share(trace, before, tick),
            ) else {
                continue;
            };
            let from = from.unwrap_or(0.0);
            if from >= 1.0 {
                continue;
            }
            let server = (trace.server != u32::MAX).then_some(trace.server);
            let mut path = vec![clients[(trace.client % n_glyphs.max(1)) as usize]];
            path.extend(proxy);
            path.push(balancer);
            path.extend(server.map(server_at));
            let back: Vec<Point> = path.iter().rev().skip(1).copied().collect();
            path.extend(back);
            let end = match trace.end {
                TraceEnd::Pending => None,
                TraceEnd::Answered => Some(DotKind::Response),
                TraceEnd::Refused => Some(DotKind::Refused),
                TraceEnd::TimedOut => Some(DotKind::TimedOut),
            };
            trips.push(TripView {
                id: trace.arrived * TRACES as u64 + index as u64,
                path,
                server,
                from,
                to,
                end: end.filter(|_| trace.ended <= now),
            });
        }
        // Oldest first, so newer trips are drawn on top and the order is stable.
        crate::sort::sort_vec_by_key(&mut trips, |t| t.id);

        // The latency chart over the whole run.
        let duration_s = f64::from(config.duration_ms) / 1_000.0;
        let legend = self
            .runs
            .iter()
            .enumerate()
            .map(|(i, r)| LegendEntry {
                id: r.balancer.algorithm().id().to_owned(),
                label: r.balancer.algorithm().label().to_owned(),
                value: None,
                color: i,
                emphasis: i == 0,
            })
            .collect();
        let mut series = Vec::new();
        // The others first, so the shown algorithm is drawn on top.
        for (i, r) in self.runs.iter().enumerate().rev() {
            let points = sampled(&r.series, MAX_SERIES);
            let label = r.balancer.algorithm().label();
            let line = |value: fn(&super::metrics::TickPoint) -> f64| {
                points
                    .iter()
                    .map(|p| {
                        (
                            p.at_ms.min(f64::from(config.duration_ms)) / 1_000.0,
                            value(p),
                        )
                    })
                    .collect()
            };
            series.push(SeriesSpec {
                label: format!("{label} p99"),
                group: i,
                dash: Dash::Solid,
                points: line(|p| p.latency.p99),
            });
            series.push(SeriesSpec {
                label: format!("{label} p50"),
                group: i,
                dash: Dash::Dashed,
                points: line(|p| p.latency.p50),
            });
        }
        let mut latency = ChartView::new(
            AxisSpec::new("time", Unit::Seconds).range(0.0, duration_s),
            AxisSpec::new("latency", Unit::Millis),
            legend,
            series,
        );
        for change in &config.changes {
            latency = latency.with_note(
                change.at_ms as f64 / 1_000.0,
                None,
                format!("server {} {}", change.server + 1, change.state.label()),
            );
        }
        let latency = latency.with_now(self.now.secs_f64());
        // One format per column: every latency with two decimals ("8.52", "10.00").
        let ms = |v: f64| fixed(v, 2);
        let rows = snapshots
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let c = &s.counts;
                let share_of = |n: u64| percent(n as f64 / c.generated.max(1) as f64);
                RowView {
                    algorithm: s.algorithm,
                    label: s.algorithm.label(),
                    selected: i == 0,
                    successes: format!("{} ({})", thousands(c.successes), share_of(c.successes)),
                    timeouts: thousands(c.timeouts),
                    rejections: thousands(c.rejections),
                    retries: thousands(c.retries),
                    latency: format!(
                        "{} / {} / {} / {} ms",
                        ms(s.latency.p50),
                        ms(s.latency.p95),
                        ms(s.latency.p99),
                        ms(s.latency.p999)
                    ),
                    mean: format!("{} ms", fixed(s.mean_ms, 2)),
                    rps: format!("{}/s", thousands(s.rps as u64)),
                    max_share: percent(s.servers.iter().map(|r| r.share).fold(0.0, f64::max)),
                }
            })
            .collect();
        let main_snap = &snapshots[0];
        LbView {
            clients,
            proxy,
            balancer,
            servers,
            trips,
            over,
            latency,
            rows,
            status: {
                // Arrivals stop at the duration; the drain after it lets requests in flight
                // end, and is reported as such rather than as time past the run's end.
                let run_s = duration_s;
                let now_s = self.now.secs_f64();
                let clock = if now_s > run_s {
                    format!(
                        "t = {} s of {} s, drained in {} s more",
                        trimmed(run_s, 2),
                        trimmed(run_s, 2),
                        trimmed(now_s - run_s, 2)
                    )
                } else {
                    format!("t = {} s of {} s", trimmed(now_s, 2), trimmed(run_s, 2))
                };
                format!(
                    "{clock} · {} requests · {} in flight",
                    thousands(main_snap.counts.generated),
                    thousands(main_snap.in_flight)
                )
            },
        }
    }
}
