//! The ring lab's numbers as plain data: what the CLI prints and the browser shows.

use serde::{Deserialize, Serialize};

use super::config::StrategyKind;
use super::lab::RingLab;

/// Load balance figures for one placement.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadStats {
    /// Mean keys per node.
    pub mean: f64,
    /// Fewest keys on a node.
    pub min: u32,
    /// Most keys on a node.
    pub max: u32,
    /// The largest ratio of a node's keys to its fair (weight-proportional) share; max/mean when weights are equal.
    pub max_over_fair: f64,
    /// Standard deviation of keys per node.
    pub std_dev: f64,
}

impl LoadStats {
    /// Figures for per-node key counts, with fair shares by weight.
    pub fn new(counts: &[u32], weights: &[u32]) -> Self {
        if counts.is_empty() {
            return Self::default();
        }
        let n = counts.len() as f64;
        let total: f64 = counts.iter().map(|&c| f64::from(c)).sum();
        let total_weight: f64 = weights.iter().map(|&w| f64::from(w)).sum();
        let mean = total / n;
        let var = counts
            .iter()
            .map(|&c| (f64::from(c) - mean).powi(2))
            .sum::<f64>()
            / n;
        let max_over_fair = counts
            .iter()
            .zip(weights)
            .map(|(&c, &w)| {
                let fair = total * f64::from(w) / total_weight;
                if fair > 0.0 { f64::from(c) / fair } else { 0.0 }
            })
            .fold(0.0, f64::max);
        Self {
            mean,
            min: counts.iter().copied().min().unwrap_or(0),
            max: counts.iter().copied().max().unwrap_or(0),
            max_over_fair,
            std_dev: var.sqrt(),
        }
    }
}

/// One node's load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeLoad {
    /// The node's name.
    pub name: String,
    /// Its weight.
    pub weight: u32,
    /// Its number of tokens on the ring.
    pub tokens: u32,
    /// The fraction of the ring (0..1) its tokens own.
    pub ring_share: f64,
    /// Keys it owns under the lab's strategy.
    pub keys: u32,
    /// Keys for which it is one of the R replicas on the ring.
    pub replica_keys: u32,
}

/// Where a strategy's division of the hash space comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareSource {
    /// The arcs of the ring ending at the node's tokens (the ring; bounded loads start from the
    /// same arcs before its caps pass keys on, which the key load shows).
    #[default]
    Arcs,
    /// Equal by construction, 1/N each (modulo over a uniform 64-bit hash, jump hash).
    Equal,
    /// The weight share w / Σw: rendezvous's score -w / ln(u) makes a node win with exactly
    /// that probability (1/N when weights are equal, by symmetry).
    Weights,
    /// The node's slots of the Maglev lookup table over the table size.
    TableSlots,
}

/// How a strategy divides the hash space itself: what its key load tends to with many keys,
/// without the sampling noise of a few thousand.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpaceShare {
    /// Where the shares come from.
    pub source: ShareSource,
    /// Each node's share of the hash space (0..1), in node order; they sum to 1.
    pub shares: Vec<f64>,
    /// The largest ratio of a node's share to its fair share (w / Σw if the strategy honours
    /// weights, else 1/N); 1 is perfect.
    pub max_over_fair: f64,
}

impl SpaceShare {
    /// Figures for `shares`, with fair shares by `weights`.
    pub fn new(source: ShareSource, shares: Vec<f64>, weights: &[u32]) -> Self {
        let total_weight: f64 = weights.iter().map(|&w| f64::from(w)).sum();
        let max_over_fair = shares
            .iter()
            .zip(weights)
            .map(|(&share, &w)| {
                let fair = f64::from(w) / total_weight;
                if fair > 0.0 { share / fair } else { 0.0 }
            })
            .fold(0.0, f64::max);
        Self {
            source,
            shares,
            max_over_fair,
        }
    }
}

/// One strategy's figures on the lab's keys.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategyRow {
    /// The strategy.
    pub strategy: StrategyKind,
    /// Whether it honours weights.
    pub weighted: bool,
    /// Its load balance.
    pub load: LoadStats,
    /// How it divides the hash space (the load it tends to with many keys).
    #[serde(default)]
    pub space: SpaceShare,
    /// Keys it moved in the last change, if there was one.
    pub moved: Option<u32>,
}

/// A key that changed owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyMove {
    /// The key.
    pub key: String,
    /// Its owner before the change.
    pub from: String,
    /// Its owner after.
    pub to: String,
}

/// Keys that went from one node to another in a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    /// The node they left.
    pub from: String,
    /// The node they joined.
    pub to: String,
    /// How many keys.
    pub keys: u32,
}

/// What the last change did under the lab's strategy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeSummary {
    /// The change, in words.
    pub description: String,
    /// Keys that changed owner.
    pub moved: u32,
    /// `moved` over the number of keys.
    pub moved_fraction: f64,
    /// The least number of keys any scheme must move for this change.
    pub ideal_keys: f64,
    /// `ideal_keys` over the number of keys.
    pub ideal_fraction: f64,
    /// Moved keys grouped by (from, to).
    pub flows: Vec<Flow>,
    /// The first moved keys, in key order (at most [`MAX_LISTED_MOVES`]).
    pub moves: Vec<KeyMove>,
}

/// The most moved keys a snapshot lists one by one.
pub const MAX_LISTED_MOVES: usize = 1_000;

/// A point of the change history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    /// The change, in words.
    pub description: String,
    /// Fraction of keys the lab's strategy moved.
    pub moved_fraction: f64,
    /// The ideal fraction.
    pub ideal_fraction: f64,
}

/// A key's replica set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicaSet {
    /// The key.
    pub key: String,
    /// Its nodes, primary first.
    pub nodes: Vec<String>,
}

/// Everything the ring lab shows, as numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RingSnapshot {
    /// The hash function placing tokens and keys.
    pub hash: String,
    /// The hash seed.
    pub seed: u64,
    /// The strategy the per-node figures use.
    pub strategy: StrategyKind,
    /// Keys on the ring.
    pub n_keys: u32,
    /// Tokens on the ring.
    pub n_tokens: u32,
    /// Virtual nodes per unit of weight.
    pub vnodes: u32,
    /// Replication factor.
    pub replication: u32,
    /// Per-node load under `strategy`.
    pub nodes: Vec<NodeLoad>,
    /// Load figures under `strategy`.
    pub load: LoadStats,
    /// Every strategy side by side.
    pub strategies: Vec<StrategyRow>,
    /// The last change.
    pub last_change: Option<ChangeSummary>,
    /// Every change kept in the history, oldest first.
    pub history: Vec<HistoryPoint>,
    /// Replica sets of the first few keys.
    pub replicas: Vec<ReplicaSet>,
}

impl RingLab {
    /// Keys per node under `strategy`, in node order.
    pub fn key_counts(&self, strategy: StrategyKind) -> Vec<u32> {
        let mut counts = vec![0u32; self.nodes.len()];
        for &owner in &self.placements[strategy.index()] {
            counts[owner as usize] += 1;
        }
        counts
    }

    /// Keys per node for which the node is one of the R replicas.
    pub fn replica_counts(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.nodes.len()];
        let mut out = Vec::new();
        for &h in &self.keys.hashes {
            self.table
                .distinct_owners_from(h, self.config.replication as usize, &mut out);
            for &o in &out {
                counts[o as usize] += 1;
            }
        }
        counts
    }

    /// The weights `strategy` shares by: the nodes' own, or all 1 if it ignores weights.
    fn fair_weights(&self, strategy: StrategyKind) -> Vec<u32> {
        if strategy.weighted() {
            self.nodes.iter().map(|n| n.weight).collect()
        } else {
            vec![1; self.nodes.len()]
        }
    }

    /// Load figures of `strategy`.
    pub fn load_stats(&self, strategy: StrategyKind) -> LoadStats {
        LoadStats::new(&self.key_counts(strategy), &self.fair_weights(strategy))
    }

    /// How `strategy` divides the hash space.
    pub fn space_share(&self, strategy: StrategyKind) -> SpaceShare {
        self.space_share_with(strategy, &self.table.arc_shares(self.nodes.len()))
    }

    /// [`RingLab::space_share`] with the ring's arc shares already computed.
    fn space_share_with(&self, strategy: StrategyKind, arcs: &[f64]) -> SpaceShare {
        let weights = self.fair_weights(strategy);
        let n = self.nodes.len();
        let (source, shares) = match strategy {
            StrategyKind::Ring | StrategyKind::Bounded => (ShareSource::Arcs, arcs.to_vec()),
            StrategyKind::Modulo | StrategyKind::Jump => {
                (ShareSource::Equal, vec![1.0 / n.max(1) as f64; n])
            }
            StrategyKind::Rendezvous => {
                let total: f64 = weights.iter().map(|&w| f64::from(w)).sum();
                let shares = weights.iter().map(|&w| f64::from(w) / total).collect();
                (ShareSource::Weights, shares)
            }
            StrategyKind::Maglev => {
                let size = self.maglev_size.max(1) as f64;
                let shares = self
                    .maglev_slots
                    .iter()
                    .map(|&slots| f64::from(slots) / size)
                    .collect();
                (ShareSource::TableSlots, shares)
            }
        };
        SpaceShare::new(source, shares, &weights)
    }

    /// The current change under `strategy`, with its flows and listed moves.
    pub fn change_summary(&self, strategy: StrategyKind) -> Option<ChangeSummary> {
        let report = self.current_change()?;
        let moves = self.moves(strategy);
        let mut flows: std::collections::BTreeMap<(&str, &str), u32> = Default::default();
        for &(_, from, to) in &moves {
            *flows.entry((from, to)).or_default() += 1;
        }
        Some(ChangeSummary {
            description: report.description.clone(),
            moved: moves.len() as u32,
            moved_fraction: moves.len() as f64 / f64::from(report.n_keys.max(1)),
            ideal_keys: report.ideal_keys(),
            ideal_fraction: report.ideal_fraction,
            flows: flows
                .into_iter()
                .map(|((from, to), keys)| Flow {
                    from: from.to_owned(),
                    to: to.to_owned(),
                    keys,
                })
                .collect(),
            moves: moves
                .iter()
                .take(MAX_LISTED_MOVES)
                .map(|&(key, from, to)| KeyMove {
                    key: self.key_name(key as usize),
                    from: from.to_owned(),
                    to: to.to_owned(),
                })
                .collect(),
        })
    }

    /// Every strategy's figures.
    pub fn strategy_rows(&self) -> Vec<StrategyRow> {
        self.strategy_rows_for(self.current_change().as_ref())
    }

    /// Every strategy's figures, with `change` as the current change.
    pub(crate) fn strategy_rows_for(
        &self,
        change: Option<&super::change::ChangeReport>,
    ) -> Vec<StrategyRow> {
        let arcs = self.table.arc_shares(self.nodes.len());
        StrategyKind::ALL
            .into_iter()
            .map(|strategy| StrategyRow {
                strategy,
                weighted: strategy.weighted(),
                load: self.load_stats(strategy),
                space: self.space_share_with(strategy, &arcs),
                moved: change.map(|c| c.moved_by(strategy)),
            })
            .collect()
    }

    /// The full snapshot of the lab.
    pub fn snapshot(&self) -> RingSnapshot {
        if self.placing() {
            // A page's lab still placing strategies in the background: the numbers of the
            // finished placement, which `new` would have given.
            let mut done = self.clone();
            done.finish_pending();
            return done.snapshot();
        }
        let strategy = self.config.strategy;
        let counts = self.key_counts(strategy);
        let replica_counts = self.replica_counts();
        let shares = self.table.arc_shares(self.nodes.len());
        RingSnapshot {
            hash: "xxh64".to_owned(),
            seed: self.config.seed,
            strategy,
            n_keys: self.n_keys() as u32,
            n_tokens: self.table.len() as u32,
            vnodes: self.vnodes,
            replication: self.config.replication,
            nodes: self
                .nodes
                .iter()
                .enumerate()
                .map(|(idx, n)| NodeLoad {
                    name: n.name.clone(),
                    weight: n.weight,
                    tokens: n.tokens.len() as u32,
                    ring_share: shares[idx],
                    keys: counts[idx],
                    replica_keys: replica_counts[idx],
                })
                .collect(),
            load: self.load_stats(strategy),
            strategies: self.strategy_rows(),
            last_change: self.change_summary(strategy),
            history: self
                .history
                .iter()
                .map(|r| HistoryPoint {
                    description: r.description.clone(),
                    moved_fraction: r.moved_fraction(strategy),
                    ideal_fraction: r.ideal_fraction,
                })
                .collect(),
            replicas: (0..self.n_keys().min(5))
                .map(|k| ReplicaSet {
                    key: self.key_name(k),
                    nodes: self.replicas(k).into_iter().map(str::to_owned).collect(),
                })
                .collect(),
        }
    }
}
