//! Browser benchmarks: runs the app's `/ring?bench=drag` hook (a drag frame on a 64-node ring)
//! and `/load-balancer?bench=play` hook (a playback frame at 50,000 requests per simulated
//! second), then measures the longest main-thread task while each lab does its heaviest work
//! ([`LONG_TASKS`]: "Run to the end" on the largest preset or link, or adding a node to a large
//! ring), and prints benchmark records.
//!
//! Needs `SYSLAB_DIST` (a release build). Prints a JSON array of
//! `{"name","value","unit","target":"browser"}` records on stdout and nothing else, so
//! `cargo xtask bench` can merge it; progress and errors go to stderr. Arguments, if any, keep
//! only the benchmarks whose record prefix contains one of them (`drag-bench longtask/`).

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
        done({ load: s.load, action: s.action });
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

    let (button, before) = match case.action {
        Action::RunToEnd => (b.find("button[data-testid=run-to-end]")?, String::new()),
        Action::AddNode => (
            b.find("button[data-testid=add-node]")?,
            b.text(&b.find("[data-testid=moved-summary]")?)?,
        ),
    };
    if b.property(&button, "disabled")?.as_bool() == Some(true) {
        return Err(format!("the button on {} is disabled before the action", case.page).into());
    }
    if b.execute(OBSERVE_LONG_TASKS, &[])?.as_bool() != Some(true) {
        return Err("this browser does not report long tasks (PerformanceObserver)".into());
    }
    b.click(&button)?;
    wait_for_end(b, case, &before)?;
    let tasks = b.execute_async(TAKE_LONG_TASKS, &[])?;
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

/// Waits until the action of `case` is over; `before` is the moved-summary text before it.
fn wait_for_end(b: &Browser, case: &LongTask, before: &str) -> Result<()> {
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
                "the moved-summary on {} to report the added node",
                case.page
            ),
            HEAVY_WAIT,
            |b| {
                let text = b.text(&b.find("[data-testid=moved-summary]")?)?;
                let computing = !b.find_all("[data-testid=strategy-computing]")?.is_empty();
                Ok(
                    (text != before && parse_moved_summary(&text).is_some() && !computing)
                        .then_some(()),
                )
            },
        ),
    }
}
