//! The other ways to map keys to nodes, run on the same keys as the ring.
//!
//! Every function takes the nodes (in join order) and the keys' 64-bit hashes, and returns the
//! owning node index of every key, in key order. They are pure and deterministic.

use super::table::TokenTable;
use crate::rng::mix64;

/// What a strategy needs to know about one node.
#[derive(Clone, Copy, Debug)]
pub struct NodeKey {
    /// XXH64 of the node's name with the scenario seed.
    pub name_hash: u64,
    /// The node's weight (at least 1).
    pub weight: u32,
}

/// `hash % N`: perfectly spread, and almost every key moves when N changes.
pub fn modulo(n_nodes: usize, key_hashes: &[u64], out: &mut Vec<u32>) {
    out.clear();
    if n_nodes == 0 {
        return;
    }
    let n = n_nodes as u64;
    out.extend(key_hashes.iter().map(|&h| (h % n) as u32));
}

/// Jump consistent hash (Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash
/// Algorithm", 2014), exactly as published, with the key hash as the 64-bit key.
pub fn jump_bucket(mut key: u64, n_buckets: u32) -> u32 {
    let mut b: i64 = -1;
    let mut j: i64 = 0;
    while j < i64::from(n_buckets) {
        b = j;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        j = ((b + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    b as u32
}

/// Jump hash for every key; node i is bucket i, so only the last node can leave without reshuffling.
pub fn jump(n_nodes: usize, key_hashes: &[u64], out: &mut Vec<u32>) {
    out.clear();
    if n_nodes == 0 {
        return;
    }
    out.extend(key_hashes.iter().map(|&h| jump_bucket(h, n_nodes as u32)));
}

/// Rendezvous (highest random weight) hashing: each key goes to the node with the highest
/// score `mix64(key_hash ^ node_hash)`. With unequal weights it uses the logarithmic method
/// (Schindelhauer and Schomaker 2005): score = -weight / ln(u) with u uniform in (0, 1).
pub fn rendezvous(nodes: &[NodeKey], key_hashes: &[u64], out: &mut Vec<u32>) {
    out.clear();
    if nodes.is_empty() {
        return;
    }
    let equal_weights = nodes.iter().all(|n| n.weight == nodes[0].weight);
    out.extend(key_hashes.iter().map(|&h| {
        if equal_weights {
            let mut best = (0u64, 0u32);
            for (idx, node) in nodes.iter().enumerate() {
                let score = mix64(h ^ node.name_hash);
                if idx == 0 || score > best.0 {
                    best = (score, idx as u32);
                }
            }
            best.1
        } else {
            let mut best = (f64::NEG_INFINITY, 0u32);
            for (idx, node) in nodes.iter().enumerate() {
                let score = weighted_score(mix64(h ^ node.name_hash), node.weight);
                if score > best.0 {
                    best = (score, idx as u32);
                }
            }
            best.1
        }
    }));
}

/// -w / ln(u), with u in (0, 1) taken from the top 53 bits; `libm` keeps it identical in wasm.
fn weighted_score(bits: u64, weight: u32) -> f64 {
    let u = ((bits >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    -f64::from(weight) / libm::log(u)
}

/// The smallest prime `>= n` (n is small here: at most about 100,000).
pub fn next_prime(n: u64) -> u64 {
    let mut candidate = n.max(2);
    loop {
        if is_prime(candidate) {
            return candidate;
        }
        candidate += 1;
    }
}

fn is_prime(n: u64) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n.is_multiple_of(2) {
        return false;
    }
    let mut d = 3;
    while d * d <= n {
        if n.is_multiple_of(d) {
            return false;
        }
        d += 2;
    }
    true
}

/// The paper's default lookup table size, a prime.
pub const MAGLEV_DEFAULT_TABLE: u64 = 65_537;

/// The Maglev lookup table size for `n_nodes`: 65,537 (the paper's default) up to 655 nodes,
/// else the smallest prime above 100 × N. Either way it is a prime above 100 × N, which keeps
/// every node's share of the table within 1% of the mean. The size must not follow N closely:
/// a join or leave that changed it would give almost every key a new slot, so it only changes
/// when N crosses 655.
pub fn maglev_table_size(n_nodes: usize) -> u64 {
    let above = 100 * n_nodes.max(1) as u64 + 1;
    if above <= MAGLEV_DEFAULT_TABLE {
        MAGLEV_DEFAULT_TABLE
    } else {
        next_prime(above)
    }
}

/// Builds the Maglev lookup table (Eisenbud et al., NSDI 2016, Pseudocode 1). Each node walks
/// its own permutation of the slots (offset and skip from two hashes of its name) and, in
/// turns, claims its next free slot; a node of weight w takes w slots per turn.
pub fn maglev_table(nodes: &[NodeKey], table_size: u64) -> Vec<u32> {
    let m = table_size;
    if nodes.is_empty() || m < 2 {
        return Vec::new();
    }
    let mut cursor: Vec<u64> = Vec::with_capacity(nodes.len());
    let mut skip: Vec<u64> = Vec::with_capacity(nodes.len());
    for node in nodes {
        cursor.push(mix64(node.name_hash ^ 0x6D61_676C_6576_3031) % m);
        skip.push(mix64(node.name_hash ^ 0x736B_6970_3032_3033) % (m - 1) + 1);
    }
    const EMPTY: u32 = u32::MAX;
    let mut entry = vec![EMPTY; m as usize];
    let mut filled = 0u64;
    'fill: loop {
        for (idx, node) in nodes.iter().enumerate() {
            for _ in 0..node.weight {
                // Each permutation visits every slot once (m is prime), so a free one is found.
                while entry[cursor[idx] as usize] != EMPTY {
                    cursor[idx] = step(cursor[idx], skip[idx], m);
                }
                entry[cursor[idx] as usize] = idx as u32;
                cursor[idx] = step(cursor[idx], skip[idx], m);
                filled += 1;
                if filled == m {
                    break 'fill;
                }
            }
        }
    }
    entry
}

/// `(cursor + skip) % m` without a division: both are below `m`.
#[inline]
fn step(cursor: u64, skip: u64, m: u64) -> u64 {
    let next = cursor + skip;
    if next >= m { next - m } else { next }
}

/// Maglev placement of every key through a table built by [`maglev_table`].
pub fn maglev(table: &[u32], key_hashes: &[u64], out: &mut Vec<u32>) {
    out.clear();
    if table.is_empty() {
        return;
    }
    let m = table.len() as u64;
    out.extend(key_hashes.iter().map(|&h| table[(h % m) as usize]));
}

/// The per-node capacity of consistent hashing with bounded loads: ⌈(1+ε) · K · w / W⌉.
pub fn bounded_capacities(weights: &[u32], n_keys: usize, epsilon: f64) -> Vec<u64> {
    let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    weights
        .iter()
        .map(|&w| bounded_capacity(w, total, n_keys as u64, epsilon))
        .collect()
}

/// One node's capacity under bounded loads: ⌈(1+ε) · K · w / W⌉ for weight `w` of total
/// `total_weight` and `n_keys` keys. The load balancer calls it per request with K the
/// requests in flight (plus the new one).
#[inline]
pub fn bounded_capacity(weight: u32, total_weight: u64, n_keys: u64, epsilon: f64) -> u64 {
    let mean = n_keys as f64 * f64::from(weight) / total_weight.max(1) as f64;
    // (1+ε)·mean is often a whole number that floating point lands just above (1.1 × 100
    // is 110.00000000000001); the tolerance keeps the cap at that whole number. Every key
    // still has room: the caps sum to at least (1+ε)·K − N·10⁻⁹, which is above K − 1.
    libm::ceil((1.0 + epsilon) * mean - 1e-9) as u64
}

/// Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, SODA 2018).
///
/// Keys are placed in key order; each goes to the first node clockwise from its position that
/// still has room under its capacity. Full nodes' tokens are skipped with a "next open token"
/// union-find, so even ε = 0 (perfect balance) costs near-linear time.
pub fn bounded(table: &TokenTable, capacities: &[u64], key_hashes: &[u64], out: &mut Vec<u32>) {
    out.clear();
    let n_tokens = table.len();
    if n_tokens == 0 {
        return;
    }
    let owners = table.owners();
    let mut node_tokens: Vec<Vec<u32>> = vec![Vec::new(); capacities.len()];
    for (t, &owner) in owners.iter().enumerate() {
        if let Some(list) = node_tokens.get_mut(owner as usize) {
            list.push(t as u32);
        }
    }
    let mut load = vec![0u64; capacities.len()];
    // next[i] == i means token i is open; otherwise follow it (index n_tokens wraps to 0).
    let mut next: Vec<u32> = (0..=n_tokens as u32).collect();
    let mut open_tokens = n_tokens;
    for &h in key_hashes {
        if open_tokens == 0 {
            // Only possible if the capacities cannot hold every key, which callers rule out;
            // fall back to the plain ring rather than loop forever.
            out.push(owners[table.token_for(h)]);
            continue;
        }
        let start = table.token_for(h) as u32;
        let mut idx = find_open(&mut next, start);
        if idx as usize == n_tokens {
            idx = find_open(&mut next, 0);
        }
        let node = owners[idx as usize] as usize;
        out.push(node as u32);
        load[node] += 1;
        if load[node] >= capacities[node] {
            // Close every token of the now-full node.
            for &t in &node_tokens[node] {
                next[t as usize] = t + 1;
                open_tokens -= 1;
            }
        }
    }
}

fn find_open(next: &mut [u32], start: u32) -> u32 {
    let mut root = start;
    while next[root as usize] != root {
        root = next[root as usize];
    }
    // Path compression.
    let mut idx = start;
    while next[idx as usize] != root {
        let following = next[idx as usize];
        next[idx as usize] = root;
        idx = following;
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: usize, seed: u64) -> Vec<u64> {
        let mut rng = crate::rng::SplitMix64::new(seed);
        (0..n).map(|_| rng.next_u64()).collect()
    }

    #[test]
    fn jump_matches_reference_values() {
        // Values from the reference implementation (Guava's Hashing.consistentHash uses the same
        // recurrence): key 0 always lands in bucket 0, and buckets stay in range.
        assert_eq!(jump_bucket(0, 1), 0);
        assert_eq!(jump_bucket(0, 100), 0);
        for key in keys(1000, 1) {
            assert!(jump_bucket(key, 10) < 10);
        }
    }

    #[test]
    fn jump_moves_only_to_new_bucket() {
        for key in keys(10_000, 2) {
            let before = jump_bucket(key, 10);
            let after = jump_bucket(key, 11);
            assert!(after == before || after == 10);
        }
    }

    #[test]
    fn maglev_table_is_balanced_for_prime_above_100n() {
        for n in [3usize, 10, 37] {
            let nodes: Vec<NodeKey> = (0..n)
                .map(|i| NodeKey {
                    name_hash: crate::hash::hash_str(&format!("node-{i}"), 1),
                    weight: 1,
                })
                .collect();
            let m = maglev_table_size(n);
            assert!(m > 100 * n as u64 && is_prime(m));
            let table = maglev_table(&nodes, m);
            let mut counts = vec![0u64; n];
            for &e in &table {
                counts[e as usize] += 1;
            }
            let mean = m as f64 / n as f64;
            for c in counts {
                assert!((c as f64 - mean).abs() / mean <= 0.01, "{c} vs {mean}");
            }
        }
    }

    #[test]
    fn bounded_loads_respect_capacity_even_at_zero_slack() {
        let mut rng = crate::rng::SplitMix64::new(5);
        let table = TokenTable::new((0..40).map(|i| (rng.next_u64(), i % 4)).collect());
        let hashes = keys(1001, 6);
        for eps in [0.0, 0.1, 1.0] {
            let caps = bounded_capacities(&[1, 1, 1, 1], hashes.len(), eps);
            let mut out = Vec::new();
            bounded(&table, &caps, &hashes, &mut out);
            let mut load = [0u64; 4];
            for &o in &out {
                load[o as usize] += 1;
            }
            let bound = libm::ceil((1.0 + eps) * 1001.0 / 4.0) as u64;
            assert!(load.iter().all(|&l| l <= bound), "{load:?} > {bound}");
        }
    }

    #[test]
    fn weighted_rendezvous_follows_weights() {
        let nodes = [
            NodeKey {
                name_hash: 11,
                weight: 1,
            },
            NodeKey {
                name_hash: 22,
                weight: 3,
            },
        ];
        let mut out = Vec::new();
        rendezvous(&nodes, &keys(40_000, 3), &mut out);
        let heavy = out.iter().filter(|&&o| o == 1).count() as f64 / 40_000.0;
        assert!((heavy - 0.75).abs() < 0.01, "{heavy}");
    }
}
