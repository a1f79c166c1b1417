//! The ring's keys: their hashes, the hash order the ring's merge walk uses, and their dots,
//! all computed once (keys never move).

use super::config::{KeySpec, RingConfig};
use super::geometry::{Point, key_point, push_dot};
use crate::hash::hash_str;

/// Keys, their hashes, and the hash order used by the ring's merge walk.
#[derive(Clone, Debug, Default)]
pub(crate) struct KeyIndex {
    pub(crate) hashes: Vec<u64>,
    /// Where each key is drawn; keys never move, so this is computed once.
    pub(crate) points: Vec<Point>,
    /// Every key's dot as path text, back to back, and where each one ends: drawing a frame
    /// is then copying bytes, not formatting numbers.
    dots: String,
    dot_ends: Vec<u32>,
    pub(crate) sorted_hashes: Vec<u64>,
    pub(crate) sorted_idx: Vec<u32>,
}

impl KeyIndex {
    /// Key `key`'s dot as path text.
    pub(crate) fn dot(&self, key: usize) -> &str {
        let start = if key == 0 {
            0
        } else {
            self.dot_ends[key - 1] as usize
        };
        &self.dots[start..self.dot_ends[key] as usize]
    }

    pub(crate) fn new(config: &RingConfig) -> Self {
        let n = config.keys.len();
        let hashes: Vec<u64> = match &config.keys {
            KeySpec::Generated { prefix, .. } => {
                let mut buf = String::with_capacity(prefix.len() + 8);
                (0..n)
                    .map(|idx| {
                        use std::fmt::Write;
                        buf.clear();
                        buf.push_str(prefix);
                        let _ = write!(buf, "{idx}");
                        hash_str(&buf, config.seed)
                    })
                    .collect()
            }
            KeySpec::Custom { keys } => keys.iter().map(|k| hash_str(k, config.seed)).collect(),
        };
        let mut order: Vec<(u64, u32)> = hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| (h, i as u32))
            .collect();
        order.sort_unstable();
        let (sorted_hashes, sorted_idx) = order.into_iter().unzip();
        let points: Vec<Point> = hashes.iter().map(|&h| key_point(h)).collect();
        let mut dots = String::with_capacity(points.len() * 12);
        let dot_ends = points
            .iter()
            .map(|&p| {
                push_dot(&mut dots, p);
                dots.len() as u32
            })
            .collect();
        Self {
            points,
            dots,
            dot_ends,
            hashes,
            sorted_hashes,
            sorted_idx,
        }
    }
}
