//! The closed-form and published results the resilience lab reproduces, as [`Check`]s: retry
//! amplification (r + 1)^L with the deepest tier down, a retry budget's cap on it, the
//! synchronised wave of retries without jitter and its spread under full and equal jitter
//! (AWS Architecture Blog, 2015), resilience4j's breaker cycle with its default settings,
//! adaptive throttling's steady state (Google SRE book) against Erlang's loss formula, and
//! M/M/c's mean latency (Erlang C, through the load balancer's formula); and the cache
//! stampede: single-flight's one recomputation per expiry, the stampede's 1 + λδ without a
//! fix, XFetch's e^(1/β) recomputations per refresh, and TTL jitter's spread of expiries.

use super::lab::ResilienceLab;
use super::sim::RETRY_WINDOW_NS;
use crate::check::{Check, Tolerance};
use crate::error::ConfigError;
use crate::lb::checks::erlang_c;

/// Simulated ms left out of steady-state averages.
const WARMUP_MS: f64 = 20_000.0;

/// The herd of the jitter checks.
const HERD: f64 = 10_000.0;

/// The stampede check's chain: one hot key read 500 times a second, recomputed in a constant
/// 100 ms at a B with room for every recomputation (128 slots), no timeouts (the
/// single-flight check is the same chain with `fix=coalesce`).
const STAMPEDE: &str = "cache=1&hot=1&ttl=2000&rms=100&bn=16&tob=0&toa=0&deadline=0&dist=constant&ams=0.001&an=8&rate=500&dur=120000&tick=500";

/// Every check of the lab.
pub fn checks() -> Vec<Check<ResilienceLab>> {
    vec![
        Check {
            id: "amplification-two-layers",
            name: "3 retries at 2 layers, B down: attempts at B per request",
            source: "closed form: each of the (r + 1) attempts at A makes (r + 1) attempts at B, (r + 1)^L = 4² = 16 (Google SRE book, ch. 22, \"Addressing Cascading Failures\": retries at several layers multiply)",
            query: "ra=3&rb=3&backoff=none&toa=0&tob=0&deadline=0&dist=constant&ams=0.001&rate=100&dur=10000&tick=100&fault=b:down:0:10000",
            expected: 16.0,
            tolerance: Tolerance::Abs(0.0),
            unit: "attempts",
            measure: |lab| Ok(amplification(lab, 1)),
        },
        Check {
            id: "amplification-three-layers",
            name: "3 retries at 3 layers, C down: attempts at C per request",
            source: "closed form: (r + 1)^L = 4³ = 64",
            query: "depth=3&ra=3&rb=3&rc=3&backoff=none&toa=0&tob=0&toc=0&deadline=0&dist=constant&ams=0.001&bms=0.001&rate=100&dur=10000&tick=100&fault=c:down:0:10000",
            expected: 64.0,
            tolerance: Tolerance::Abs(0.0),
            unit: "attempts",
            measure: |lab| Ok(amplification(lab, 2)),
        },
        Check {
            id: "budget-caps-amplification",
            name: "the same storm under a 20% retry budget at each layer",
            source: "Finagle's RetryBudget (percentCanRetry 0.2, no minimum): at most 1.2 attempts per call at each layer, 1.2² = 1.44 at B",
            query: "ra=3&rb=3&backoff=none&toa=0&tob=0&deadline=0&budget=1&bfloor=0&rate=1000&dur=60000&tick=500&fault=b:down:0:60000",
            expected: 1.44,
            tolerance: Tolerance::Rel(0.02),
            unit: "attempts",
            measure: |lab| Ok(amplification(lab, 1)),
        },
        Check {
            id: "no-jitter-wave",
            name: "10,000 clients fail together, exponential backoff, no jitter: peak retries per 10 ms",
            source: "AWS Architecture Blog, Exponential Backoff And Jitter (Brooker, 2015): without jitter, clients that failed together retry together",
            query: "depth=1&rate=0.001&herd=10000&herdat=0&ra=3&backoff=exponential&base=100&cap=10000&jitter=none&toa=0&deadline=0&dur=2000&tick=100&fault=a:down:0:2000",
            expected: HERD,
            tolerance: Tolerance::Abs(0.0),
            unit: "retries",
            measure: |lab| Ok(peak_retries(lab)),
        },
        Check {
            id: "full-jitter-peak",
            name: "the same herd with full jitter: peak retries per 10 ms",
            source: "AWS Architecture Blog (2015), full jitter: sleep = random(0, min(cap, base × 2^attempt)); expected peak from the sum of the uniform sleeps (computed here)",
            query: "depth=1&rate=0.001&herd=10000&herdat=0&ra=3&backoff=exponential&base=100&cap=10000&jitter=full&toa=0&deadline=0&dur=2000&tick=100&fault=a:down:0:2000",
            expected: expected_peak_retries(HERD, 100.0, 10_000.0, 3, false),
            tolerance: Tolerance::Rel(0.1),
            unit: "retries",
            measure: |lab| Ok(peak_retries(lab)),
        },
        Check {
            id: "equal-jitter-peak",
            name: "the same herd with equal jitter: peak retries per 10 ms",
            source: "AWS Architecture Blog (2015), equal jitter: sleep = b/2 + random(0, b/2); expected peak from the sum of the uniform sleeps (computed here)",
            query: "depth=1&rate=0.001&herd=10000&herdat=0&ra=3&backoff=exponential&base=100&cap=10000&jitter=equal&toa=0&deadline=0&dur=2000&tick=100&fault=a:down:0:2000",
            expected: expected_peak_retries(HERD, 100.0, 10_000.0, 3, true),
            tolerance: Tolerance::Rel(0.1),
            unit: "retries",
            measure: |lab| Ok(peak_retries(lab)),
        },
        Check {
            id: "breaker-default-cycle",
            name: "resilience4j's defaults, B down for 200 s at 100 requests/s: calls reaching B",
            source: "resilience4j CircuitBreakerConfig defaults (window 100, minimum 100 calls, 50%, 60 s open, 10 half-open calls): 100 calls to open, then 10 trial calls each ~60.1 s (at 61, 121 and 181 s): 100 + 3 × 10",
            query: "brk=b&ra=0&rb=0&toa=0&tob=0&deadline=0&rate=100&dur=200000&tick=1000&fault=b:down:0:200000",
            expected: 130.0,
            tolerance: Tolerance::Abs(0.0),
            unit: "calls",
            measure: |lab| Ok(lab.runs[0].counts.attempts[1] as f64),
        },
        Check {
            id: "throttle-steady-state",
            name: "adaptive throttling (K = 2) in front of a 10-slot tier with no queue, 4× overloaded: share rejected locally",
            source: "Google SRE book, ch. 21 \"Handling Overload\": p = max(0, (requests − K·accepts)/(requests + 1)); at steady state the tier accepts 1/K of what it is sent, so Erlang B(10, a) = 1/2 and p = 1 − a·μ/λ (Erlang's loss formula, 1917)",
            query: "depth=1&an=1&acap=10&aq=0&ams=10&thr=1&k=2&twin=10&toa=0&deadline=0&rate=4000&dur=120000&tick=1000",
            expected: throttle_fixed_point(10, 100.0, 4_000.0, 2.0),
            tolerance: Tolerance::Abs(0.01),
            unit: "",
            measure: throttled_share,
        },
        Check {
            id: "mmc-latency",
            name: "tier A as M/M/4 at load 0.8: mean latency",
            source: "M/M/c: W = 1/μ + C(c, λ/μ)/(cμ − λ), C the Erlang C formula (Kleinrock 1975, §3.5)",
            query: "depth=1&an=1&acap=4&aq=100000&ams=1&rate=3200&toa=0&deadline=0&dur=200000&tick=1000",
            expected: 1.0 + erlang_c(4, 3.2) / (4.0 - 3.2),
            tolerance: Tolerance::Rel(0.04),
            unit: "ms",
            measure: mean_latency,
        },
        Check {
            id: "single-flight-one-per-expiry",
            name: "request coalescing (single-flight): recomputations per expiry of the hot key",
            source: "golang.org/x/sync/singleflight: Do \"makes sure that only one execution is in-flight for a given key at a time\"; callers that miss meanwhile share its result",
            query: "cache=1&fix=coalesce&hot=1&ttl=2000&rms=100&bn=16&tob=0&toa=0&deadline=0&dist=constant&ams=0.001&an=8&rate=500&dur=120000&tick=500",
            expected: 1.0,
            tolerance: Tolerance::Abs(0.0),
            unit: "recomputations",
            measure: |lab| recomputes_per_expiry(lab, false),
        },
        Check {
            id: "stampede-rate-times-recompute",
            name: "no fix: recomputations per expiry of a key read 500/s and recomputed in 100 ms",
            source: "Vattani, Chierichetti and Lowenstein, \"Optimal Probabilistic Cache Stampede Prevention\", VLDB 2015, §1: the requests that see the miss are those arriving while it is recomputed; closed form 1 + λδ = 1 + 500/s × 0.1 s for Poisson reads",
            query: STAMPEDE,
            expected: 51.0,
            tolerance: Tolerance::Rel(0.05),
            unit: "recomputations",
            measure: |lab| recomputes_per_expiry(lab, false),
        },
        Check {
            id: "xfetch-recomputes-per-refresh",
            name: "XFetch (β = 1), a key read 1,000/s and recomputed in 20 ms: recomputations per refresh",
            source: "XFetch (Vattani et al., VLDB 2015): recompute when now − δβ·ln(rand) ≥ expiry; for Poisson reads at rate λ the first early recomputation's lead is Gumbel, λδβ·e^(−lead/δβ) is Exp(1), and the reads during its δ add e^(1/β) − 1 on average: e^(1/β) = e per refresh (derived at xfetch_recomputes_per_refresh in the lab's checks)",
            query: "cache=1&fix=early&beta=1&hot=1&ttl=500&rms=20&bn=16&tob=0&toa=0&deadline=0&dist=constant&ams=0.001&an=8&rate=1000&dur=600000&tick=1000",
            expected: xfetch_recomputes_per_refresh(1.0),
            tolerance: Tolerance::Rel(0.1),
            unit: "recomputations",
            measure: |lab| recomputes_per_expiry(lab, true),
        },
        Check {
            id: "ttl-jitter-spread",
            name: "TTL jitter 50% on 10,000 keys written together (TTL 10 s): most expiring in one 1 s step, as a share of the keys",
            source: "closed form: lifetimes uniform over the last half of the TTL put 1 s / 5 s = 0.2 of the keys in each second, against all of them in one step without jitter",
            query: "cache=1&fix=jitter&tjit=0.5&keys=10000&hot=1&ttl=10000&rate=0.001&dur=12000&tick=1000",
            expected: 0.2,
            tolerance: Tolerance::Rel(0.1),
            unit: "",
            measure: |lab| {
                let cache = cache_of(lab)?;
                let peak = cache.expiries.iter().copied().max().unwrap_or(0);
                Ok(f64::from(peak) / f64::from(cache.spec.keys))
            },
        },
    ]
}

fn cache_of(lab: &ResilienceLab) -> Result<&super::cache::Cache, ConfigError> {
    lab.runs[0]
        .cache
        .as_ref()
        .ok_or_else(|| ConfigError::Invalid("the cache is off".to_owned()))
}

/// Recomputations per expiry of the shown run's cache; with `refreshes`, per refresh (XFetch
/// recomputes before the value expires, so its values are rarely seen expired).
fn recomputes_per_expiry(lab: &ResilienceLab, refreshes: bool) -> Result<f64, ConfigError> {
    let c = cache_of(lab)?.counts;
    let per = if refreshes { c.refreshes } else { c.expiries };
    if per == 0 {
        return Err(ConfigError::Invalid("no value expired".to_owned()));
    }
    Ok(c.recomputes as f64 / per as f64)
}

/// XFetch's expected recomputations per refresh for Poisson reads, when the reads per
/// recompute time (λδ) are many and the TTL is long against δβ·ln(λδβ): the first early
/// recomputation at lead S before expiry has P(S ≤ s) = exp(−λδβ·e^(−s/δβ)) (a Gumbel law),
/// so X = λδβ·e^(−S/δβ) is Exp(1); while it runs (δ), reads at lead u recompute with
/// probability e^(−u/δβ), adding λ∫ from S−δ to S of e^(−u/δβ) du = X·(e^(1/β) − 1) on average.
pub fn xfetch_recomputes_per_refresh(beta: f64) -> f64 {
    libm::exp(1.0 / beta)
}

fn amplification(lab: &ResilienceLab, tier: usize) -> f64 {
    lab.runs[0].counts.amplification(tier)
}

fn peak_retries(lab: &ResilienceLab) -> f64 {
    f64::from(lab.runs[0].retry_windows.iter().copied().max().unwrap_or(0))
}

/// Mean latency of successes after the warm-up, in ms.
fn mean_latency(lab: &ResilienceLab) -> Result<f64, ConfigError> {
    let end = f64::from(lab.config.duration_ms);
    let (sum, n) = lab.runs[0]
        .series
        .iter()
        .filter(|p| p.at_ms > WARMUP_MS && p.at_ms <= end)
        .fold((0.0, 0u64), |(s, n), p| {
            (
                s + p.mean_ms * p.counts.successes as f64,
                n + p.counts.successes,
            )
        });
    if n == 0 {
        return Err(ConfigError::Invalid(
            "no request succeeded after the warm-up".to_owned(),
        ));
    }
    Ok(sum / n as f64)
}

/// Share of requests rejected locally by the throttle after the warm-up.
fn throttled_share(lab: &ResilienceLab) -> Result<f64, ConfigError> {
    let end = f64::from(lab.config.duration_ms);
    let (throttled, sent) = lab.runs[0]
        .series
        .iter()
        .filter(|p| p.at_ms > WARMUP_MS && p.at_ms <= end)
        .fold((0u64, 0u64), |(t, s), p| {
            (t + p.counts.throttled, s + p.counts.generated)
        });
    if sent == 0 {
        return Err(ConfigError::Invalid(
            "no request after the warm-up".to_owned(),
        ));
    }
    Ok(throttled as f64 / sent as f64)
}

/// Erlang's B (loss) formula: the share of arrivals refused by `c` servers without a queue
/// at offered load `a` erlangs, by the stable recursion B(k) = a·B(k−1) / (k + a·B(k−1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    b
}

/// The share adaptive throttling rejects at steady state in front of `c` slots serving `mu`
/// requests per second each, with `rate` requests per second offered: the tier is sent λ
/// with Erlang B(c, λ/μ) = 1 − 1/K (it accepts 1/K of what it is sent), and p = 1 − λ/rate.
pub fn throttle_fixed_point(c: u32, mu: f64, rate: f64, k: f64) -> f64 {
    let target = 1.0 - 1.0 / k;
    // B grows with a: bisect.
    let (mut lo, mut hi) = (0.0, 1e7);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if erlang_b(c, mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (1.0 - lo * mu / rate).max(0.0)
}

/// The expected peak, over 10 ms windows aligned on the failure, of the retries of `n`
/// clients that all failed at time 0 and keep failing, each retrying `retries` times with
/// exponential backoff (`base` × 2^(k−1) ms, at most `cap`) and full jitter (a uniform sleep
/// from 0 to the backoff) or equal jitter (half the backoff plus a uniform draw up to half).
/// The time of retry k is the sum of k uniform sleeps; its density is built by convolving
/// with each uniform on a 10 µs grid (a moving sum over prefix sums).
pub fn expected_peak_retries(n: f64, base: f64, cap: f64, retries: u32, equal: bool) -> f64 {
    let dt = 0.01; // ms
    let total: f64 = (1..=retries).map(|k| backoff(base, cap, k)).sum();
    let len = (total / dt) as usize + 2;
    let mut density = vec![0.0; len];
    density[0] = 1.0; // the failure, at time 0
    let mut windows: Vec<f64> = Vec::new();
    let per_window = (RETRY_WINDOW_NS as f64 / 1e6 / dt).round() as usize;
    for k in 1..=retries {
        let b = backoff(base, cap, k);
        let (lo, hi) = if equal { (b / 2.0, b) } else { (0.0, b) };
        let (lo, hi) = ((lo / dt).round() as usize, (hi / dt).round() as usize);
        let width = (hi - lo).max(1) as f64;
        let mut prefix = vec![0.0; len + 1];
        for i in 0..len {
            prefix[i + 1] = prefix[i] + density[i];
        }
        // A sleep of s grid steps, uniform over [lo, hi): next[t] = Σ_{s=lo}^{hi−1} d[t − s] / width.
        let mut next = vec![0.0; len];
        for (t, slot) in next.iter_mut().enumerate() {
            let a = t.saturating_sub(hi - 1);
            let b = if t >= lo { t - lo + 1 } else { 0 };
            if b > a {
                *slot = (prefix[b] - prefix[a]) / width;
            }
        }
        density = next;
        if windows.len() < len / per_window + 1 {
            windows.resize(len / per_window + 1, 0.0);
        }
        for (i, p) in density.iter().enumerate() {
            windows[i / per_window] += p;
        }
    }
    n * windows.iter().copied().fold(0.0, f64::max)
}

fn backoff(base: f64, cap: f64, k: u32) -> f64 {
    (base * libm::pow(2.0, f64::from(k - 1))).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_b_matches_textbook_values() {
        // B(1, a) = a / (1 + a); B(2, 1) = 1/5.
        assert!((erlang_b(1, 1.0) - 0.5).abs() < 1e-12);
        assert!((erlang_b(2, 1.0) - 0.2).abs() < 1e-12);
        let p = throttle_fixed_point(1, 100.0, 1_000.0, 2.0);
        // B(1, a) = 1/2 at a = 1: the tier is sent 100/s of 1,000/s.
        assert!((p - 0.9).abs() < 1e-9, "{p}");
    }

    #[test]
    fn one_uniform_sleep_spreads_evenly() {
        // One retry uniform over 100 ms: 1/10 of the herd per 10 ms window.
        let peak = expected_peak_retries(1_000.0, 100.0, 1e4, 1, false);
        assert!((peak - 100.0).abs() < 0.5, "{peak}");
        let peak = expected_peak_retries(1_000.0, 100.0, 1e4, 1, true);
        assert!((peak - 200.0).abs() < 0.5, "{peak}");
    }
}
