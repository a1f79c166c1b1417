//! The ring lab's view model: every position, label and ratio the browser draws, in the
//! integer view units of `geometry.rs`.

use super::config::StrategyKind;
use super::geometry::{Point, RADIUS, polar};
use super::lab::RingLab;
use super::snapshot::{LoadStats, ShareSource};
use crate::chart::{AxisSpec, ChartView, Dash, LegendEntry, SeriesSpec, Unit};
use crate::format::{fixed, percent, thousands};
use crate::hash::ring_fraction;

/// The most key dots drawn; larger key sets are drawn as an even sample.
pub const MAX_DOTS: usize = 10_000;

/// One node as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeView {
    /// Name.
    pub name: String,
    /// Hue of the node's colour, in degrees.
    pub hue: u16,
    /// Weight.
    pub weight: u32,
    /// Its handle: token 0.
    pub handle: Point,
    /// Where its label goes.
    pub label: Point,
    /// Handle position in degrees clockwise from the top (0..360), to one decimal.
    pub degrees: f64,
    /// The same, as text ("123.4").
    pub degrees_text: String,
    /// Tokens on the ring.
    pub tokens: u32,
    /// Keys owned under the lab's strategy.
    pub keys: u32,
    /// Text for the key count, e.g. "1,204".
    pub keys_text: String,
    /// Fraction of the ring owned, as text, e.g. "20.1%".
    pub share_text: String,
    /// Keys over the fair share (1.0 is perfect), as text, e.g. "1.08×".
    pub load_text: String,
    /// Bar width in percent of the largest node.
    pub bar_percent: f64,
    /// Whether it holds more than (1 + ε) × its fair share.
    pub overloaded: bool,
}

/// All key dots (or token ticks) of one node, as one SVG path.
#[derive(Clone, Debug, PartialEq)]
pub struct DotLayer {
    /// The owner's id, stable while it is on the ring: what the drawing keys its path by, so
    /// a node joining or leaving updates that node's path only.
    pub owner: u32,
    /// Hue of the owner.
    pub hue: u16,
    /// Path data: one zero-length segment per key, drawn with round caps.
    pub path: String,
}

/// One row of the strategy comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct StrategyRowView {
    /// The strategy.
    pub strategy: StrategyKind,
    /// Its name.
    pub label: &'static str,
    /// Whether this is the lab's strategy.
    pub selected: bool,
    /// Keys moved by the last change, e.g. "1,204 (24.1%)", or "–".
    pub moved_text: String,
    /// Max over fair share, e.g. "1.21×".
    pub max_text: String,
    /// The largest node's share of the hash space over its fair share, e.g. "1.004×": the
    /// balance the key load tends to with many keys.
    pub space_text: String,
    /// Where that share comes from, in words (the cell's tooltip).
    pub space_title: String,
    /// Standard deviation of keys per node, e.g. "31.2".
    pub std_text: String,
    /// Whether it honours node weights.
    pub weighted: bool,
    /// Whether its placement is still being computed after a change (the figures are empty
    /// until it is done).
    pub computing: bool,
}

/// The replica set of the selected key.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaView {
    /// The key.
    pub key: String,
    /// Where the key sits.
    pub at: Point,
    /// Its nodes, primary first: name, hue, and the token that made it a replica.
    pub nodes: Vec<(String, u16, Point)>,
}

/// Everything the ring lab draws.
#[derive(Clone, Debug, PartialEq)]
pub struct RingView {
    /// Nodes, in join order.
    pub nodes: Vec<NodeView>,
    /// Every token but the first (the handle) as a radial tick, one path per node, so 64 × 200
    /// tokens are 64 elements and dragging a handle leaves the ticks untouched.
    pub ticks: Vec<DotLayer>,
    /// Key dots grouped by owner *before* the current change (or now, if there is none). They
    /// do not change while a node is dragged, so the browser need not repaint them.
    pub dots: Vec<DotLayer>,
    /// Keys moved by the current change, grouped by their new owner, drawn over `dots`.
    pub moved: Vec<DotLayer>,
    /// The same keys again, for the halo drawn under `moved`.
    pub moved_dots: String,
    /// Keys drawn.
    pub shown_keys: usize,
    /// Keys in the lab.
    pub n_keys: usize,
    /// "1,204 keys moved; ideal 1,250", or "No change yet".
    pub summary: String,
    /// The change the summary is about, in words.
    pub change: Option<String>,
    /// Load figures of the lab's strategy.
    pub load: LoadStats,
    /// The same, as text: "max/fair 1.21× · σ 31.2 keys".
    pub load_text: String,
    /// Every strategy side by side.
    pub strategies: Vec<StrategyRowView>,
    /// The selected key's replicas.
    pub replica: Option<ReplicaView>,
    /// Moved and ideal fraction per change.
    pub history: ChartView,
}

/// What a strategy's share of the hash space is measured on, for the table's tooltip.
fn space_title(strategy: StrategyKind, source: ShareSource, maglev_size: u64) -> String {
    match source {
        ShareSource::Arcs if strategy == StrategyKind::Bounded => {
            "The ring's arcs, before the caps pass keys on (the key load shows the caps)".to_owned()
        }
        ShareSource::Arcs => "Largest share of the ring's arcs over the fair share".to_owned(),
        ShareSource::Equal => "1/N per node by construction".to_owned(),
        ShareSource::Weights => {
            "Weight share w/Σw: the -w/ln(u) score makes a node win with exactly that probability"
                .to_owned()
        }
        ShareSource::TableSlots => format!(
            "Most lookup-table slots on a node over the fair share, of {} slots",
            thousands(maglev_size)
        ),
    }
}

/// Twelve hues chosen to be told apart at a glance, then golden-angle steps from there.
const HUES: [u16; 12] = [4, 212, 135, 42, 280, 188, 328, 24, 98, 245, 160, 300];

/// The hue of a node: fixed for the node's lifetime, distinct for the first twelve nodes.
pub fn hue_of(uid: u32) -> u16 {
    HUES.get(uid as usize)
        .copied()
        .unwrap_or_else(|| ((u64::from(uid) * 137_508 / 1000 + 17) % 360) as u16)
}

impl RingLab {
    /// The view model, with `selected_key` as the key whose replicas are shown.
    pub fn view(&self, selected_key: Option<usize>) -> RingView {
        let strategy = self.config.strategy;
        let counts = self.key_counts(strategy);
        let shares = self.table.arc_shares(self.nodes.len());
        let total_weight: f64 = self.nodes.iter().map(|n| f64::from(n.weight)).sum();
        let n_keys = self.n_keys();
        let max_count = counts.iter().copied().max().unwrap_or(0).max(1);
        let eps = self.config.epsilon;

        let nodes = self
            .nodes
            .iter()
            .enumerate()
            .map(|(idx, n)| {
                let fraction = ring_fraction(n.tokens.first().copied().unwrap_or(0));
                let fair = if strategy.weighted() {
                    n_keys as f64 * f64::from(n.weight) / total_weight
                } else {
                    n_keys as f64 / self.nodes.len() as f64
                };
                let ratio = f64::from(counts[idx]) / fair.max(f64::MIN_POSITIVE);
                NodeView {
                    name: n.name.clone(),
                    hue: hue_of(n.uid),
                    weight: n.weight,
                    handle: polar(fraction, f64::from(RADIUS)),
                    label: polar(fraction, 1_160.0),
                    degrees: libm::round(fraction * 3600.0) / 10.0,
                    degrees_text: fixed(fraction * 360.0, 1),
                    tokens: n.tokens.len() as u32,
                    keys: counts[idx],
                    keys_text: thousands(u64::from(counts[idx])),
                    share_text: percent(shares[idx]),
                    load_text: format!("{}×", fixed(ratio, 2)),
                    bar_percent: f64::from(counts[idx]) * 100.0 / f64::from(max_count),
                    overloaded: ratio > 1.0 + eps + 1e-9,
                }
            })
            .collect::<Vec<_>>();

        // Each node keeps its tick path up to date as its tokens change (see `Node::ticks`).
        let ticks = self
            .nodes
            .iter()
            .zip(&nodes)
            .map(|(node, view)| DotLayer {
                owner: node.uid,
                hue: view.hue,
                path: node.ticks.clone(),
            })
            .collect();

        // Key dots: an even sample when there are more than MAX_DOTS keys.
        let stride = n_keys.div_ceil(MAX_DOTS).max(1);
        let placement = &self.placements[strategy.index()];
        let (base, base_uids): (&[u32], Vec<u32>) = match self.shown_baseline() {
            Some(b) => (&b.placements[strategy.index()], b.uids.clone()),
            None => (placement, self.nodes.iter().map(|n| n.uid).collect()),
        };
        let mut layers: Vec<String> = vec![String::new(); base_uids.len()];
        let mut shown = 0;
        for key in (0..n_keys).step_by(stride) {
            layers[base[key] as usize].push_str(self.keys.dot(key));
            shown += 1;
        }
        let by_owner = |layers: Vec<String>, owners: &mut dyn Iterator<Item = u32>| {
            layers
                .into_iter()
                .zip(owners)
                .filter(|(path, _)| !path.is_empty())
                .map(|(path, owner)| DotLayer {
                    owner,
                    hue: hue_of(owner),
                    path,
                })
                .collect::<Vec<_>>()
        };
        let dots = by_owner(layers, &mut base_uids.iter().copied());

        let mut moved_layers: Vec<String> = vec![String::new(); self.nodes.len()];
        let mut moved_dots = String::new();
        self.for_each_moved_key(strategy, |key| {
            if key.is_multiple_of(stride) {
                let dot = self.keys.dot(key);
                moved_dots.push_str(dot);
                moved_layers[placement[key] as usize].push_str(dot);
            }
        });
        let moved = by_owner(moved_layers, &mut self.nodes.iter().map(|n| n.uid));
        let report = self.current_change();
        let summary = match &report {
            Some(r) => format!(
                "{} keys moved; ideal {}",
                thousands(u64::from(r.moved_by(strategy))),
                thousands(libm::round(r.ideal_keys()) as u64)
            ),
            None => "No change yet".to_owned(),
        };
        // One pass per strategy; the shown strategy's load comes from its row, not a second pass.
        let rows = self.strategy_rows_for(report.as_ref());
        let load = rows[strategy.index()].load.clone();
        let load_text = format!(
            "max/fair {}× · σ {} keys",
            fixed(load.max_over_fair, 2),
            fixed(load.std_dev, 1)
        );

        let strategies = rows
            .into_iter()
            .map(|row| {
                let computing = self.placing_strategy(row.strategy);
                let text = |text: String| if computing { String::new() } else { text };
                StrategyRowView {
                    strategy: row.strategy,
                    label: row.strategy.label(),
                    selected: row.strategy == strategy,
                    moved_text: text(row.moved.map_or_else(
                        || "–".to_owned(),
                        |m| {
                            format!(
                                "{} ({})",
                                thousands(u64::from(m)),
                                percent(f64::from(m) / n_keys.max(1) as f64)
                            )
                        },
                    )),
                    max_text: text(format!("{}×", fixed(row.load.max_over_fair, 2))),
                    space_text: text(format!("{}×", fixed(row.space.max_over_fair, 3))),
                    space_title: space_title(row.strategy, row.space.source, self.maglev_size),
                    std_text: text(fixed(row.load.std_dev, 1)),
                    weighted: row.weighted,
                    computing,
                }
            })
            .collect();

        let replica = selected_key.filter(|&k| k < n_keys).map(|k| {
            let h = self.keys.hashes[k];
            let mut owners = Vec::new();
            self.table
                .distinct_owners_from(h, self.config.replication as usize, &mut owners);
            // The token that made each node a replica: its first token clockwise from the key.
            let start = self.table.token_for(h);
            let n_tokens = self.table.len();
            let nodes_out = owners
                .iter()
                .map(|&o| {
                    let token = (0..n_tokens)
                        .map(|step| (start + step) % n_tokens)
                        .find(|&t| self.table.owners()[t] == o)
                        .unwrap_or(start);
                    let node = &self.nodes[o as usize];
                    (
                        node.name.clone(),
                        hue_of(node.uid),
                        polar(
                            ring_fraction(self.table.positions()[token]),
                            f64::from(RADIUS),
                        ),
                    )
                })
                .collect();
            ReplicaView {
                key: self.key_name(k),
                at: self.keys.points[k],
                nodes: nodes_out,
            }
        });

        let history = self.history_chart(strategy);
        RingView {
            nodes,
            ticks,
            dots,
            moved,
            moved_dots,
            shown_keys: shown,
            n_keys,
            summary,
            change: report.map(|r| r.description),
            load,
            load_text,
            strategies,
            replica,
            history,
        }
    }

    /// The change-history chart: the fraction of keys each change moved under the shown
    /// strategy against the ideal, one point per change (named in the read-out).
    fn history_chart(&self, strategy: StrategyKind) -> ChartView {
        let point = |i: usize, v: f64| ((i + 1) as f64, v);
        let moved = self
            .history
            .iter()
            .enumerate()
            .map(|(i, r)| point(i, r.moved_fraction(strategy)))
            .collect();
        let ideal = self
            .history
            .iter()
            .enumerate()
            .map(|(i, r)| point(i, r.ideal_fraction))
            .collect();
        let entry = |id: &str, color: usize, emphasis: bool| LegendEntry {
            id: id.to_owned(),
            label: id.to_owned(),
            value: None,
            color,
            emphasis,
        };
        let n = self.history.len().max(2) as f64;
        ChartView::new(
            AxisSpec::new("change", Unit::Count).range(1.0, n),
            AxisSpec::new("keys moved", Unit::Percent),
            vec![entry("moved", 1, true), entry("ideal", 9, false)],
            vec![
                SeriesSpec {
                    label: "ideal".to_owned(),
                    group: 1,
                    dash: Dash::Dashed,
                    points: ideal,
                },
                SeriesSpec {
                    label: "moved".to_owned(),
                    group: 0,
                    dash: Dash::Solid,
                    points: moved,
                },
            ],
        )
        .with_x_names(self.history.iter().map(|r| r.description.clone()).collect())
    }
}
