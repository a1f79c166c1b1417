//! The resilience lab's presets: each a story of how a system stays up or falls over, written
//! as the lab's own link parameters so that a preset is exactly what its share link opens.

use super::lab::ResScenario;
use super::params::RES_PARAMS;
use crate::Preset;
use crate::query::parse_query;
use crate::schema;

/// (id, label, title, link parameters), in menu order.
const PRESETS: &[(&str, &str, &str, &str)] = &[
    (
        "steady",
        "Steady",
        "Clients → A → B at half load, no fault: the baseline every other preset disturbs.",
        "",
    ),
    (
        "retry-storm",
        "Retry storm",
        "B slows down 10× for 10 s; 3 retries at two layers with no backoff multiply the load on B up to 16× and it stays down after the slow-down ends.",
        "an=8&acap=200&aq=1000&bq=2000&ra=3&rb=3&backoff=none&jitter=none&fault=b:slow10:8000:6000",
    ),
    (
        "budget",
        "Retry budget",
        "The same storm with a 20% retry budget at each layer: amplification stays near 1.4× and B recovers when the slow-down ends.",
        "an=8&acap=200&aq=1000&bq=2000&ra=3&rb=3&backoff=none&jitter=none&budget=1&fault=b:slow10:8000:6000",
    ),
    (
        "no-jitter",
        "Backoff, no jitter",
        "20,000 clients fail together when B is down for a second; exponential backoff without jitter brings them back in synchronised waves.",
        "ra=4&rb=0&backoff=exponential&base=200&cap=5000&jitter=none&herd=20000&herdat=5000&rate=500&fault=b:down:5000:1000",
    ),
    (
        "full-jitter",
        "Full jitter",
        "The same herd with full jitter: the retries spread over each backoff window instead of arriving together.",
        "ra=4&rb=0&backoff=exponential&base=200&cap=5000&jitter=full&herd=20000&herdat=5000&rate=500&fault=b:down:5000:1000",
    ),
    (
        "breaker",
        "Circuit breaker",
        "B fails half its requests for 10 s; a breaker on A's calls to B (window 20, 10 s open) stops the retries and gives B room, then closes after its trial calls.",
        "ra=2&rb=2&brk=b&bwin=20&bmin=20&bwait=3000&bhalf=5&fault=b:err0.6:8000:10000",
    ),
    (
        "hedging",
        "Hedged requests",
        "B has a long tail (log-normal, σ 1.5); hedging after 25 ms (about B's p95) cuts the p99 for a few percent more load on B.",
        "dist=lognormal&sigma=1.5&hedge=25&bms=5",
    ),
    (
        "deadline",
        "Deadline propagation",
        "The retry storm with each call carrying its deadline: B drops queued work whose client has given up, wasting far less.",
        "an=8&acap=200&aq=1000&bq=2000&ra=3&rb=3&backoff=none&jitter=none&prop=1&fault=b:slow10:8000:6000",
    ),
    (
        "throttle",
        "Adaptive throttling",
        "A spike of 4× traffic; clients throttle themselves (K = 2) and send A about twice what it can accept.",
        "thr=1&twin=10&spike=8000:10000:4&aq=0&bq=0",
    ),
    (
        "stampede",
        "Cache stampede",
        "A cache in front of B holds one hot key (half of A's calls) that expires every 5 s and takes B 100 ms to recompute: about 45 recomputations hit B at each expiry. Every fix runs beside it on the same traffic; single-flight makes it one.",
        "cache=1&fixcmp=1&dist=constant&dur=20000&tick=100",
    ),
    (
        "compare",
        "Compare policies",
        "The retry storm under the whole ladder of policies, side by side on identical traffic.",
        "an=8&acap=200&aq=1000&bq=2000&cmp=1&bwin=20&bmin=20&bwait=3000&bhalf=5&fault=b:slow10:8000:6000",
    ),
];

/// The scenario of link parameters `query` (the presets' own links are checked by the tests
/// to read without a notice).
fn from_query(query: &str) -> ResScenario {
    schema::decode(RES_PARAMS, &parse_query(query), ResScenario::default(), &[]).0
}

/// The presets, in menu order.
pub fn presets() -> Vec<Preset<ResScenario>> {
    PRESETS
        .iter()
        .map(|&(id, label, title, query)| Preset {
            id,
            label,
            title,
            scenario: from_query(query),
        })
        .collect()
}
