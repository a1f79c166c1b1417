//! The consistent-hashing lab's benchmarks: raw token-table lookups, the recomputation behind a
//! drag, one whole drag frame of the view model, and a full change with every strategy.

use std::hint::black_box;

use syslab_core::hash::{hash_str, position_at};
use syslab_core::ring::{
    KeySpec, NodeSpec, RingConfig, RingEvent, RingLab, RingScenario, TokenTable, spreadsheet_name,
};
use syslab_core::rng::SplitMix64;

use crate::measure::{Budget, Clock, Figure, median, percentile, time_rounds};

/// The hash seed of every generated key and token (the lab's default seed).
const SEED: u64 = 1;
/// Seed of the random lookup positions (a stream independent of the tokens').
const LOOKUP_SEED: u64 = 2;
/// Seed of the merge walk's key positions.
const MERGE_SEED: u64 = 3;
/// Lookups per round of the lookup benchmarks.
const N_LOOKUPS: usize = 1_000_000;

/// A `TokenTable` of `n_nodes` × `vnodes` tokens at seeded random positions.
fn random_table(n_nodes: u32, vnodes: u32, seed: u64) -> TokenTable {
    let mut rng = SplitMix64::new(seed);
    let tokens = (0..n_nodes)
        .flat_map(|node_idx| (0..vnodes).map(move |_| node_idx))
        .map(|node_idx| (rng.next_u64(), node_idx))
        .collect();
    TokenTable::new(tokens)
}

/// Lookups per second, in millions, of `n` lookups taking `ms`.
fn mlookups_per_s(n: usize, ms: f64) -> f64 {
    n as f64 / ms / 1_000.0
}

/// `ring/lookup-1000x160`: `owner_of` of 1,000,000 random positions on 160,000 tokens.
pub fn lookup(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let table = random_table(1_000, 160, SEED);
    let mut rng = SplitMix64::new(LOOKUP_SEED);
    let positions: Vec<u64> = (0..N_LOOKUPS).map(|_| rng.next_u64()).collect();
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        let table = black_box(&table);
        let mut acc = 0u32;
        for &p in black_box(positions.as_slice()) {
            acc = acc.wrapping_add(table.owner_of(p).unwrap_or(0));
        }
        black_box(acc);
    });
    vec![(
        "ring/lookup-1000x160",
        mlookups_per_s(N_LOOKUPS, median(&rounds)),
        "Mlookups/s",
    )]
}

/// `ring/lookup-hashed-1000x160`: the same lookups, each first hashing its key (`user:{i}`).
pub fn lookup_hashed(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    use std::fmt::Write;

    let table = random_table(1_000, 160, SEED);
    // One arena and the end offsets, rather than a million small allocations.
    let mut arena = String::with_capacity(N_LOOKUPS * 12);
    let mut ends = Vec::with_capacity(N_LOOKUPS);
    for idx in 0..N_LOOKUPS {
        let _ = write!(arena, "user:{idx}");
        ends.push(arena.len());
    }
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        let table = black_box(&table);
        let arena = black_box(arena.as_str());
        let mut acc = 0u32;
        let mut start = 0;
        for &end in black_box(ends.as_slice()) {
            let position = hash_str(&arena[start..end], SEED);
            acc = acc.wrapping_add(table.owner_of(position).unwrap_or(0));
            start = end;
        }
        black_box(acc);
    });
    vec![(
        "ring/lookup-hashed-1000x160",
        mlookups_per_s(N_LOOKUPS, median(&rounds)),
        "Mlookups/s",
    )]
}

/// A ring lab of the default config with `n_nodes` nodes (A, B, …), `vnodes` tokens per node
/// and `n_keys` generated keys.
fn ring_scenario(n_nodes: u32, vnodes: u32, n_keys: u32) -> RingScenario {
    let config = RingConfig {
        vnodes,
        keys: KeySpec::Generated {
            count: n_keys,
            prefix: "user:".to_owned(),
        },
        nodes: (0..n_nodes)
            .map(|idx| NodeSpec::named(&spreadsheet_name(idx)))
            .collect(),
        ..RingConfig::default()
    };
    RingScenario {
        config,
        ..RingScenario::default()
    }
}

fn ring_lab(n_nodes: u32, vnodes: u32, n_keys: u32) -> RingLab {
    RingLab::new(&ring_scenario(n_nodes, vnodes, n_keys)).expect("the benchmark config is valid")
}

/// `ring/recompute-100k-keys`: one drag step on 10 × 100 tokens with 100,000 keys, which
/// recomputes the ring's and bounded loads' owner of every key.
pub fn recompute(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let mut lab = ring_lab(10, 100, 100_000);
    let targets = [position_at(0.25), position_at(0.75)];
    let mut step = 0usize;
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        let position = targets[step % 2];
        step += 1;
        lab.drag_to("A", 0, black_box(position))
            .expect("node A has a token 0");
        black_box(&lab);
    });
    vec![("ring/recompute-100k-keys", median(&rounds), "ms")]
}

/// `ring/owners-merge-100k`: the merge walk alone, 100,000 sorted keys over 10 × 100 tokens.
pub fn owners_merge(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let table = random_table(10, 100, SEED);
    let mut rng = SplitMix64::new(MERGE_SEED);
    let mut keys: Vec<u64> = (0..100_000).map(|_| rng.next_u64()).collect();
    keys.sort_unstable();
    let mut owners = Vec::new();
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        black_box(&table).owners_of_sorted(black_box(&keys), &mut owners);
        black_box(&owners);
    });
    vec![("ring/owners-merge-100k", median(&rounds), "ms")]
}

/// `ring/drag-frame-core-64x200-10k`: what the browser computes per animation frame while a
/// node is dragged on 64 × 200 tokens with 10,000 keys: `drag_to` and the view model. Reports
/// the median frame and the 95th percentile of single frames.
pub fn drag_frame(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let mut lab = ring_lab(64, 200, 10_000);
    // The handle sweeps a full turn every 500 frames, like a slow drag around the ring.
    let mut frame = 0u32;
    let min_frames = budget.min_rounds.max(budget.min_frames);
    let frames = time_rounds(clock, budget, min_frames, &mut || {
        let position = position_at(f64::from(frame % 500) / 500.0);
        frame += 1;
        lab.drag_to("A", 0, black_box(position))
            .expect("node A has a token 0");
        black_box(lab.view(Some(0)));
    });
    vec![
        ("ring/drag-frame-core-64x200-10k", median(&frames), "ms"),
        (
            "ring/drag-frame-core-64x200-10k-p95",
            percentile(&frames, 0.95),
            "ms",
        ),
    ]
}

/// `ring/apply-add-node-10k`: one committed change on 64 × 200 tokens with 10,000 keys, which
/// recomputes all six strategies and the change report. Rounds alternate between adding a node
/// and removing it again, so the ring stays the same size.
pub fn apply_add_node(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let mut lab = ring_lab(64, 200, 10_000);
    let name = lab.fresh_name();
    let mut added = false;
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        let event = if added {
            RingEvent::RemoveNode { name: name.clone() }
        } else {
            RingEvent::AddNode {
                name: name.clone(),
                weight: 1,
            }
        };
        added = !added;
        black_box(lab.apply(black_box(event)).expect("the change is valid"));
    });
    vec![("ring/apply-add-node-10k", median(&rounds), "ms")]
}

/// `ring/apply-add-node-deferred-100k`: what the page computes when "+ Add node" is clicked on
/// 64 × 200 tokens with 100,000 keys: the change in a `new_deferred` lab (the ring, bounded
/// loads, modulo, the report), against `ring/apply-add-node-100k`, the same change placing all
/// six strategies at once (as the CLI does). `ring/place-piece-100k` is one piece of the
/// deferred placements that follow (the median and the 95th percentile of pieces), and
/// `ring/place-pieces-100k` how many pieces one change takes. Rounds alternate between adding
/// a node and removing it again; the pieces between them are not part of the change's time.
pub fn apply_add_node_deferred(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let scenario = ring_scenario(64, 200, 100_000);
    let mut deferred = RingLab::new_deferred(&scenario).expect("the benchmark config is valid");
    let mut sync = RingLab::new(&scenario).expect("the benchmark config is valid");
    let name = deferred.fresh_name();
    let (mut applies, mut applies_sync, mut pieces) = (Vec::new(), Vec::new(), Vec::new());
    let mut n_pieces = 0usize;
    let start = clock();
    // Round 0 is a warm-up and is not recorded.
    for round in 0usize.. {
        let event = if round % 2 == 1 {
            RingEvent::RemoveNode { name: name.clone() }
        } else {
            RingEvent::AddNode {
                name: name.clone(),
                weight: 1,
            }
        };
        let t = clock();
        black_box(
            deferred
                .apply(black_box(event.clone()))
                .expect("the change is valid"),
        );
        let deferred_ms = clock() - t;
        let mut round_pieces = Vec::new();
        while deferred.placing() {
            let t = clock();
            black_box(deferred.place_piece());
            round_pieces.push(clock() - t);
        }
        let t = clock();
        black_box(sync.apply(black_box(event)).expect("the change is valid"));
        let sync_ms = clock() - t;
        if round > 0 {
            applies.push(deferred_ms);
            applies_sync.push(sync_ms);
            n_pieces = round_pieces.len();
            pieces.extend(round_pieces);
        }
        if applies.len() >= budget.min_rounds && clock() - start >= budget.measure_ms {
            break;
        }
    }
    vec![
        ("ring/apply-add-node-deferred-100k", median(&applies), "ms"),
        ("ring/apply-add-node-100k", median(&applies_sync), "ms"),
        ("ring/place-piece-100k", median(&pieces), "ms"),
        ("ring/place-piece-100k-p95", percentile(&pieces, 0.95), "ms"),
        ("ring/place-pieces-100k", n_pieces as f64, "pieces"),
    ]
}

/// `ring/clone-lab-64x200-10k`: a deep copy of the drag benchmark's lab (64 × 200 tokens,
/// 10,000 keys). Until the shell shared the lab (`Rc<RefCell<_>>` in `Session`), the reducer
/// paid this on every action, drag frames included; it now pays nothing.
pub fn clone_lab(clock: Clock<'_>, budget: &Budget) -> Vec<Figure> {
    let lab = ring_lab(64, 200, 10_000);
    let rounds = time_rounds(clock, budget, budget.min_rounds, &mut || {
        black_box(black_box(&lab).clone());
    });
    vec![("ring/clone-lab-64x200-10k", median(&rounds), "ms")]
}
