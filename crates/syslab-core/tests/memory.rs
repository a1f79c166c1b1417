//! Memory is bounded for every accepted link: the largest scenario each lab accepts (at the
//! edge of its stated work budget) stays under 512 MiB of heap while it is built and run to
//! its end. Measured natively with dhat's heap statistics; wasm32's pointers are half the
//! width, so the browser needs no more than this.

use syslab_core::Scenario;
use syslab_core::query::{parse_query, query_of};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// The stated bound on what any accepted link may take.
const MAX_HEAP: u64 = 512 << 20;

/// Links at the edge of each lab's budget: accepted without a notice, and as large as the
/// budget lets them be.
const LARGEST: &[&str] = &[
    // The ring: 100,000 keys over 1,000 nodes of 1,000 tokens each (the last one added: a change to replay).
    "/ring?keys=100000&nodes=999&vnodes=1000&ev=add~NEW~1",
    // The rate limiter: 1,000,000 requests × 2 algorithms = its 2,000,000 decisions.
    "/rate-limiter?traffic=steady&rate=50000&peak=50000&dur=20000&limit=1000000&burst=1000000&alg=token_bucket&cmp=gcra",
    // The cache: 2,000,000 requests × 2 policies (its 4,000,000), a million keys and slots.
    "/cache?n=2000000&cmp=lru&policy=sieve&items=1000000&size=1000000",
    // The load balancer: close to its 1,000,000 requests held at once (a second each way on
    // the wire at 500,000 a second).
    "/load-balancer?rate=500000&hop=990000&dur=10000&hc=0",
    // Replication: 444,000 operations × 9 replicas, just under its 4,000,000.
    "/replication?n=9&rate=7400&dur=60000&tick=100&probes=0",
];

#[test]
fn the_largest_accepted_scenarios_stay_under_512_mib() {
    let mut report = Vec::new();
    for link in LARGEST {
        let lab = link.trim_start_matches('/').split('?').next().unwrap_or("");
        let pairs = parse_query(query_of(link));
        let (scenario, notices) = Scenario::from_params(lab, &pairs).expect("a registered lab");
        assert!(notices.is_empty(), "{link}: {notices:?}");
        let profiler = dhat::Profiler::builder().testing().build();
        let snapshot = scenario.run().expect("the scenario runs");
        let stats = dhat::HeapStats::get();
        drop(snapshot);
        drop(profiler);
        report.push(format!(
            "{link}: peak {:.1} MiB",
            stats.max_bytes as f64 / f64::from(1 << 20)
        ));
        assert!(
            (stats.max_bytes as u64) < MAX_HEAP,
            "{link} peaked at {} bytes, over {MAX_HEAP}",
            stats.max_bytes
        );
    }
    println!("{}", report.join("\n"));
}
