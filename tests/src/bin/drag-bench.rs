//! Browser benchmarks: runs the app's `/ring?bench=drag` hook (a drag frame on a 64-node ring)
//! and `/load-balancer?bench=play` hook (a playback frame at 50,000 requests per simulated
//! second), then measures the longest main-thread task while each lab does its heaviest work
//! ([`LONG_TASKS`]: "Run to the end" on the largest preset or link, or adding a node to a large
//! ring), and how long each page takes to load cold on a throttled link ([`LOADS`]: slow 4G
//! with a 4× slower CPU, precompressed files served), and prints benchmark records.
//!
//! Needs `SYSLAB_DIST` (a release build). Prints a JSON array of
//! `{"name","value","unit","target":"browser"}` records on stdout and nothing else, so
//! `cargo xtask bench` can merge it; progress and errors go to stderr. Arguments, if any, keep
//! only the benchmarks whose record prefix contains one of them (`drag-bench longtask/`,
//! `drag-bench load/`). `SYSLAB_LOAD_ENCODING` (`gzip`, the default, `br` or `identity`) and
//! `SYSLAB_LOAD_RUNS` (default 5) set what the load benchmark asks the server for and how many
//! cold loads of each page it takes the median of. `SYSLAB_PROFILE=1` also samples the page's
//! CPU profile (DevTools' `Profiler`) during each long-task action and prints where the time
//! went, by function, on stderr: wasm functions by name, and the browser's own work (style,
//! layout, paint) as `(program)`. `SYSLAB_LONGTASK_CSS` adds a stylesheet before each
//! long-task action (hide a part of the drawing to see what redrawing it costs), and
//! `SYSLAB_LONGTASK_CPU=N` slows the CPU N times during it (DevTools' CPU throttling), to see
//! how far under the threshold a case is. Long animation frames after the action (where the
//! browser reports them) are logged on stderr with their scripts and style and layout.

use std::process::ExitCode;
use std::time::Duration;

use serde_json::{Value, json};
use syslab_e2e::{Browser, Harness, Result, parse_moved_summary};

fn main() -> ExitCode {
    let filters: Vec<String> = std::env::args().skip(1).collect();
    match run(&filters) {
        Ok(records) => {
            println!("{records}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("drag-bench: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The pages benchmarked and the prefix of their records' names.
const PAGES: &[(&str, &str)] = &[
    ("/ring?bench=drag", "ring/drag-frame"),
    // 100 servers of 4 slots at 5 ms a request serve 80,000 requests a second; one tick (a
    // frame) is 16 ms of simulated time, 800 requests, with every algorithm's run replayed
    // for the comparison table off.
    (
        "/load-balancer?bench=play&servers=100&cap=4&cost=5&rate=50000&tick=16&dur=10000",
        "lb/play-frame-50k-rps",
    ),
];

fn run(filters: &[String]) -> Result<Value> {
    let selected =
        |prefix: &str| filters.is_empty() || filters.iter().any(|f| prefix.contains(f.as_str()));
    let harness = Harness::start("drag-bench")?;
    let mut all = Vec::new();
    harness.run(|h| {
        for (page, prefix) in PAGES.iter().filter(|(_, prefix)| selected(prefix)) {
            h.open(page)?;
            // textContent rather than WebDriver's visible text: the <pre> may be hidden.
            let text = h.browser.wait_until(
                format!(
                    "the benchmark on {page} to write its result into pre[data-testid=bench-result]"
                ),
                Duration::from_secs(120),
                |b| {
                    let text = b.execute(
                        "const pre = document.querySelector('pre[data-testid=bench-result]');
                         return pre ? pre.textContent : null;",
                        &[],
                    )?;
                    Ok(text
                        .as_str()
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned))
                },
            )?;
            all.extend(records(&text, prefix)?);
        }
        for case in LONG_TASKS
            .iter()
            .filter(|c| selected(&format!("longtask/{}", c.name)))
        {
            all.extend(long_tasks(h, case)?);
        }
        let loads: Vec<&Load> = LOADS
            .iter()
            .filter(|c| selected(&format!("load/{}", c.name)))
            .collect();
        if !loads.is_empty() {
            all.extend(cold_loads(h, &loads)?);
        }
        Ok(())
    })?;
    if all.is_empty() {
        return Err("the benchmarks produced no result".into());
    }
    Ok(Value::Array(all))
}

/// Turns `{"frames","p50_ms","p95_ms","max_ms"}` into benchmark records.
fn records(text: &str, prefix: &str) -> Result<Vec<Value>> {
    let result: Value = serde_json::from_str(text)
        .map_err(|e| format!("bench-result is not JSON ({e}): {text}"))?;
    let frames = result["frames"].as_u64().unwrap_or(0);
    eprintln!("drag-bench: {prefix}: {frames} frames: {result}");
    let mut records = Vec::new();
    for (key, suffix) in [("p95_ms", "p95"), ("p50_ms", "p50"), ("max_ms", "max")] {
        let name = format!("{prefix}-{suffix}");
        let value = result[key]
            .as_f64()
            .ok_or_else(|| format!("bench-result has no numeric `{key}`: {text}"))?;
        records.push(json!({ "name": name, "value": value, "unit": "ms", "target": "browser" }));
    }
    Ok(records)
}

/// Tasks longer than this are the browser's long tasks (the Long Tasks API's threshold).
const LONG_TASK_MS: f64 = 50.0;

/// How long one heavy action may take before the benchmark gives up.
const HEAVY_WAIT: Duration = Duration::from_secs(180);

/// What a long-task case does once its page is ready.
enum Action {
    /// Clicks `button[data-testid=run-to-end]` and waits until it is disabled (the run is
    /// over); on the cache page also until no miss-ratio curve is still being computed.
    RunToEnd,
    /// Clicks `button[data-testid=add-node]` and waits until `[data-testid=moved-summary]`
    /// reports the keys that moved and no strategy is still being placed
    /// (`[data-testid=strategy-computing]`).
    AddNode,
}

/// One lab's heaviest work, measured for main-thread long tasks.
struct LongTask {
    /// Records are `longtask/<name>-max` (ms) and `longtask/<name>-count` (tasks over 50 ms)
    /// after the action, and `longtask/<name>-load-max` (ms) while the page loaded.
    name: &'static str,
    page: &'static str,
    /// The lab root's `data-lab`.
    lab: &'static str,
    action: Action,
}

/// Each lab's heaviest preset or link. The cache's largest preset is `zipf-lru-vs-sieve`
/// (100,000 requests × 5 policies) and its budget link is 363,636 requests × 11 policies
/// (4,000,000, `cache::MAX_WORK`); the rate limiter's largest preset is `flash-sale` (18,000
/// decisions) and its budget link 280,000 requests × 7 algorithms (1,960,000 of
/// `ratelimit::MAX_WORK`'s 2,000,000).
const LONG_TASKS: &[LongTask] = &[
    LongTask {
        name: "cache-zipf-lru-vs-sieve-run-to-end",
        page: "/cache?preset=zipf-lru-vs-sieve",
        lab: "cache",
        action: Action::RunToEnd,
    },
    LongTask {
        name: "cache-budget-run-to-end",
        page: "/cache?n=363636&cmp=all&size=5000&items=100000",
        lab: "cache",
        action: Action::RunToEnd,
    },
    LongTask {
        name: "lb-slow-server-60s-run-to-end",
        page: "/load-balancer?preset=slow-server&dur=60000",
        lab: "load-balancer",
        action: Action::RunToEnd,
    },
    LongTask {
        name: "rate-limiter-flash-sale-run-to-end",
        page: "/rate-limiter?preset=flash-sale",
        lab: "rate-limiter",
        action: Action::RunToEnd,
    },
    LongTask {
        name: "rate-limiter-budget-run-to-end",
        page: "/rate-limiter?alg=token_bucket\
               &cmp=leaky_queue,leaky_meter,fixed_window,sliding_log,sliding_counter,gcra\
               &traffic=poisson&rate=14000&dur=20000",
        lab: "rate-limiter",
        action: Action::RunToEnd,
    },
    LongTask {
        name: "resilience-compare-run-to-end",
        page: "/resilience?preset=compare",
        lab: "resilience",
        action: Action::RunToEnd,
    },
    LongTask {
        name: "replication-linkedin-disk-run-to-end",
        page: "/replication?preset=linkedin-disk",
        lab: "replication",
        action: Action::RunToEnd,
    },
    LongTask {
        name: "ring-100k-keys-add-node",
        page: "/ring?keys=100000&nodes=64&vnodes=200",
        lab: "ring",
        action: Action::AddNode,
    },
];

/// Starts collecting long tasks: entries that start before now (the page load, through
/// `buffered`) and after it (the action) are kept apart. Answers whether the browser reports
/// long tasks at all.
const OBSERVE_LONG_TASKS: &str = "
    const s = { t0: performance.now(), load: [], action: [] };
    const keep = (entries) => {
        for (const e of entries) {
            (e.startTime < s.t0 ? s.load : s.action).push([e.startTime - s.t0, e.duration]);
        }
    };
    s.keep = keep;
    s.observer = new PerformanceObserver((list) => keep(list.getEntries()));
    s.observer.observe({ type: 'longtask', buffered: true });
    // Long animation frames (where supported): what a long frame spent on scripts and on
    // style and layout, for the log.
    s.frames = [];
    if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
        s.loaf = new PerformanceObserver((list) => {
            for (const e of list.getEntries()) {
                if (e.startTime < s.t0) continue;
                const at = (t) => Math.round(t - e.startTime);
                const scripts = e.scripts.map((x) => `${x.invokerType} ${x.invoker} ${Math.round(x.duration)} ms` +
                    ` (forced style/layout ${Math.round(x.forcedStyleAndLayoutDuration)})`);
                s.frames.push(`${Math.round(e.duration)} ms at +${Math.round(e.startTime - s.t0)}: ` +
                    `render from +${at(e.renderStart)}, style/layout from +${at(e.styleAndLayoutStart)}; ` +
                    `blocking ${Math.round(e.blockingDuration)}; ${scripts.join('; ')}`);
            }
        });
        s.loaf.observe({ type: 'long-animation-frame', buffered: true });
    }
    window.__syslabLongTasks = s;
    return PerformanceObserver.supportedEntryTypes.includes('longtask');";

/// After two more frames and 100 ms (so the observer has been told of the last task), answers
/// `{load, action}`: `[start ms relative to the click, duration ms]` pairs.
const TAKE_LONG_TASKS: &str = "
    const done = arguments[arguments.length - 1];
    const s = window.__syslabLongTasks;
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => {
        s.keep(s.observer.takeRecords());
        s.observer.disconnect();
        if (s.loaf) s.loaf.disconnect();
        done({ load: s.load, action: s.action, frames: s.frames });
    }, 100)));";

/// Opens the case's page, observes long tasks, does the action, waits until it is over and
/// turns the longest task and the count of tasks over 50 ms into records.
fn long_tasks(h: &Harness, case: &LongTask) -> Result<Vec<Value>> {
    let b = &h.browser;
    let prefix = format!("longtask/{}", case.name);
    h.open(case.page)?;
    let ready = format!(".lab[data-lab={}][data-ready=true]", case.lab);
    b.wait_until(format!("`{ready}` on {}", case.page), HEAVY_WAIT, |b| {
        Ok(b.find_all(&ready)?.into_iter().next())
    })?;
    // A repaired link would measure something else than intended.
    let notices = b.execute(
        "return [...document.querySelectorAll('[data-testid=notice]')].map(n => n.textContent);",
        &[],
    )?;
    if notices.as_array().is_some_and(|n| !n.is_empty()) {
        return Err(format!("{} showed notices: {notices}", case.page).into());
    }

    // The page's own background work (the ring's comparison strategies, placed in slices
    // after the load) is over before the action, so the action does not complete it.
    b.wait_until(
        format!("no strategy still computing on {}", case.page),
        HEAVY_WAIT,
        |b| {
            let computing = !b.find_all("[data-testid=strategy-computing]")?.is_empty();
            Ok((!computing).then_some(()))
        },
    )?;
    let (button, before) = match case.action {
        Action::RunToEnd => (b.find("button[data-testid=run-to-end]")?, Before::default()),
        Action::AddNode => (
            b.find("button[data-testid=add-node]")?,
            Before {
                summary: b.text(&b.find("[data-testid=moved-summary]")?)?,
                rows: b.find_all("[data-testid=node-row]")?.len(),
            },
        ),
    };
    if b.property(&button, "disabled")?.as_bool() == Some(true) {
        return Err(format!("the button on {} is disabled before the action", case.page).into());
    }
    if b.execute(OBSERVE_LONG_TASKS, &[])?.as_bool() != Some(true) {
        return Err("this browser does not report long tasks (PerformanceObserver)".into());
    }
    // An experiment's stylesheet (say `.ring-base .ticks{display:none}`), to see what part of
    // the redraw a piece of the drawing costs.
    if let Ok(css) = std::env::var("SYSLAB_LONGTASK_CSS") {
        b.execute(
            "const s = document.createElement('style'); s.textContent = arguments[0];
             document.head.append(s);",
            &[json!(css)],
        )?;
    }
    // A slower CPU (DevTools' throttling), to see how much room a case has under the
    // threshold: the Long Tasks API reports nothing shorter.
    let throttle = std::env::var("SYSLAB_LONGTASK_CPU")
        .ok()
        .and_then(|r| r.parse::<f64>().ok())
        .filter(|r| *r > 1.0);
    if let Some(rate) = throttle {
        b.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": rate }))?;
    }
    let profile = std::env::var_os("SYSLAB_PROFILE").is_some();
    if profile {
        b.cdp("Profiler.enable", json!({}))?;
        b.cdp("Profiler.setSamplingInterval", json!({ "interval": 200 }))?;
        b.cdp("Profiler.start", json!({}))?;
    }
    b.click(&button)?;
    wait_for_end(b, case, &before)?;
    if profile {
        let taken = b.cdp("Profiler.stop", json!({}))?;
        eprintln!("drag-bench: {prefix}: CPU profile, self time by function:");
        for (ms, name) in self_times(&taken["profile"]).into_iter().take(25) {
            eprintln!("    {ms:8.1} ms  {name}");
        }
    }
    let tasks = b.execute_async(TAKE_LONG_TASKS, &[])?;
    if throttle.is_some() {
        b.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 1 }))?;
    }
    // What the page says it did (every lab but the ring has its status in `.rl-status`).
    let status = b.execute(
        "const s = document.querySelector('.rl-status, [data-testid=moved-summary]');
         return s ? s.textContent : '';",
        &[],
    )?;

    let durations = |key: &str| -> Result<Vec<(f64, f64)>> {
        tasks[key]
            .as_array()
            .ok_or_else(|| format!("no `{key}` in the long tasks: {tasks}"))?
            .iter()
            .map(|t| match (t[0].as_f64(), t[1].as_f64()) {
                (Some(start), Some(duration)) => Ok((start, duration)),
                _ => Err(format!("a long task is not [start, duration]: {t}").into()),
            })
            .collect()
    };
    let (load, action) = (durations("load")?, durations("action")?);
    for frame in tasks["frames"].as_array().into_iter().flatten() {
        eprintln!(
            "drag-bench: {prefix}: long animation frame {}",
            frame.as_str().unwrap_or("")
        );
    }
    let max = |tasks: &[(f64, f64)]| tasks.iter().map(|t| t.1).fold(0.0, f64::max);
    let over = action.iter().filter(|t| t.1 > LONG_TASK_MS).count();
    let shown: Vec<String> = action
        .iter()
        .map(|(start, duration)| format!("{duration:.0} ms at +{start:.0} ms"))
        .collect();
    eprintln!(
        "drag-bench: {prefix}: longest task {:.0} ms, {over} over {LONG_TASK_MS} ms [{}]; \
         page load before it: {} long tasks, longest {:.0} ms; then: {status}",
        max(&action),
        shown.join(", "),
        load.len(),
        max(&load),
    );
    Ok(vec![
        json!({ "name": format!("{prefix}-max"), "value": max(&action), "unit": "ms",
                "target": "browser" }),
        json!({ "name": format!("{prefix}-count"), "value": over, "unit": "tasks",
                "target": "browser" }),
        json!({ "name": format!("{prefix}-load-max"), "value": max(&load), "unit": "ms",
                "target": "browser" }),
    ])
}

/// Self time by function name (ms, most first) of a DevTools `Profiler.Profile`: each sample's
/// time delta is charged to the node it landed in.
fn self_times(profile: &Value) -> Vec<(f64, String)> {
    let mut name_of = std::collections::HashMap::new();
    for node in profile["nodes"].as_array().into_iter().flatten() {
        let frame = &node["callFrame"];
        let name = match frame["functionName"].as_str() {
            Some("") | None => format!("(anonymous {})", frame["url"].as_str().unwrap_or("")),
            Some(name) => name.to_owned(),
        };
        name_of.insert(node["id"].as_u64().unwrap_or(0), name);
    }
    let mut totals: std::collections::BTreeMap<String, f64> = Default::default();
    let samples = profile["samples"].as_array().into_iter().flatten();
    let deltas = profile["timeDeltas"].as_array().into_iter().flatten();
    // A delta is the time before its sample; charge it to that sample's function.
    for (id, delta) in samples.zip(deltas) {
        let name = name_of
            .get(&id.as_u64().unwrap_or(0))
            .cloned()
            .unwrap_or_default();
        *totals.entry(name).or_default() += delta.as_f64().unwrap_or(0.0) / 1000.0;
    }
    let mut out: Vec<(f64, String)> = totals.into_iter().map(|(n, ms)| (ms, n)).collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    out
}

/// What the ring page showed before a node was added.
#[derive(Default)]
struct Before {
    /// The moved-keys summary.
    summary: String,
    /// Rows of the load panel.
    rows: usize,
}

/// Waits until the action of `case` is over.
fn wait_for_end(b: &Browser, case: &LongTask, before: &Before) -> Result<()> {
    match case.action {
        Action::RunToEnd => b.wait_until(
            format!(
                "the run to end on {} (the run-to-end button disabled, no curve computing)",
                case.page
            ),
            HEAVY_WAIT,
            |b| {
                let button = b.find("button[data-testid=run-to-end]")?;
                let disabled = b.property(&button, "disabled")?.as_bool() == Some(true);
                let computing = !b.find_all("[data-testid=mrc-computing]")?.is_empty();
                Ok((disabled && !computing).then_some(()))
            },
        ),
        Action::AddNode => b.wait_until(
            format!(
                "the moved-summary on {} to report the added node and the load panel to show it",
                case.page
            ),
            HEAVY_WAIT,
            |b| {
                let text = b.text(&b.find("[data-testid=moved-summary]")?)?;
                // The panels draw a task after the ring: wait for the node's row too.
                let rows = b.find_all("[data-testid=node-row]")?.len();
                let computing = !b.find_all("[data-testid=strategy-computing]")?.is_empty();
                Ok((text != before.summary
                    && parse_moved_summary(&text).is_some()
                    && rows == before.rows + 1
                    && !computing)
                    .then_some(()))
            },
        ),
    }
}

/// One page whose cold load is measured.
struct Load {
    /// Records are `load/<name>-ms` (the median time to ready) and `load/<name>-kb` (what the
    /// page transferred); with an encoding other than gzip, `load/<name>-<encoding>-…`.
    name: &'static str,
    page: &'static str,
}

/// Every page of the site and two embeds: the iframe page and the example blog post, whose
/// script-tag embeds load five labs at once (the record keeps its old name, `blog-4-labs`, so
/// figures stay comparable across BENCHMARKS.md; the resilience lab joined it on 2026-12-02).
const LOADS: &[Load] = &[
    Load {
        name: "home",
        page: "/",
    },
    Load {
        name: "ring",
        page: "/ring",
    },
    Load {
        name: "rate-limiter",
        page: "/rate-limiter",
    },
    Load {
        name: "cache",
        page: "/cache",
    },
    Load {
        name: "load-balancer",
        page: "/load-balancer",
    },
    Load {
        name: "resilience",
        page: "/resilience",
    },
    Load {
        name: "replication",
        page: "/replication",
    },
    Load {
        name: "embed-ring",
        page: "/embed.html?lab=ring",
    },
    Load {
        name: "blog-4-labs",
        page: "/examples/blog.html",
    },
];

/// Lighthouse's "slow 4G": 1.6 Mbit/s down (1.6 × 1024 × 1024 bit/s), 750 kbit/s up
/// (750 × 1024 bit/s), 150 ms of latency, in bytes per second and milliseconds.
const SLOW_4G_DOWN: f64 = 1.6 * 1024.0 * 1024.0 / 8.0;
const SLOW_4G_UP: f64 = 750.0 * 1024.0 / 8.0;
const SLOW_4G_LATENCY_MS: f64 = 150.0;
/// The CPU slowdown, as in Lighthouse's mobile runs.
const CPU_SLOWDOWN: f64 = 4.0;

/// Installed in every new document before its own scripts (`Page.addScriptToEvaluateOnNewDocument`):
/// records in `window.__syslabLoaded` the time since navigation start (`performance.now()`)
/// when the page is first ready: the landing's lab cards, every script-tag embed's lab, or the
/// page's lab (`.lab[data-ready=true]`).
const WATCH_READY: &str = "(() => {
    const ready = () => {
        if (document.querySelector('a.lab-card')) return true;
        const divs = document.querySelectorAll('[data-syslab-lab]');
        if (divs.length > 0) {
            return document.readyState !== 'loading' && Array.from(divs).every((d) =>
                d.querySelector('.lab[data-ready=true]'));
        }
        return document.querySelector('.lab[data-ready=true]') !== null;
    };
    const observer = new MutationObserver(() => {
        if (window.__syslabLoaded === undefined && ready()) {
            window.__syslabLoaded = performance.now();
            observer.disconnect();
        }
    });
    observer.observe(document, { childList: true, subtree: true, attributes: true,
                                 attributeFilter: ['data-ready'] });
})();";

/// The page's resources once it is ready: `[path, transferred bytes, decoded bytes, start ms,
/// end ms]` (the navigation itself first).
const RESOURCES: &str = "
    const nav = performance.getEntriesByType('navigation')[0];
    return [nav].concat(performance.getEntriesByType('resource')).map((e) =>
        [new URL(e.name).pathname, e.transferSize, e.decodedBodySize, e.startTime,
         e.responseEnd]);";

/// Loads each page cold `SYSLAB_LOAD_RUNS` times on a throttled link and CPU, and records the
/// median time until it is ready and what it transferred.
fn cold_loads(h: &Harness, cases: &[&Load]) -> Result<Vec<Value>> {
    let b = &h.browser;
    let encoding = std::env::var("SYSLAB_LOAD_ENCODING").unwrap_or_else(|_| "gzip".into());
    let accept = match encoding.as_str() {
        "gzip" => "gzip",
        "br" => "br, gzip",
        "identity" => "identity",
        other => {
            return Err(
                format!("SYSLAB_LOAD_ENCODING={other:?}: expected gzip, br or identity").into(),
            );
        }
    };
    let runs: usize = match std::env::var("SYSLAB_LOAD_RUNS") {
        Err(_) => 5,
        Ok(text) => text
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("SYSLAB_LOAD_RUNS={text:?}: expected a whole number ≥ 1"))?,
    };
    let suffix = if encoding == "gzip" {
        String::new()
    } else {
        format!("-{encoding}")
    };
    // Same-origin first, so the tab's renderer is the one the pages load in.
    h.open("/robots.txt")?;
    b.cdp("Network.enable", json!({}))?;
    b.cdp("Network.setCacheDisabled", json!({ "cacheDisabled": true }))?;
    b.cdp(
        "Network.setExtraHTTPHeaders",
        json!({ "headers": { "Accept-Encoding": accept } }),
    )?;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": WATCH_READY }),
    )?;
    let mut records = Vec::new();
    for case in cases {
        let mut times = Vec::with_capacity(runs);
        let mut transferred = 0;
        for run in 0..runs {
            // Throttling off while leaving the last page, on for the load.
            h.open("/robots.txt")?;
            throttle(b, true)?;
            let loaded = (|| {
                h.open(case.page)?;
                b.wait_until(
                    format!("{} to be ready on slow 4G", case.page),
                    Duration::from_secs(90),
                    |b| {
                        Ok(b.execute("return window.__syslabLoaded ?? null;", &[])?
                            .as_f64())
                    },
                )
            })();
            let resources = b.execute(RESOURCES, &[]);
            throttle(b, false)?;
            let ms = loaded?;
            let (total, listing) = transfers(&resources?, case.page)?;
            eprintln!(
                "drag-bench: load/{}{suffix} run {}: {ms:.0} ms, {:.1} KB transferred ({accept}): {}",
                case.name,
                run + 1,
                total as f64 / 1024.0,
                listing.join(", ")
            );
            times.push(ms);
            transferred = total;
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let prefix = format!("load/{}{suffix}", case.name);
        eprintln!(
            "drag-bench: {prefix}: median {median:.0} ms of {runs} cold loads ({})",
            times
                .iter()
                .map(|t| format!("{t:.0}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        records.push(
            json!({ "name": format!("{prefix}-ms"), "value": median, "unit": "ms",
                             "target": "browser" }),
        );
        records.push(json!({ "name": format!("{prefix}-kb"),
                             "value": (transferred as f64 / 1024.0 * 10.0).round() / 10.0,
                             "unit": "KB", "target": "browser" }));
    }
    Ok(records)
}

/// Slow 4G and a 4× slower CPU on the tab (`on`), or neither.
fn throttle(b: &Browser, on: bool) -> Result<()> {
    let network = if on {
        json!({ "offline": false, "latency": SLOW_4G_LATENCY_MS,
                "downloadThroughput": SLOW_4G_DOWN, "uploadThroughput": SLOW_4G_UP })
    } else {
        json!({ "offline": false, "latency": 0, "downloadThroughput": -1,
                "uploadThroughput": -1 })
    };
    b.cdp("Network.emulateNetworkConditions", network)?;
    let rate = if on { CPU_SLOWDOWN } else { 1.0 };
    b.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": rate }))?;
    Ok(())
}

/// The bytes a page transferred and a line per file; an error if a bundle file was fetched
/// twice (a preload the loader did not take would be).
fn transfers(resources: &Value, page: &str) -> Result<(u64, Vec<String>)> {
    let list = resources
        .as_array()
        .ok_or_else(|| format!("no resource list on {page}: {resources}"))?;
    let mut total = 0;
    let mut listing = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for entry in list {
        let path = entry[0].as_str().unwrap_or("?");
        let sent = entry[1].as_u64().unwrap_or(0);
        let decoded = entry[2].as_u64().unwrap_or(0);
        let bundle = path.ends_with(".wasm") || path.contains("/syslab-");
        if bundle && seen.contains(&path) {
            return Err(format!("{page} fetched {path} twice: {resources}").into());
        }
        seen.push(path);
        total += sent;
        let name = path.rsplit('/').next().unwrap_or(path);
        let (start, end) = (
            entry[3].as_f64().unwrap_or(0.0),
            entry[4].as_f64().unwrap_or(0.0),
        );
        listing.push(format!(
            "{name} {:.1}/{:.1} KB {start:.0}–{end:.0} ms",
            sent as f64 / 1024.0,
            decoded as f64 / 1024.0
        ));
    }
    Ok((total, listing))
}
