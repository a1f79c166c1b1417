//! The ring lab's configuration: nodes, keys and the knobs a user can turn.

use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, check_range};

/// The most nodes a ring may have.
pub const MAX_NODES: usize = 1_000;
/// The most tokens (virtual nodes) one node may have.
pub const MAX_VNODES_PER_NODE: u32 = 1_000;
/// The most keys a lab may place.
pub const MAX_KEYS: u32 = 100_000;
/// The largest node weight.
pub const MAX_WEIGHT: u32 = 100;
/// The largest slack ε for bounded loads.
pub const MAX_EPSILON: f64 = 10.0;

/// Everything that defines a ring before any change is applied.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RingConfig {
    /// Seed of the XXH64 hash that places node tokens and keys on the ring; a new seed gives a new layout.
    pub seed: u64,
    /// Virtual nodes per unit of weight: a node of weight w owns w × vnodes tokens (1 to 1,000 per node).
    pub vnodes: u32,
    /// Replication factor R: each key is stored on the next R distinct nodes clockwise.
    pub replication: u32,
    /// The keys placed on the ring.
    pub keys: KeySpec,
    /// The nodes, in the order they joined (modulo and jump hashing number them in this order).
    pub nodes: Vec<NodeSpec>,
    /// The strategy whose placement colours the keys on the ring and the load panel.
    pub strategy: StrategyKind,
    /// Slack ε of consistent hashing with bounded loads: no node holds more than ⌈(1+ε)·mean⌉ keys.
    pub epsilon: f64,
}

impl Default for RingConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            vnodes: 10,
            replication: 3,
            keys: KeySpec::default(),
            nodes: ["A", "B", "C", "D", "E"]
                .into_iter()
                .map(NodeSpec::named)
                .collect(),
            strategy: StrategyKind::Ring,
            epsilon: 0.25,
        }
    }
}

/// One node of the ring.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeSpec {
    /// The node's name, unique in the ring: 1 to 32 characters from `A-Z a-z 0-9 _ - .`.
    pub name: String,
    /// Relative capacity: the node gets weight × vnodes tokens, and a weight-proportional share.
    pub weight: u32,
    /// Tokens a user dragged to an explicit position; all other tokens sit where the hash puts them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pins: Vec<Pin>,
}

impl Default for NodeSpec {
    fn default() -> Self {
        Self::named("A")
    }
}

impl NodeSpec {
    /// A node of weight 1 with hashed token positions.
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            weight: 1,
            pins: Vec::new(),
        }
    }
}

/// A token placed explicitly on the ring, for example by dragging it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pin {
    /// Which of the node's tokens (0-based); pins past the node's token count are ignored.
    pub vnode: u32,
    /// The token's position on the 64-bit ring.
    pub position: u64,
}

/// Where the keys come from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeySpec {
    /// `count` keys named `{prefix}0`, `{prefix}1`, …
    Generated {
        /// How many keys (1 to 100,000).
        count: u32,
        /// The text before each key's number.
        prefix: String,
    },
    /// Keys supplied by the user, one per entry.
    Custom {
        /// The keys themselves (1 to 100,000, each 1 to 256 bytes, no duplicates).
        keys: Vec<String>,
    },
}

impl Default for KeySpec {
    fn default() -> Self {
        KeySpec::Generated {
            count: 2_000,
            prefix: "user:".to_owned(),
        }
    }
}

impl KeySpec {
    /// The number of keys this spec describes.
    pub fn len(&self) -> usize {
        match self {
            KeySpec::Generated { count, .. } => *count as usize,
            KeySpec::Custom { keys } => keys.len(),
        }
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name of key `idx`.
    pub fn name(&self, idx: usize) -> String {
        match self {
            KeySpec::Generated { prefix, .. } => format!("{prefix}{idx}"),
            KeySpec::Custom { keys } => keys.get(idx).cloned().unwrap_or_default(),
        }
    }

    /// Parses a pasted key list: one key per line; blank lines are skipped and Windows line
    /// endings accepted. Other surrounding spaces are an error rather than silently dropped,
    /// so a key list means the same in the browser, in JSON and in a share link.
    pub fn parse_custom(text: &str) -> Result<KeySpec, ConfigError> {
        let (lines, keys): (Vec<usize>, Vec<String>) = text
            .lines()
            .enumerate()
            .map(|(idx, line)| (idx + 1, line.strip_suffix('\r').unwrap_or(line)))
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(idx, line)| (idx, line.to_owned()))
            .unzip();
        let spec = KeySpec::Custom { keys };
        // Report problems by the line of the pasted text, not the index among non-blank lines.
        spec.validate().map_err(|err| match err {
            ConfigError::BadKey { line, reason } => ConfigError::BadKey {
                line: lines.get(line - 1).copied().unwrap_or(line),
                reason,
            },
            other => other,
        })?;
        Ok(spec)
    }

    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        match self {
            KeySpec::Generated { count, prefix } => {
                check_range("the number of keys", *count, 1, MAX_KEYS, "1 to 100,000")?;
                if prefix.len() > 64 {
                    return Err(ConfigError::OutOfRange {
                        what: "the key prefix",
                        value: format!("{} bytes", prefix.len()),
                        range: "at most 64 bytes",
                    });
                }
            }
            KeySpec::Custom { keys } => {
                check_range(
                    "the number of keys",
                    keys.len(),
                    1,
                    MAX_KEYS as usize,
                    "1 to 100,000",
                )?;
                let mut seen = std::collections::BTreeSet::new();
                for (idx, key) in keys.iter().enumerate() {
                    let line = idx + 1;
                    if key.is_empty() {
                        return Err(ConfigError::BadKey {
                            line,
                            reason: "is empty",
                        });
                    }
                    if key.trim() != key {
                        return Err(ConfigError::BadKey {
                            line,
                            reason: "starts or ends with a space",
                        });
                    }
                    if key.len() > 256 {
                        return Err(ConfigError::BadKey {
                            line,
                            reason: "is longer than 256 bytes",
                        });
                    }
                    if !seen.insert(key.as_str()) {
                        return Err(ConfigError::BadKey {
                            line,
                            reason: "repeats an earlier key",
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

/// A way to map keys to nodes; the lab runs all of them side by side on the same keys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrategyKind {
    /// `hash(key) % N`: balanced, but almost every key moves when N changes.
    Modulo,
    /// The consistent-hash ring with virtual nodes (Karger et al. 1997).
    #[default]
    Ring,
    /// Rendezvous or highest-random-weight hashing (Thaler and Ravishankar 1998).
    Rendezvous,
    /// Jump consistent hash (Lamping and Veach 2014): buckets are numbered, only the last can leave cleanly.
    Jump,
    /// Maglev hashing (Eisenbud et al. 2016): a lookup table filled from per-node permutations.
    Maglev,
    /// Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam 2018).
    Bounded,
}

impl StrategyKind {
    /// Every strategy, in the order the comparison table lists them.
    pub const ALL: [StrategyKind; 6] = [
        StrategyKind::Modulo,
        StrategyKind::Ring,
        StrategyKind::Rendezvous,
        StrategyKind::Jump,
        StrategyKind::Maglev,
        StrategyKind::Bounded,
    ];

    /// Every strategy's id (in URLs and JSON) and name, in the order of [`StrategyKind::ALL`].
    pub const CHOICES: &'static [crate::schema::Choice] = &[
        crate::schema::Choice {
            id: "modulo",
            label: "Modulo (hash % N)",
        },
        crate::schema::Choice {
            id: "ring",
            label: "Ring + vnodes",
        },
        crate::schema::Choice {
            id: "rendezvous",
            label: "Rendezvous (HRW)",
        },
        crate::schema::Choice {
            id: "jump",
            label: "Jump hash",
        },
        crate::schema::Choice {
            id: "maglev",
            label: "Maglev",
        },
        crate::schema::Choice {
            id: "bounded",
            label: "Bounded loads",
        },
    ];

    /// The short identifier used in URLs and JSON.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self.index()].id
    }

    /// The strategy with identifier `id`.
    pub fn from_id(id: &str) -> Option<StrategyKind> {
        StrategyKind::ALL.into_iter().find(|s| s.id() == id)
    }

    /// A human-readable name.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self.index()].label
    }

    /// Whether the strategy honours node weights.
    pub fn weighted(self) -> bool {
        !matches!(self, StrategyKind::Modulo | StrategyKind::Jump)
    }

    /// Index into [`StrategyKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl RingConfig {
    /// Checks the whole config, returning the first problem found.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.nodes.is_empty() {
            return Err(ConfigError::NoNodes);
        }
        check_range(
            "the number of nodes",
            self.nodes.len(),
            1,
            MAX_NODES,
            "1 to 1,000",
        )?;
        check_range(
            "virtual nodes per weight",
            self.vnodes,
            1,
            MAX_VNODES_PER_NODE,
            "1 to 1,000",
        )?;
        if !(0.0..=MAX_EPSILON).contains(&self.epsilon) {
            return Err(ConfigError::OutOfRange {
                what: "ε",
                value: crate::format::trimmed(self.epsilon, 6),
                range: "a number from 0 to 10",
            });
        }
        self.keys.validate()?;
        let mut names = std::collections::BTreeSet::new();
        for node in &self.nodes {
            validate_node(node, self.vnodes)?;
            if !names.insert(node.name.as_str()) {
                return Err(ConfigError::DuplicateNode(node.name.clone()));
            }
        }
        validate_replication(self.replication, self.nodes.len())
    }
}

pub(crate) fn validate_replication(replication: u32, n_nodes: usize) -> Result<(), ConfigError> {
    check_range(
        "the replication factor",
        replication,
        1,
        MAX_NODES as u32,
        "at least 1",
    )?;
    if replication as usize > n_nodes {
        return Err(ConfigError::ReplicationTooLarge {
            replication,
            n_nodes,
        });
    }
    Ok(())
}

pub(crate) fn validate_node_name(name: &str) -> Result<(), ConfigError> {
    let ok = (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(ConfigError::BadNodeName(name.to_owned()))
    }
}

pub(crate) fn validate_node(node: &NodeSpec, vnodes: u32) -> Result<(), ConfigError> {
    validate_node_name(&node.name)?;
    check_range("a node's weight", node.weight, 1, MAX_WEIGHT, "1 to 100")?;
    let tokens = u64::from(node.weight) * u64::from(vnodes);
    check_range(
        "tokens per node (weight × vnodes)",
        tokens,
        1,
        u64::from(MAX_VNODES_PER_NODE),
        "1 to 1,000",
    )
}
