//! The one interface of every eviction policy: [`PolicyKind`] names them, [`Policy`] dispatches
//! an access to the chosen one, and [`Access`] reports what it did (hit or miss, the slot, and
//! the key evicted from which slot) so the lab can count it and the UI can flash it.
//!
//! Every policy stores its entries in `capacity` numbered slots (a [`Table`]): a key keeps its
//! slot while it is cached, so the strip of slots the UI draws is stable; a miss that evicts
//! reuses the victim's slot. Capacity counts objects.

use serde::{Deserialize, Serialize};

use super::arc::ArcPolicy;
use super::belady::Belady;
use super::choice;
use super::policies::{ClockPolicy, LfuPolicy, ListMode, ListPolicy, RandomPolicy, SievePolicy};
use super::s3fifo::S3Fifo;
use super::table::{Access, Table};
use super::tinylfu::TinyLfu;
use crate::schema::Choice;

/// An eviction policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// Least recently used: evicts the entry unused for longest.
    #[default]
    Lru,
    /// Least frequently used (counts of the cached entries, ties broken by recency).
    Lfu,
    /// First in, first out: evicts the oldest insertion; hits change nothing.
    Fifo,
    /// Most recently used: evicts the entry used last (good only for loops larger than the cache).
    Mru,
    /// Evicts a slot chosen by the seeded RNG.
    Random,
    /// CLOCK (second chance): a hand sweeps the slots, sparing entries hit since its last pass.
    Clock,
    /// Adaptive Replacement Cache (Megiddo and Modha): recency and frequency lists whose balance
    /// adapts to ghost hits.
    Arc,
    /// SIEVE (Zhang et al., NSDI 2024): a FIFO whose hand skips visited entries without moving them.
    Sieve,
    /// S3-FIFO (Yang et al., SOSP 2023): a small probationary FIFO, a main FIFO and a ghost queue.
    S3Fifo,
    /// W-TinyLFU (Einziger et al., Caffeine): a 1% LRU window and a segmented LRU whose admission
    /// is decided by a count-min sketch with a doorkeeper.
    #[serde(rename = "tinylfu")]
    TinyLfu,
    /// Bélády's optimum (offline): evicts the entry used farthest in the future.
    Belady,
}

impl PolicyKind {
    /// Every policy, in menu order.
    pub const ALL: [PolicyKind; 11] = [
        PolicyKind::Lru,
        PolicyKind::Lfu,
        PolicyKind::Fifo,
        PolicyKind::Mru,
        PolicyKind::Random,
        PolicyKind::Clock,
        PolicyKind::Arc,
        PolicyKind::Sieve,
        PolicyKind::S3Fifo,
        PolicyKind::TinyLfu,
        PolicyKind::Belady,
    ];

    /// The identifier used in URLs, JSON and benchmark names.
    /// Every policy's id (in links, JSON and benchmark names) and name, in the order of
    /// [`PolicyKind::ALL`].
    pub const CHOICES: &'static [Choice] = &[
        choice("lru", "LRU"),
        choice("lfu", "LFU"),
        choice("fifo", "FIFO"),
        choice("mru", "MRU"),
        choice("random", "Random"),
        choice("clock", "CLOCK"),
        choice("arc", "ARC"),
        choice("sieve", "SIEVE"),
        choice("s3_fifo", "S3-FIFO"),
        choice("tinylfu", "W-TinyLFU"),
        choice("belady", "Bélády (optimal)"),
    ];

    /// The identifier used in URLs, JSON and benchmark names.
    pub fn id(self) -> &'static str {
        Self::CHOICES[self as usize].id
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        Self::CHOICES[self as usize].label
    }

    /// The policy with identifier `id`.
    pub fn from_id(id: &str) -> Option<PolicyKind> {
        PolicyKind::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Whether the policy needs the whole request stream in advance.
    pub fn is_offline(self) -> bool {
        self == PolicyKind::Belady
    }
}

/// One cache under one eviction policy.
#[derive(Clone, Debug)]
pub enum Policy {
    /// LRU, MRU or FIFO: one list.
    List(ListPolicy),
    /// LFU.
    Lfu(LfuPolicy),
    /// Random.
    Random(RandomPolicy),
    /// CLOCK.
    Clock(ClockPolicy),
    /// ARC.
    Arc(Box<ArcPolicy>),
    /// SIEVE.
    Sieve(SievePolicy),
    /// S3-FIFO.
    S3Fifo(Box<S3Fifo>),
    /// W-TinyLFU.
    TinyLfu(Box<TinyLfu>),
    /// Bélády's optimum.
    Belady(Box<Belady>),
}

macro_rules! dispatch {
    ($self:expr, $p:ident => $body:expr) => {
        match $self {
            Policy::List($p) => $body,
            Policy::Lfu($p) => $body,
            Policy::Random($p) => $body,
            Policy::Clock($p) => $body,
            Policy::Arc($p) => $body,
            Policy::Sieve($p) => $body,
            Policy::S3Fifo($p) => $body,
            Policy::TinyLfu($p) => $body,
            Policy::Belady($p) => $body,
        }
    };
}

impl Policy {
    /// A cache of `capacity` (≥ 1) slots. `seed` drives the random policy; `future` is the whole
    /// key stream in access order, which only Bélády's optimum reads (others ignore it).
    pub fn new(kind: PolicyKind, capacity: u32, seed: u64, future: &[u64]) -> Policy {
        let capacity = capacity.max(1);
        match kind {
            PolicyKind::Lru => Policy::List(ListPolicy::new(capacity, ListMode::Lru)),
            PolicyKind::Mru => Policy::List(ListPolicy::new(capacity, ListMode::Mru)),
            PolicyKind::Fifo => Policy::List(ListPolicy::new(capacity, ListMode::Fifo)),
            PolicyKind::Lfu => Policy::Lfu(LfuPolicy::new(capacity)),
            PolicyKind::Random => Policy::Random(RandomPolicy::new(capacity, seed)),
            PolicyKind::Clock => Policy::Clock(ClockPolicy::new(capacity)),
            PolicyKind::Arc => Policy::Arc(Box::new(ArcPolicy::new(capacity))),
            PolicyKind::Sieve => Policy::Sieve(SievePolicy::new(capacity)),
            PolicyKind::S3Fifo => Policy::S3Fifo(Box::new(S3Fifo::new(capacity))),
            PolicyKind::TinyLfu => Policy::TinyLfu(Box::new(TinyLfu::new(capacity))),
            PolicyKind::Belady => Policy::Belady(Box::new(Belady::new(capacity, future))),
        }
    }

    /// Accesses `key`, the `pos`-th request of the stream (0-based; only Bélády reads it: a key
    /// that is not the stream's `pos`-th is treated as never used again). A miss stores the key,
    /// evicting one entry if the cache is full.
    #[inline]
    pub fn access(&mut self, key: u64, pos: u32) -> Access {
        dispatch!(self, p => p.access(key, pos))
    }

    /// Drops `key` from the cache (an invalidation or an expiry), returning the slot it left.
    pub fn remove(&mut self, key: u64) -> Option<u32> {
        dispatch!(self, p => p.remove(key))
    }

    /// The slots and the key map.
    pub fn table(&self) -> &Table {
        dispatch!(self, p => &p.table)
    }

    /// The slot holding `key`.
    pub fn slot_of(&self, key: u64) -> Option<u32> {
        self.table().lookup(key)
    }

    /// Empties the cache (a crash), keeping its capacity and, for Bélády, the future.
    pub fn clear(&mut self) {
        dispatch!(self, p => p.clear())
    }
}
