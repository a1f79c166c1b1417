//! The load-balancer lab's view model: every position, label and number the browser draws.
//!
//! Geometry is in integer view units on a [`VIEW_WIDTH`] × [`VIEW_HEIGHT`] canvas: clients on
//! the left, the forward proxy (if any) and the balancer in the middle, servers on the right.
//! The latency chart is a [`ChartView`].

use super::balancer::Algorithm;
use super::config::ServerState;
use super::lab::LoadBalancerLab;
use super::sim::Stage;
use super::snapshot::{MAX_SERIES, RunSnapshot, sampled};
use crate::chart::{AxisSpec, ChartView, Dash, LegendEntry, SeriesSpec, Unit};
use crate::format::{fixed, percent, thousands, trimmed};

/// Width of the diagram and the chart.
pub const VIEW_WIDTH: i32 = 1_000;
/// Height of the diagram.
pub const VIEW_HEIGHT: i32 = 600;
/// The most request dots drawn in one frame.
pub const MAX_DOTS: usize = 200;
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
    /// A request on its way (client to balancer, balancer to server).
    Request,
    /// A successful response on its way back.
    Response,
    /// A refusal (503) on its way back.
    Refused,
}

impl DotKind {
    /// The CSS class.
    pub fn id(self) -> &'static str {
        match self {
            DotKind::Request => "request",
            DotKind::Response => "response",
            DotKind::Refused => "refused",
        }
    }
}

/// One request in flight, drawn between two points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DotView {
    /// Where it left.
    pub from: Point,
    /// Where it goes.
    pub to: Point,
    /// How far along, 0 to 1.
    pub progress: f64,
    /// Where to draw it now.
    pub at: Point,
    /// What it carries.
    pub kind: DotKind,
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
    /// Requests in flight this frame (a sample of at most [`MAX_DOTS`]).
    pub dots: Vec<DotView>,
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
                }
            })
            .collect();

        // Dots: the last tick's arrivals come in from their clients (drawn one tick late, as
        // the balancer has already seen them), then attempts on the wire to and from servers.
        let now = self.now.0;
        let tick = config.tick().0.max(1);
        let hop = u64::from(config.hop_us) * 1_000;
        let entry = proxy.unwrap_or(balancer);
        let mut dots = Vec::new();
        for &(at, client) in &main.recent {
            if at <= now && now - at < tick {
                let from = clients[(client % n_glyphs.max(1)) as usize];
                let t = (now - at) as f64 / tick as f64;
                dots.push(DotView {
                    from,
                    to: entry,
                    progress: t,
                    at: lerp(from, entry, t),
                    kind: DotKind::Request,
                });
            }
        }
        let wire = |r: &&super::sim::Req| {
            hop > 0 && matches!(r.stage, Stage::ToServer | Stage::Returning) && r.stage_at <= now
        };
        let on_wire = main.reqs.iter().filter(wire).count();
        let room = MAX_DOTS.saturating_sub(dots.len());
        let stride = on_wire.div_ceil(room.max(1)).max(1);
        for r in main.reqs.iter().filter(wire).step_by(stride).take(room) {
            let t = ((now - r.stage_at) as f64 / hop as f64).min(1.0);
            let server = server_at(r.server);
            let (from, to, kind) = match (r.stage, r.ok) {
                (Stage::ToServer, _) => (balancer, server, DotKind::Request),
                (_, true) => (server, balancer, DotKind::Response),
                (_, false) => (server, balancer, DotKind::Refused),
            };
            dots.push(DotView {
                from,
                to,
                progress: t,
                at: lerp(from, to, t),
                kind,
            });
        }

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
        let ms = |v: f64| trimmed(v, if v < 10.0 { 2 } else { 0 });
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
                    mean: format!("{} ms", fixed(s.mean_ms, 1)),
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
            dots,
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
