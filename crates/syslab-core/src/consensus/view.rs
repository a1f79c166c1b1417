//! The consensus lab's view model ([`RaftView`]): integer SVG geometry for the servers on a
//! circle (role, term, election timer as an arc), the links (cut or not, each way), the
//! messages on the wire at their current position, the logs as strips, the safety banner
//! and the statistics table. The page only draws it.

use super::lab::RaftLab;
use super::safety::Rule;
use super::sim::{Msg, Role, Status};
use super::snapshot::{mean_ms, role_name, status_name, verdict_text};
use crate::format::thousands;
use crate::schema::number;
use crate::time::Nanos;

/// The drawing's width, in view units.
pub const VIEW_WIDTH: i32 = 560;
/// The drawing's height, in view units.
pub const VIEW_HEIGHT: i32 = 520;
/// The circle the servers sit on.
pub const CENTER: (i32, i32) = (280, 260);
/// Its radius.
pub const RADIUS: i32 = 200;
/// A server's radius.
pub const NODE_RADIUS: i32 = 34;
/// Log entries a strip shows (the last ones).
pub const STRIP: usize = 24;

/// One server.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    /// 0-based.
    pub index: u8,
    /// S1 to S9.
    pub name: String,
    /// Centre.
    pub x: i32,
    /// See `x`.
    pub y: i32,
    /// follower, pre-candidate, candidate or leader (the CSS class too).
    pub role: &'static str,
    /// up, paused or crashed.
    pub status: &'static str,
    /// Its term.
    pub term: u64,
    /// The election timer's arc (an SVG path around the server), empty for a leader or a
    /// stopped server.
    pub timer: String,
    /// How far the election timer has run, in thousandths.
    pub timer_permille: u32,
    /// The tooltip: role, term, vote, log, commit.
    pub title: String,
}

/// A link between two servers.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkView {
    /// The servers (a < b).
    pub a: u8,
    /// See `a`.
    pub b: u8,
    /// Ends.
    pub x1: i32,
    /// See `x1`.
    pub y1: i32,
    /// See `x1`.
    pub x2: i32,
    /// See `x1`.
    pub y2: i32,
    /// a → b is cut.
    pub cut_ab: bool,
    /// b → a is cut.
    pub cut_ba: bool,
    /// "ok", "cut" or "one-way".
    pub state: &'static str,
}

/// A message on the wire.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageView {
    /// Where it is now.
    pub x: i32,
    /// See `x`.
    pub y: i32,
    /// vote, vote-reply, append, heartbeat or append-reply (the CSS class).
    pub class: &'static str,
    /// What it says, for its tooltip.
    pub title: String,
}

/// One log entry in a strip.
#[derive(Clone, Debug, PartialEq)]
pub struct CellView {
    /// Its index (1-based).
    pub index: usize,
    /// Its term (its colour).
    pub term: u64,
    /// Whether this server knows it committed (filled).
    pub committed: bool,
}

/// A server's log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogView {
    /// S1 to S9.
    pub name: String,
    /// Its status, for styling.
    pub status: &'static str,
    /// Its role, for styling.
    pub role: &'static str,
    /// The last [`STRIP`] entries.
    pub cells: Vec<CellView>,
    /// Entries before the first shown.
    pub hidden: usize,
}

/// The safety banner.
#[derive(Clone, Debug, PartialEq)]
pub struct SafetyView {
    /// No violation so far.
    pub ok: bool,
    /// The headline.
    pub title: String,
    /// What happened.
    pub text: String,
    /// The events that led to it.
    pub recent: Vec<String>,
}

/// Everything the page draws.
#[derive(Clone, Debug, PartialEq)]
pub struct RaftView {
    /// The status line.
    pub status: String,
    /// The servers.
    pub nodes: Vec<NodeView>,
    /// Every pair of servers.
    pub links: Vec<LinkView>,
    /// Messages in flight.
    pub messages: Vec<MessageView>,
    /// The logs.
    pub logs: Vec<LogView>,
    /// The safety banner.
    pub safety: SafetyView,
    /// The statistics (label, value).
    pub stats: Vec<(&'static str, String)>,
    /// What the config allows but a real cluster should avoid.
    pub warnings: Vec<String>,
}

fn position(i: usize, n: usize) -> (i32, i32) {
    let a = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
    (
        CENTER.0 + (f64::from(RADIUS) * a.cos()).round() as i32,
        CENTER.1 + (f64::from(RADIUS) * a.sin()).round() as i32,
    )
}

/// An arc around (x, y) from the top, clockwise over `permille` thousandths of a turn.
fn arc(x: i32, y: i32, permille: u32) -> String {
    if permille == 0 {
        return String::new();
    }
    let r = f64::from(NODE_RADIUS + 6);
    let f = f64::from(permille.min(999)) / 1000.0;
    let a = std::f64::consts::TAU * f - std::f64::consts::FRAC_PI_2;
    let (ex, ey) = (f64::from(x) + r * a.cos(), f64::from(y) + r * a.sin());
    format!(
        "M{} {}A{} {} 0 {} 1 {} {}",
        x,
        y - r as i32,
        r as i32,
        r as i32,
        u8::from(f > 0.5),
        ex.round() as i32,
        ey.round() as i32
    )
}

fn message_class(m: &Msg) -> &'static str {
    match m {
        Msg::Vote { .. } => "vote",
        Msg::VoteReply { .. } => "vote-reply",
        Msg::Append { entries, .. } if entries.is_empty() => "heartbeat",
        Msg::Append { .. } => "append",
        Msg::AppendReply { .. } => "append-reply",
    }
}

fn message_title(m: &Msg) -> String {
    match m {
        Msg::Vote { term, .. } => format!("{} for term {term}", m.kind()),
        Msg::VoteReply { term, granted, .. } => {
            format!(
                "{}: {} (term {term})",
                m.kind(),
                if *granted { "yes" } else { "no" }
            )
        }
        Msg::Append {
            term,
            prev_idx,
            entries,
            commit,
            ..
        } => format!(
            "{} term {term}: {} entr{} after index {prev_idx}, commit {commit}",
            m.kind(),
            entries.len(),
            if entries.len() == 1 { "y" } else { "ies" }
        ),
        Msg::AppendReply {
            term, ok, index, ..
        } => format!(
            "{}: {} at index {index} (term {term})",
            m.kind(),
            if *ok { "ok" } else { "mismatch" }
        ),
    }
}

fn ms(t: Nanos) -> String {
    format!("{} ms", number((t.ms_f64() * 10.0).round() / 10.0))
}

impl RaftLab {
    /// The view model.
    pub fn view(&self) -> RaftView {
        let sim = &self.sim;
        let n = sim.nodes.len();
        let now = sim.now;
        let pos: Vec<(i32, i32)> = (0..n).map(|i| position(i, n)).collect();
        let nodes = sim
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let (x, y) = pos[i];
                let running = node.role != Role::Leader && node.status != Status::Crashed;
                let permille = if running && node.deadline > node.timer_start {
                    let span = node.deadline.since(node.timer_start).0 as f64;
                    ((now.since(node.timer_start).0 as f64 / span).clamp(0.0, 1.0) * 1000.0) as u32
                } else {
                    0
                };
                NodeView {
                    index: i as u8,
                    name: format!("S{}", i + 1),
                    x,
                    y,
                    role: role_name(node.role),
                    status: status_name(node.status),
                    term: node.term,
                    timer: if running {
                        arc(x, y, permille)
                    } else {
                        String::new()
                    },
                    timer_permille: permille,
                    title: format!(
                        "S{}: {} ({}), term {}, voted for {}, log {} entries, commit {}",
                        i + 1,
                        role_name(node.role),
                        status_name(node.status),
                        node.term,
                        node.voted_for
                            .map_or("nobody".to_owned(), |v| format!("S{}", v + 1)),
                        node.log.len(),
                        node.commit
                    ),
                }
            })
            .collect();
        let mut links = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                let (cut_ab, cut_ba) = (sim.cut[a][b], sim.cut[b][a]);
                links.push(LinkView {
                    a: a as u8,
                    b: b as u8,
                    x1: pos[a].0,
                    y1: pos[a].1,
                    x2: pos[b].0,
                    y2: pos[b].1,
                    cut_ab,
                    cut_ba,
                    state: match (cut_ab, cut_ba) {
                        (false, false) => "ok",
                        (true, true) => "cut",
                        _ => "one-way",
                    },
                });
            }
        }
        let messages = sim
            .wire
            .values()
            .map(|p| {
                let span = p.arrive.since(p.sent).0.max(1) as f64;
                let f = (now.since(p.sent).0 as f64 / span).clamp(0.0, 1.0);
                let (a, b) = (pos[usize::from(p.from)], pos[usize::from(p.to)]);
                MessageView {
                    x: a.0 + (f64::from(b.0 - a.0) * f).round() as i32,
                    y: a.1 + (f64::from(b.1 - a.1) * f).round() as i32,
                    class: message_class(&p.msg),
                    title: format!("S{} → S{}: {}", p.from + 1, p.to + 1, message_title(&p.msg)),
                }
            })
            .collect();
        let logs = sim
            .nodes
            .iter()
            .enumerate()
            .map(|(i, node)| {
                let hidden = node.log.len().saturating_sub(STRIP);
                LogView {
                    name: format!("S{}", i + 1),
                    status: status_name(node.status),
                    role: role_name(node.role),
                    cells: node.log[hidden..]
                        .iter()
                        .enumerate()
                        .map(|(k, e)| CellView {
                            index: hidden + k + 1,
                            term: e.term,
                            committed: hidden + k < node.commit,
                        })
                        .collect(),
                    hidden,
                }
            })
            .collect();
        let safety = match sim.violation() {
            None => SafetyView {
                ok: true,
                title: "Safe so far".to_owned(),
                text: "Election safety, log matching, leader completeness and state machine safety hold after every event.".to_owned(),
                recent: Vec::new(),
            },
            Some(v) => SafetyView {
                ok: false,
                title: format!("{} violated at {}", v.rule.name(), ms(v.at)),
                text: format!(
                    "{}.{}",
                    v.text,
                    if v.rule == Rule::LeaderCompleteness && self.config.unsafe_commit {
                        " The unsafe rule committed an entry of an earlier term by counting replicas: a server whose last entry has a later term could still win an election."
                    } else {
                        ""
                    }
                ),
                recent: v
                    .recent
                    .iter()
                    .map(|(t, s)| format!("{}: {s}", ms(*t)))
                    .collect(),
            },
        };
        let st = &sim.stats;
        let committed = sim.safety.committed_len();
        let stats = vec![
            ("Committed entries", thousands(committed as u64)),
            (
                "Client writes taken / refused",
                format!("{} / {}", thousands(st.writes), thousands(st.refused)),
            ),
            (
                "Messages sent (lost)",
                format!("{} ({})", thousands(st.sent), thousands(st.dropped)),
            ),
            (
                "Messages per committed entry",
                if committed == 0 {
                    "–".to_owned()
                } else {
                    number((st.sent as f64 / committed as f64 * 10.0).round() / 10.0)
                },
            ),
            ("Elections started", thousands(st.elections)),
            ("Split votes", thousands(st.split_votes(sim.max_term()))),
            (
                "Time to elect after a leader loss",
                match st.election_times.as_slice() {
                    [] => "–".to_owned(),
                    [one] => ms(*one),
                    more => format!(
                        "mean {} over {}",
                        ms(Nanos(
                            (more.iter().map(|t| t.0 as f64).sum::<f64>() / more.len() as f64)
                                as u64
                        )),
                        more.len()
                    ),
                },
            ),
            (
                "Reads answered / refused",
                format!(
                    "{} / {}",
                    thousands(st.reads_served),
                    thousands(st.reads_refused)
                ),
            ),
            (
                "Linearizable (client history)",
                match self.verdict() {
                    Some(v) => verdict_text(sim, v),
                    None if self.config.read_rate > 0.0 => "checked when the run ends".to_owned(),
                    None => "– (no reads)".to_owned(),
                },
            ),
            (
                "Commit latency (mean)",
                mean_ms(&st.commit_latencies).map_or("–".to_owned(), |m| {
                    format!("{} ms", number((m * 10.0).round() / 10.0))
                }),
            ),
        ];
        let leader = sim
            .leader()
            .map_or("no leader".to_owned(), |l| format!("leader S{}", l + 1));
        let status = format!(
            "t = {} · term {} · {leader} · {} committed{}",
            ms(now),
            sim.max_term(),
            thousands(committed as u64),
            if sim.stopped() {
                " · stopped: safety violated"
            } else if self.finished() {
                " · run over"
            } else {
                ""
            }
        );
        RaftView {
            status,
            nodes,
            links,
            messages,
            logs,
            safety,
            stats,
            warnings: self.config.warnings(),
        }
    }
}
