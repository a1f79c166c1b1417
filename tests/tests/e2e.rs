//! End-to-end tests of the built app in headless Chromium, written against web/CONTRACT.md.
//!
//! Each test gets its own browser, one at a time (two Chromiums on two cores only add
//! flakiness). Screenshots go to `$SYSLAB_E2E_OUT` (default target/e2e); a failing test also
//! saves `<test>-failure.png` and reports the browser console. Run through `cargo xtask test`.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};
use syslab_e2e::{Harness, Point, Result, parse_max_window, parse_moved_summary, parse_rl_status};

/// A mounted ring lab that has finished its first render.
const READY_RING: &str = ".lab[data-lab=ring][data-ready=true]";

/// A mounted rate-limiter lab that has finished its first render.
const READY_RL: &str = ".lab[data-lab=rate-limiter][data-ready=true]";

static ONE_BROWSER_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `body` with a fresh server + browser, after any other test's browser has closed.
fn e2e(name: &str, body: impl FnOnce(&Harness) -> Result<()>) -> Result<()> {
    let _turn = ONE_BROWSER_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let harness = Harness::start(name)?;
    harness.run(body)
}

fn ensure(ok: bool, msg: impl FnOnce() -> String) -> Result<()> {
    if ok { Ok(()) } else { Err(msg().into()) }
}

#[test]
fn landing_lists_labs_and_opens_the_ring() -> Result<()> {
    e2e("landing", |h| {
        h.open("/")?;
        let ring_card = h.browser.wait_for(".lab-card[data-lab=ring]")?;
        // Every lab is built: each card is a link to its page.
        for lab in [
            "ring",
            "rate-limiter",
            "cache",
            "load-balancer",
            "resilience",
            "replication",
            "consensus",
        ] {
            let cards = h.browser.find_all(&format!("a.lab-card[data-lab={lab}]"))?;
            let Some(card) = cards.first() else {
                return Err(
                    format!("the landing page has no `a.lab-card[data-lab={lab}]` link").into(),
                );
            };
            let href = h.browser.attr(card, "href")?.unwrap_or_default();
            ensure(href.trim_end_matches('/').ends_with(lab), || {
                format!("the {lab} card links to {href:?}")
            })?;
        }
        h.screenshot("landing.png")?;
        ensure_bundles(h, "the landing page", &["syslab-home_bg.wasm"])?;

        h.browser.click(&ring_card)?;
        h.browser.wait_for(&format!("{READY_RING} svg.ring"))?;
        ensure_bundles(h, "the ring page", &["syslab-ring_bg.wasm"])?;
        let url = h.browser.current_url()?;
        ensure(url.starts_with(&h.url("/ring")), || {
            format!(
                "clicking the ring card led to {url}, expected {}",
                h.url("/ring")
            )
        })
    })
}

#[test]
fn a_story_opens_from_the_landing_page_and_its_steps_are_links() -> Result<()> {
    e2e("story", |h| {
        let b = &h.browser;
        h.open("/")?;
        let link = b.wait_for(".lab-stories a.story-link[data-story=boundary-burst]")?;
        b.click(&link)?;
        b.wait_for(&format!("{READY_RL} [data-testid=story]"))?;
        let count = b.text(&b.find("[data-testid=story-count]")?)?;
        ensure(count == "Step 1 of 3", || {
            format!("the story opened at {count:?}")
        })?;
        // The first step's scenario is what the lab runs: the fixed window alone.
        let url = b.current_url()?;
        ensure(
            url.contains("story=boundary-burst") && url.contains("alg=fixed_window"),
            || format!("the address bar after opening the story: {url}"),
        )?;
        b.click(&b.find("[data-testid=story-next]")?)?;
        b.wait_until("step 2 in the address bar", Duration::from_secs(10), |b| {
            let url = b.current_url()?;
            Ok(
                (url.contains("story=boundary-burst%3A2")
                    || url.contains("story=boundary-burst:2"))
                .then_some(url),
            )
        })?;
        let url = b.current_url()?;
        ensure(url.contains("cmp=sliding_log"), || {
            format!("step 2 should compare the sliding log: {url}")
        })?;
        h.screenshot("story-rate-limiter.png")?;
        // The step's link, reloaded, opens the same step of the same story.
        b.goto(&url)?;
        b.wait_for(&format!("{READY_RL} [data-testid=story]"))?;
        let count = b.text(&b.find("[data-testid=story-count]")?)?;
        ensure(count == "Step 2 of 3", || {
            format!("the reloaded link is at {count:?}")
        })
    })
}

/// The wasm files this page has downloaded, by file name, in load order.
fn wasm_loaded(h: &Harness) -> Result<Vec<String>> {
    let names = h.browser.execute(
        "return performance.getEntriesByType('resource')
           .map((e) => new URL(e.name).pathname.split('/').pop())
           .filter((n) => n.endsWith('.wasm'));",
        &[],
    )?;
    Ok(names
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// Labs load on demand: `page` downloaded exactly the `expected` wasm bundles, and each of its
/// own files (bundles, loader, styles) once: a preload that the loader's own request did not
/// take would fetch one twice. (Chromium may ask for `/favicon.ico` again; that is not ours.)
fn ensure_bundles(h: &Harness, page: &str, expected: &[&str]) -> Result<()> {
    let mut loaded = wasm_loaded(h)?;
    loaded.sort();
    let mut expected: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    expected.sort();
    ensure(loaded == expected, || {
        format!(
            "{page} downloaded the wasm bundles {loaded:?}, expected exactly {expected:?}, \
             each once"
        )
    })?;
    let twice = h.browser.execute(
        "const names = performance.getEntriesByType('resource')
           .map((e) => new URL(e.name).pathname)
           .filter((n) => /\\/syslab-[^/]*$|\\.(wasm|css)$/.test(n));
         return names.filter((n, i) => names.indexOf(n) !== i);",
        &[],
    )?;
    ensure(twice.as_array().is_some_and(Vec::is_empty), || {
        format!("{page} downloaded these files more than once: {twice}")
    })
}

/// The page's own files as a host with precompressed copies serves them: the dist server
/// answers with `X.br` (Chromium accepts brotli on localhost) written by `cargo xtask`, and
/// the lab still starts (the browser decodes the module, the streamed wasm and the CSS).
#[test]
fn pages_are_served_precompressed() -> Result<()> {
    let dist = syslab_e2e::dist_dir()?;
    let files = [
        "index.html",
        "style.css",
        "syslab-loader.js",
        "syslab-ring.js",
        "syslab-ring_bg.wasm",
    ];
    for file in files {
        for suffix in ["gz", "br"] {
            ensure(dist.join(format!("{file}.{suffix}")).is_file(), || {
                format!(
                    "{} has no {file}.{suffix}: `cargo xtask compress` writes the precompressed \
                     copies (`cargo xtask test` and `bench` do after their release build)",
                    dist.display()
                )
            })?;
        }
    }
    e2e("precompressed", |h| {
        h.open("/ring")?;
        h.browser.wait_for(&format!("{READY_RING} svg.ring"))?;
        ensure_bundles(h, "the ring page", &["syslab-ring_bg.wasm"])?;
        let sizes = h.browser.execute(
            "const nav = performance.getEntriesByType('navigation')[0];
             return [nav].concat(performance.getEntriesByType('resource')).map((e) =>
               [new URL(e.name).pathname.split('/').pop() || 'index.html',
                e.encodedBodySize, e.decodedBodySize]);",
            &[],
        )?;
        for file in [
            "ring",
            "style.css",
            "syslab-loader.js",
            "syslab-ring.js",
            "syslab-ring_bg.wasm",
        ] {
            let entry = sizes
                .as_array()
                .and_then(|a| a.iter().find(|e| e[0] == file))
                .ok_or_else(|| format!("the ring page did not load {file}: {sizes}"))?;
            let (encoded, decoded) = (entry[1].as_u64(), entry[2].as_u64());
            ensure(
                matches!((encoded, decoded), (Some(e), Some(d)) if e > 0 && e < d),
                || {
                    format!(
                        "{file} arrived as {encoded:?} bytes for {decoded:?} decoded: not \
                         compressed (all: {sizes})"
                    )
                },
            )?;
        }
        Ok(())
    })
}

/// What a person can read off the ring lab, compared before and after sharing.
fn ring_state(h: &Harness, node: &str) -> Result<Value> {
    h.browser.execute(
        "const q = (s) => document.querySelector(s);
         const handle = q(`.node-handle[data-node=\"${CSS.escape(arguments[0])}\"]`);
         const summary = q('[data-testid=moved-summary]');
         return {
           summary: summary ? summary.innerText.trim() : null,
           valuenow: handle ? handle.getAttribute('aria-valuenow') : null,
           node_keys: Array.from(document.querySelectorAll('[data-testid=node-keys]'))
             .map((e) => e.innerText.trim()),
         };",
        &[json!(node)],
    )
}

#[test]
fn ring_drag_moves_keys_and_share_link_restores_state() -> Result<()> {
    e2e("ring", |h| {
        let b = &h.browser;
        h.open("/ring")?;
        b.wait_for(&format!("{READY_RING} svg.ring"))?;
        let summary = b.wait_for("[data-testid=moved-summary]")?;
        let before = b.text(&summary)?;
        ensure(before.trim() == "No change yet", || {
            format!("moved-summary before any change reads {before:?}, expected \"No change yet\"")
        })?;

        let handle = b.wait_for(".node-handle")?;
        let node = b
            .attr(&handle, "data-node")?
            .ok_or("the first .node-handle has no data-node")?;
        let value_before = b.attr(&handle, "aria-valuenow")?;

        // Where the ring and the handle are on screen: the ring is the unit circle in a
        // viewBox centred on 0,0, so the svg's centre is the ring's centre.
        let geometry = b.execute(
            "const svg = document.querySelector('svg.ring');
             svg.scrollIntoView({ block: 'center', inline: 'center' });
             const s = svg.getBoundingClientRect();
             const dot = arguments[0].querySelector('circle') || arguments[0];
             const d = dot.getBoundingClientRect();
             return [s.x + s.width / 2, s.y + s.height / 2, d.x + d.width / 2, d.y + d.height / 2];",
            &[handle.to_json()],
        )?;
        let num = |idx: usize| geometry[idx].as_f64().unwrap_or(f64::NAN);
        let (cx, cy, hx, hy) = (num(0), num(1), num(2), num(3));
        let radius = (hx - cx).hypot(hy - cy);
        ensure(radius > 10.0, || {
            format!("the handle sits {radius:.1} px from the ring centre; expected it on the ring")
        })?;
        // Press on the handle and sweep 40 degrees along the ring in 5 degree steps.
        let start = (hy - cy).atan2(hx - cx);
        let path: Vec<Point> = (0..=8)
            .map(|k| {
                let angle = start + f64::from(k) * 5f64.to_radians();
                Point {
                    x: cx + radius * angle.cos(),
                    y: cy + radius * angle.sin(),
                }
            })
            .collect();
        b.drag(&path, Duration::from_millis(40))?;

        let moved = b.wait_until(
            "moved-summary to read `N keys moved; ideal M` with N > 0 after the drag",
            Duration::from_secs(10),
            |b| {
                let text = b.text(&b.find("[data-testid=moved-summary]")?)?;
                Ok(parse_moved_summary(&text).filter(|(moved, _)| *moved > 0))
            },
        )?;
        println!("after drag: {} keys moved (ideal {})", moved.0, moved.1);
        let dragged = b.find(&format!(".node-handle[data-node=\"{node}\"]"))?;
        let value_after = b.attr(&dragged, "aria-valuenow")?;
        ensure(value_after != value_before, || {
            format!("node {node}'s aria-valuenow stayed {value_before:?} after the drag")
        })?;
        h.screenshot("ring-after-drag.png")?;

        let state = ring_state(h, &node)?;
        let share = b.wait_until(
            "input[data-testid=share-url] to hold an absolute link",
            Duration::from_secs(5),
            |b| {
                let value = b.property(&b.find("input[data-testid=share-url]")?, "value")?;
                Ok(value
                    .as_str()
                    .filter(|v| v.starts_with("http"))
                    .map(str::to_owned))
            },
        )?;
        println!("share link: {share}");
        // The Share button copies the link (or selects it) and says so; the address bar holds the same link, so
        // copying the address shares the same state too.
        b.click(&b.find("button[data-testid=share]")?)?;
        b.wait_until(
            "the Share button to confirm the copy",
            Duration::from_secs(5),
            |b| {
                // "Copied" when the browser confirms the copy; a headless browser may refuse
                // clipboard access, and then the button asks the user to copy by hand.
                let text = b.text(&b.find("button[data-testid=share]")?)?;
                Ok((text.contains("Copied") || text.contains("Press Ctrl+C")).then_some(()))
            },
        )?;
        let address = b.current_url()?;
        ensure(address == share, || {
            format!("the address bar {address} differs from the share link {share}")
        })?;

        b.goto(&share)?;
        b.wait_for(&format!("{READY_RING} svg.ring"))?;
        let restored = b.wait_until(
            format!("the shared link to restore {state}"),
            Duration::from_secs(10),
            |_| {
                let now = ring_state(h, &node)?;
                Ok((now == state).then_some(now))
            },
        );
        if restored.is_err() {
            let now = ring_state(h, &node)?;
            return Err(format!(
                "opening the share link {share} did not restore the lab:\n  before: {state}\n  \
                 after:  {now}"
            )
            .into());
        }
        h.screenshot("ring-shared.png")?;
        Ok(())
    })
}

#[test]
fn blog_post_embeds_by_iframe_and_script_tag() -> Result<()> {
    e2e("blog", |h| {
        let b = &h.browser;
        h.open("/examples/blog.html")?;

        // The iframe embed: same origin, so WebDriver can step into its document.
        let frame = b.wait_for("iframe.syslab-embed-frame")?;
        b.switch_to_frame(&frame)?;
        b.wait_until(
            "a ready ring lab with svg.ring inside the embed iframe",
            Duration::from_secs(30),
            |b| {
                Ok(b.find_all(&format!("{READY_RING} svg.ring"))?
                    .first()
                    .cloned())
            },
        )?;
        let chrome = b.find_all(".site-header")?;
        b.switch_to_top()?;
        ensure(chrome.is_empty(), || {
            "the embed iframe shows the site header; embeds must have no site chrome".into()
        })?;

        // The script-tag embeds: every div mounts its own lab.
        let mounts = b.wait_until(
            "every div[data-syslab-lab=ring] to contain a ready ring lab with svg.ring",
            Duration::from_secs(30),
            |b| {
                let mounts = b.execute(
                    "return Array.from(document.querySelectorAll('[data-syslab-lab=ring]'))
                       .map((d) => ({
                         labs: d.querySelectorAll('.lab').length,
                         ready: d.querySelectorAll(
                           '.lab[data-lab=ring][data-ready=true] svg.ring').length,
                         handles: d.querySelectorAll('.node-handle').length,
                       }));",
                    &[],
                )?;
                let all_ready = mounts.as_array().is_some_and(|m| {
                    !m.is_empty() && m.iter().all(|d| d["ready"].as_u64() >= Some(1))
                });
                Ok(all_ready.then_some(mounts))
            },
        )?;
        let mounts = mounts.as_array().cloned().unwrap_or_default();
        for (idx, mount) in mounts.iter().enumerate() {
            ensure(mount["labs"] == 1, || {
                format!(
                    "script-tag div #{idx} holds {} labs, expected exactly 1",
                    mount["labs"]
                )
            })?;
        }
        if mounts.len() >= 2 {
            check_mounts_are_independent(h)?;
        }
        // The rate-limiter div gets its own bundle; the page downloads each bundle once.
        b.wait_until(
            "the div[data-syslab-lab=rate-limiter] to contain a ready rate-limiter lab",
            Duration::from_secs(30),
            |b| {
                Ok(
                    b.find_all(&format!("[data-syslab-lab=rate-limiter] {READY_RL}"))?
                        .first()
                        .cloned(),
                )
            },
        )?;
        for (lab, ready) in [
            ("cache", READY_CACHE),
            ("load-balancer", READY_LB),
            ("resilience", READY_RES),
        ] {
            b.wait_until(
                format!("the div[data-syslab-lab={lab}] to contain a ready {lab} lab"),
                Duration::from_secs(30),
                |b| {
                    Ok(b.find_all(&format!("[data-syslab-lab={lab}] {ready}"))?
                        .first()
                        .cloned())
                },
            )?;
        }
        for lab in ["rate-limiter", "cache", "load-balancer", "resilience"] {
            b.execute(
                &format!(
                    "document.querySelector('[data-syslab-lab={lab}]').scrollIntoView(); return null;"
                ),
                &[],
            )?;
            h.screenshot(&format!("blog-{lab}.png"))?;
        }
        ensure_bundles(
            h,
            "the blog post",
            &[
                "syslab-ring_bg.wasm",
                "syslab-rate-limiter_bg.wasm",
                "syslab-cache_bg.wasm",
                "syslab-load-balancer_bg.wasm",
                "syslab-resilience_bg.wasm",
            ],
        )?;
        b.execute("window.scrollTo(0, 0); return null;", &[])?;
        h.screenshot("blog.png")?;
        Ok(())
    })
}

/// Adding a node in the first script-tag lab must not change the second one.
fn check_mounts_are_independent(h: &Harness) -> Result<()> {
    let b = &h.browser;
    let divs = b.find_all("[data-syslab-lab=ring]")?;
    let add = b.find_all_in(&divs[0], "button[data-testid=add-node]")?;
    let Some(add) = add.first() else {
        println!("first script-tag lab has no add-node button; skipping the independence check");
        return Ok(());
    };
    let handles =
        |idx: usize| -> Result<usize> { Ok(b.find_all_in(&divs[idx], ".node-handle")?.len()) };
    let (first, second) = (handles(0)?, handles(1)?);
    b.click(add)?;
    b.wait_until(
        "the first script-tag lab to gain a node after clicking add-node",
        Duration::from_secs(5),
        |_| Ok((handles(0)? > first).then_some(())),
    )?;
    let second_now = handles(1)?;
    ensure(second_now == second, || {
        format!(
            "adding a node in the first script-tag lab changed the second from {second} to \
             {second_now} nodes; the mounts share state"
        )
    })
}

#[test]
fn bad_url_parameters_show_a_notice_and_still_render() -> Result<()> {
    e2e("bad-url", |h| {
        let b = &h.browser;
        h.open("/ring?vnodes=abc&nodes=0")?;
        let notice = b.wait_until(
            "a [data-testid=notice] with text about the bad parameters",
            Duration::from_secs(20),
            |b| {
                for el in b.find_all("[data-testid=notice]")? {
                    let text = b.text(&el)?;
                    if !text.trim().is_empty() {
                        return Ok(Some(text));
                    }
                }
                Ok(None)
            },
        )?;
        println!("notice: {notice}");
        b.wait_for(&format!("{READY_RING} svg.ring"))?;
        h.screenshot("bad-url.png")?;
        Ok(())
    })
}

/// Reads the share link once it holds every string in `must_contain`, opens it, and checks
/// that `read` (what a person can read off the lab) gives what it gave before. Returns the link.
fn reopen_share_link(
    h: &Harness,
    must_contain: &[&str],
    ready: &str,
    read: fn(&Harness) -> Result<Value>,
) -> Result<String> {
    let b = &h.browser;
    let state = read(h)?;
    let share = b.wait_until(
        format!("input[data-testid=share-url] to hold an absolute link with {must_contain:?}"),
        Duration::from_secs(5),
        |b| {
            let value = b.property(&b.find("input[data-testid=share-url]")?, "value")?;
            Ok(value
                .as_str()
                .filter(|v| v.starts_with("http") && must_contain.iter().all(|m| v.contains(m)))
                .map(str::to_owned))
        },
    )?;
    println!("share link: {share}");
    b.goto(&share)?;
    b.wait_for(ready)?;
    let restored = b.wait_until(
        format!("the shared link to restore {state}"),
        Duration::from_secs(10),
        |_| {
            let now = read(h)?;
            Ok((now == state).then_some(now))
        },
    );
    if restored.is_err() {
        let now = read(h)?;
        return Err(format!(
            "opening the share link {share} did not restore the lab:\n  before: {state}\n  \
             after:  {now}"
        )
        .into());
    }
    Ok(share)
}

/// The selectors web/CONTRACT.md promises on every rate-limiter page: the shared lab controls,
/// the run-to-end button, the status line, the table and every parameter's input.
const RL_CONTROLS: &[&str] = &[
    "button[data-testid=play]",
    "button[data-testid=step]",
    "input[data-testid=speed]",
    "input[data-testid=seed]",
    "button[data-testid=reset]",
    "button[data-testid=share]",
    "input[data-testid=share-url]",
    "button[data-testid=run-to-end]",
    "[data-testid=rl-status]",
    "table[data-testid=rl-table]",
    "input[data-testid=rl-limit]",
    "input[data-testid=rl-window]",
    "input[data-testid=rl-burst]",
    "input[data-testid=rl-queue]",
    "input[data-testid=rl-rate]",
    "input[data-testid=rl-peak]",
    "input[data-testid=rl-instances]",
    "input[data-testid=rl-rtt]",
    "select[data-testid=rl-algorithm]",
    "select[data-testid=rl-traffic]",
    "select[data-testid=rl-store]",
    "select[data-testid=rl-key]",
];

/// Fails naming every selector in `selectors` that matches nothing on the page.
fn ensure_present(h: &Harness, page: &str, selectors: &[&str]) -> Result<()> {
    let mut missing = Vec::new();
    for css in selectors {
        if h.browser.find_all(css)?.is_empty() {
            missing.push(*css);
        }
    }
    ensure(missing.is_empty(), || {
        format!(
            "{page} lacks {} of the contract's elements:\n  {}",
            missing.len(),
            missing.join("\n  ")
        )
    })
}

/// What a person can read off the rate-limiter lab: the status line and every table row's
/// text keyed by algorithm, plus each lane's algorithm, in page order.
fn rl_state(h: &Harness) -> Result<Value> {
    h.browser.execute(
        "const status = document.querySelector('[data-testid=rl-status]');
         const rows = document.querySelectorAll('table[data-testid=rl-table] tr[data-algorithm]');
         const lanes = document.querySelectorAll('svg.rl-lane[data-algorithm]');
         return {
           status: status ? status.innerText.trim() : null,
           rows: Array.from(rows).map((r) => [r.dataset.algorithm, r.innerText.trim()]),
           lanes: Array.from(lanes).map((l) => l.dataset.algorithm),
         };",
        &[],
    )
}

/// Each lane's mark paths: per algorithm, the `d` length of `path.mark-allow`, `mark-reject`
/// and `mark-delay` (null when the path is missing).
fn rl_marks(h: &Harness) -> Result<Value> {
    h.browser.execute(
        "const out = {};
         for (const lane of document.querySelectorAll('svg.rl-lane[data-algorithm]')) {
           const len = (cls) => {
             const p = lane.querySelector(`path.${cls}`);
             return p ? (p.getAttribute('d') || '').length : null;
           };
           out[lane.dataset.algorithm] = {
             allow: len('mark-allow'), reject: len('mark-reject'), delay: len('mark-delay'),
           };
         }
         return out;",
        &[],
    )
}

/// The text of the table cell `testid` in algorithm `algorithm`'s row.
fn rl_cell(h: &Harness, algorithm: &str, testid: &str) -> Result<String> {
    let css = format!(
        "table[data-testid=rl-table] tr[data-algorithm={algorithm}] td[data-testid={testid}]"
    );
    let cells = h.browser.find_all(&css)?;
    let cell = cells.first().ok_or_else(|| {
        format!("no `{css}`: the table has no {algorithm} row or no {testid} cell")
    })?;
    Ok(h.browser.text(cell)?.trim().to_owned())
}

/// Waits until the status line says the run is over (`t = D s of D s`) and returns it.
fn wait_for_run_end(h: &Harness, timeout: Duration) -> Result<String> {
    let mut last = None;
    let result = h.browser.wait_until(
        "[data-testid=rl-status] to read `t = D s of D s · …` (the run at its end)",
        timeout,
        |b| {
            let text = b.text(&b.find("[data-testid=rl-status]")?)?;
            let done = parse_rl_status(&text)
                .is_some_and(|(now, duration)| duration > 0.0 && (now - duration).abs() < 1e-6);
            last = Some(text.clone());
            Ok(done.then_some(text))
        },
    );
    result.map_err(|e| match last {
        Some(text) => e.context(format!("the status line last read {text:?}")),
        None => e,
    })
}

#[test]
fn rate_limiter_preset_runs_to_the_end_and_share_link_restores_it() -> Result<()> {
    e2e("rate-limiter", |h| {
        let b = &h.browser;
        // The landing page now links to the lab.
        h.open("/")?;
        b.wait_for(".lab-card[data-lab=ring]")?;
        let card = b.find_all("a.lab-card[data-lab=rate-limiter]")?;
        let Some(card) = card.first() else {
            let other = b.find_all(".lab-card[data-lab=rate-limiter]")?;
            let status = match other.first() {
                Some(el) => format!("{:?}", b.attr(el, "data-status")?),
                None => "no card at all".to_owned(),
            };
            return Err(format!(
                "the landing page has no `a.lab-card[data-lab=rate-limiter]` link (the \
                 rate-limiter card: data-status {status})"
            )
            .into());
        };
        let href = b.attr(card, "href")?.unwrap_or_default();
        ensure(href.trim_end_matches('/').ends_with("rate-limiter"), || {
            format!("the rate-limiter card links to {href:?}, expected the rate-limiter page")
        })?;

        h.open("/rate-limiter?preset=boundary-burst")?;
        b.wait_for(READY_RL)?;
        b.wait_for(&format!("{READY_RL} svg.rl-lane"))?;
        let page = "/rate-limiter?preset=boundary-burst";
        ensure_present(
            h,
            page,
            &[
                "button[data-testid=preset][data-preset=boundary-burst]",
                "svg.rl-lane[data-algorithm=fixed_window]",
                "svg.rl-lane[data-algorithm=sliding_log]",
                "table[data-testid=rl-table] tr[data-algorithm=fixed_window]",
                "table[data-testid=rl-table] tr[data-algorithm=sliding_log]",
            ],
        )?;
        ensure_present(h, page, RL_CONTROLS)?;

        let run_to_end = b.find("button[data-testid=run-to-end]")?;
        b.click(&run_to_end)?;
        let status = wait_for_run_end(h, Duration::from_secs(20))?;
        println!("status after run-to-end: {status}");

        // One lane per table row, each with its three mark layers.
        let state = rl_state(h)?;
        let algorithms = |key: &str| -> Vec<String> {
            let list = state[key].as_array().cloned().unwrap_or_default();
            let mut ids: Vec<String> = list
                .iter()
                .map(|v| {
                    let id = if key == "rows" { &v[0] } else { v };
                    id.as_str().unwrap_or_default().to_owned()
                })
                .collect();
            ids.sort();
            ids
        };
        ensure(algorithms("lanes") == algorithms("rows"), || {
            format!(
                "the lanes (svg.rl-lane) show {:?} but the table rows are {:?}; expected one \
                 lane per compared algorithm",
                algorithms("lanes"),
                algorithms("rows")
            )
        })?;
        let marks = rl_marks(h)?;
        for (algorithm, layers) in marks.as_object().cloned().unwrap_or_default() {
            for layer in ["allow", "reject", "delay"] {
                ensure(!layers[layer].is_null(), || {
                    format!("svg.rl-lane[data-algorithm={algorithm}] has no path.mark-{layer}")
                })?;
            }
        }
        // The lanes show only the last few windows, so at the end the spike may be out of
        // view; the background traffic still leaves admitted marks.
        let fixed = &marks["fixed_window"];
        ensure(fixed["allow"].as_u64() > Some(0), || {
            format!("after the run, the fixed_window lane has no allowed marks: {fixed}")
        })?;
        h.screenshot("rate-limiter-preset.png")?;

        // The story of the preset: the fixed window lets twice the limit through in one
        // window's length, the sliding log never more than the limit.
        let limit_input = b.find("input[data-testid=rl-limit]")?;
        let limit_text = b.property(&limit_input, "value")?;
        let limit: u64 = limit_text
            .as_str()
            .and_then(|v| v.trim().replace(',', "").parse().ok())
            .ok_or_else(|| {
                format!("input[data-testid=rl-limit] holds {limit_text}, expected a whole number")
            })?;
        let fixed_cell = rl_cell(h, "fixed_window", "rl-max-window")?;
        let (count, ratio) = parse_max_window(&fixed_cell).ok_or_else(|| {
            format!("the fixed_window rl-max-window cell reads {fixed_cell:?}, expected `N (R×)`")
        })?;
        ensure(count == 2 * limit && ratio == 2.0, || {
            format!(
                "the fixed_window row's most-in-a-window cell reads {fixed_cell:?}; with a limit \
                 of {limit} the boundary burst should show {} (2×)",
                2 * limit
            )
        })?;
        let log_cell = rl_cell(h, "sliding_log", "rl-max-window")?;
        let (log_count, _) = parse_max_window(&log_cell).ok_or_else(|| {
            format!("the sliding_log rl-max-window cell reads {log_cell:?}, expected `N (R×)`")
        })?;
        ensure(log_count <= limit, || {
            format!(
                "the sliding log's most-in-a-window cell reads {log_cell:?}, over the limit {limit}"
            )
        })?;
        let admitted = rl_cell(h, "fixed_window", "rl-admitted")?;
        println!("fixed window: max in a window {fixed_cell}, admitted {admitted}");

        // The share link reopens the finished run: same status, same table.
        reopen_share_link(h, &["step="], &format!("{READY_RL} svg.rl-lane"), rl_state)?;
        h.screenshot("rate-limiter-shared.png")?;
        Ok(())
    })
}

#[test]
fn rate_limiter_bad_url_parameters_show_notices_and_still_render() -> Result<()> {
    e2e("rate-limiter-bad-url", |h| {
        let b = &h.browser;
        h.open("/rate-limiter?limit=abc&window=0")?;
        let notices = b.wait_until(
            "visible [data-testid=notice] elements about the bad parameters",
            Duration::from_secs(20),
            |b| {
                let texts = b.execute(
                    "return Array.from(document.querySelectorAll('[data-testid=notice]'))
                       .filter((e) => e.getClientRects().length > 0)
                       .map((e) => e.innerText.trim())
                       .filter((t) => t.length > 0);",
                    &[],
                )?;
                let texts: Vec<String> = texts
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                Ok((!texts.is_empty()).then_some(texts))
            },
        )?;
        println!("notices: {notices:?}");
        let all = notices.join("\n");
        for (param, needle) in [("limit", "abc"), ("window", "window")] {
            ensure(all.contains(needle), || {
                format!(
                    "no notice mentions the bad `{param}` parameter ({needle:?}); notices: {notices:?}"
                )
            })?;
        }
        // The lab still runs on the defaults: lanes with their marks, and no error.
        b.wait_for(&format!("{READY_RL} svg.rl-lane"))?;
        let marks = rl_marks(h)?;
        ensure(
            marks.as_object().is_some_and(|lanes| {
                !lanes.is_empty() && lanes.values().all(|l| !l["allow"].is_null())
            }),
            || format!("the lanes did not render their mark paths after bad parameters: {marks}"),
        )?;
        let errors = b.execute(
            "return Array.from(document.querySelectorAll('[data-testid=error]'))
               .filter((e) => e.getClientRects().length > 0).map((e) => e.innerText.trim());",
            &[],
        )?;
        ensure(errors.as_array().is_none_or(Vec::is_empty), || {
            format!(
                "bad URL parameters should only give notices, but the page shows errors: {errors}"
            )
        })?;
        h.screenshot("rate-limiter-bad-url.png")?;
        Ok(())
    })
}

/// Clicks "Run to the end" and waits until the run is over (the button disables itself).
fn run_to_end(h: &Harness) -> Result<()> {
    let b = &h.browser;
    b.click(&b.find("button[data-testid=run-to-end]")?)?;
    b.wait_until(
        "the run to end (the run-to-end button disabled)",
        Duration::from_secs(30),
        |b| {
            let button = b.find("button[data-testid=run-to-end]")?;
            Ok(b.property(&button, "disabled")?.as_bool().filter(|d| *d))
        },
    )?;
    Ok(())
}

/// A mounted load-balancer lab that has finished its first render.
const READY_LB: &str = ".lab[data-lab=load-balancer][data-ready=true]";

/// What a person can read off the load-balancer lab: the status line, every table row and every
/// server's state.
fn lb_state(h: &Harness) -> Result<Value> {
    h.browser.execute(
        "const status = document.querySelector('[data-testid=lb-status]');
         const rows = document.querySelectorAll('table[data-testid=lb-table] tr[data-algorithm]');
         const servers = document.querySelectorAll('[data-testid=lb-server]');
         return {
           status: status ? status.textContent.trim() : null,
           rows: Array.from(rows).map((r) => [r.dataset.algorithm, r.innerText.trim()]),
           servers: Array.from(servers).map((s) => s.dataset.state),
         };",
        &[],
    )
}

#[test]
fn load_balancer_preset_click_a_server_down_and_share_link_restores_it() -> Result<()> {
    e2e("load-balancer", |h| {
        let b = &h.browser;
        h.open("/load-balancer?preset=uneven-costs")?;
        b.wait_for(&format!("{READY_LB} svg.lb-diagram"))?;
        ensure_bundles(
            h,
            "the load-balancer page",
            &["syslab-load-balancer_bg.wasm"],
        )?;
        ensure_present(
            h,
            "/load-balancer?preset=uneven-costs",
            &[
                "button[data-testid=preset][data-preset=server-dies]",
                "select[data-testid=lb-algorithm]",
                "input[data-testid=lb-rate]",
                "input[data-testid=lb-servers]",
                "svg[data-testid=lb-chart]",
                "table[data-testid=lb-table] tr[data-algorithm=round_robin]",
                "table[data-testid=lb-table] tr[data-algorithm=least_connections]",
            ],
        )?;

        // A few ticks in, click the third server: it goes down (a real click on the SVG).
        for _ in 0..40 {
            b.click(&b.find("button[data-testid=step]")?)?;
        }
        let server = b.find("[data-testid=lb-server][data-server=\"2\"]")?;
        b.click(&server)?;
        b.wait_until(
            "server 3 to be drawn down after clicking it",
            Duration::from_secs(5),
            |b| {
                let el = b.find("[data-testid=lb-server][data-server=\"2\"]")?;
                Ok((b.attr(&el, "data-state")?.as_deref() == Some("down")).then_some(()))
            },
        )?;

        h.screenshot("load-balancer-live.png")?;

        run_to_end(h)?;
        h.screenshot("load-balancer-preset.png")?;

        // The share link carries the click and the steps: it reopens the same finished run.
        reopen_share_link(
            h,
            &["ev=", "step="],
            &format!("{READY_LB} svg.lb-diagram"),
            lb_state,
        )?;
        Ok(())
    })
}

/// A mounted resilience lab that has finished its first render.
const READY_RES: &str = ".lab[data-lab=resilience][data-ready=true]";

/// What a person can read off the resilience lab: the status line, the verdict, every table
/// row and every tier's state.
fn res_state(h: &Harness) -> Result<Value> {
    h.browser.execute(
        "const status = document.querySelector('[data-testid=res-status]');
         const verdict = document.querySelector('[data-testid=res-verdict]');
         const rows = document.querySelectorAll('table[data-testid=res-table] tr[data-run]');
         const tiers = document.querySelectorAll('[data-testid=res-tier]');
         return {
           status: status ? status.textContent.trim() : null,
           verdict: verdict ? verdict.textContent.trim() : null,
           rows: Array.from(rows).map((r) => [r.dataset.run, r.innerText.trim()]),
           tiers: Array.from(tiers).map((t) => [t.dataset.tier, t.dataset.state]),
         };",
        &[],
    )
}

/// The state of tier `tier` ("ok", "slow", "errors", "down").
fn res_tier(h: &Harness, tier: &str) -> Result<String> {
    let b = &h.browser;
    let el = b.find(&format!("[data-testid=res-tier][data-tier={tier}]"))?;
    Ok(b.attr(&el, "data-state")?.unwrap_or_default())
}

#[test]
fn resilience_preset_click_a_tier_down_and_share_link_restores_it() -> Result<()> {
    e2e("resilience", |h| {
        let b = &h.browser;
        h.open("/resilience?preset=breaker")?;
        b.wait_for(&format!("{READY_RES} svg.res-chain"))?;
        ensure_bundles(h, "the resilience page", &["syslab-resilience_bg.wasm"])?;
        ensure_present(
            h,
            "/resilience?preset=breaker",
            &[
                "button[data-testid=preset][data-preset=retry-storm]",
                "button[data-testid=run-to-end]",
                "[data-testid=res-status]",
                "select[data-testid=res-click]",
                "select[data-testid=res-breaker-at]",
                "input[data-testid=res-retries-a]",
                "input[data-testid=res-faults]",
                "[data-testid=res-breaker][data-state=closed]",
                "svg[data-testid=res-goodput]",
                "svg[data-testid=res-attempts]",
                "svg[data-testid=res-latency]",
                "table[data-testid=res-table] tr[data-run=Shown]",
            ],
        )?;

        // A few steps in, choose "takes it down" and click tier A (a real click on the SVG).
        for _ in 0..8 {
            b.click(&b.find("button[data-testid=step]")?)?;
        }
        let select = b.find("select[data-testid=res-click]")?;
        b.click(&select)?;
        b.click(&b.find("select[data-testid=res-click] option[value=down]")?)?;
        b.click(&b.find("[data-testid=res-tier][data-tier=A]")?)?;
        b.wait_until(
            "tier A to be drawn down after clicking it",
            Duration::from_secs(5),
            |_| Ok((res_tier(h, "A")? == "down").then_some(())),
        )?;
        h.screenshot("resilience-live.png")?;

        run_to_end(h)?;
        // The preset's errors at B open the breaker; A's fault from the click is in the run.
        let state = res_state(h)?;
        let shown = state["rows"][0][1].as_str().unwrap_or_default().to_owned();
        ensure(shown.contains('×'), || {
            format!("the shown row has no amplification: {state}")
        })?;
        h.screenshot("resilience-preset.png")?;

        // The share link carries the click and the steps: it reopens the same finished run.
        reopen_share_link(
            h,
            &["fault=a:down:2000:10000", "step="],
            &format!("{READY_RES} svg.res-chain"),
            res_state,
        )?;
        Ok(())
    })
}

#[test]
fn resilience_bad_url_parameters_show_notices_and_still_render() -> Result<()> {
    e2e("resilience-bad-url", |h| {
        let b = &h.browser;
        h.open("/resilience?ra=99&fault=b:down:999999:1000&rb=2")?;
        b.wait_for(&format!("{READY_RES} svg.res-chain"))?;
        let notices = b.wait_until("notices about ra and fault", Duration::from_secs(10), |b| {
            let text = b
                .find_all("[data-testid=notice]")?
                .iter()
                .map(|el| b.text(el))
                .collect::<Result<Vec<_>>>()?
                .join("\n");
            Ok((text.contains("ra") && text.contains("outside the run")).then_some(text))
        })?;
        println!("notices: {notices}");
        // The good parameter is kept.
        let share = b.property(&b.find("input[data-testid=share-url]")?, "value")?;
        ensure(
            share
                .as_str()
                .is_some_and(|s| s.contains("rb=2") && !s.contains("ra=")),
            || format!("the share link should keep rb=2 and drop ra: {share}"),
        )?;
        h.screenshot("resilience-bad-url.png")?;
        Ok(())
    })
}

/// A mounted cache lab that has finished its first render.
const READY_CACHE: &str = ".lab[data-lab=cache][data-ready=true]";

/// What a person can read off the cache lab: the status line and every table row.
fn cache_state(h: &Harness) -> Result<Value> {
    h.browser.execute(
        "const status = document.querySelector('[data-testid=cache-status]');
         const rows = document.querySelectorAll('table[data-testid=cache-table] tr[data-policy]');
         return {
           status: status ? status.textContent.trim() : null,
           rows: Array.from(rows).map((r) => [r.dataset.policy, r.innerText.trim()]),
         };",
        &[],
    )
}

/// Waits until the miss-ratio curves are complete (no "computing…" left).
fn wait_for_mrc(h: &Harness) -> Result<()> {
    h.browser.wait_until(
        "the miss-ratio curves to finish computing",
        Duration::from_secs(60),
        |b| {
            Ok(b.find_all("[data-testid=mrc-computing]")?
                .is_empty()
                .then_some(()))
        },
    )
}

#[test]
fn cache_preset_runs_and_share_link_restores_it_and_a_trace_file_imports() -> Result<()> {
    e2e("cache", |h| {
        let b = &h.browser;
        h.open("/cache?preset=scan-pollution")?;
        b.wait_for(&format!("{READY_CACHE} svg.cache-strip"))?;
        ensure_bundles(h, "the cache page", &["syslab-cache_bg.wasm"])?;
        ensure_present(
            h,
            "/cache?preset=scan-pollution",
            &[
                "button[data-testid=preset][data-preset=write-back-crash]",
                "select[data-testid=cache-policy]",
                "input[data-testid=cache-size]",
                "input[data-testid=cache-skew]",
                "select[data-testid=cache-write]",
                "button[data-testid=crash-cache]",
                "button[data-testid=db-down]",
                "svg[data-testid=cache-mrc]",
                "table[data-testid=cache-table] tr[data-policy=lru]",
                "input[data-testid=trace-file]",
            ],
        )?;
        for _ in 0..30 {
            b.click(&b.find("button[data-testid=step]")?)?;
        }
        wait_for_mrc(h)?;
        h.screenshot("cache-live.png")?;

        run_to_end(h)?;
        reopen_share_link(
            h,
            &["step="],
            &format!("{READY_CACHE} svg.cache-strip"),
            cache_state,
        )?;

        // A trace file through the real file picker: 200,000 lines, one malformed (line 1,000),
        // skipped and reported by number.
        let path = syslab_e2e::out_dir().join("trace-200k.csv");
        let mut text = String::from("key,op\n");
        for i in 0..200_000u64 {
            if i == 998 {
                text.push_str("bad,line,with,too,many,fields\n");
            } else {
                text.push_str(&format!(
                    "item-{},{}\n",
                    (i * 7919) % 20_000,
                    if i % 5 == 0 { "set" } else { "get" }
                ));
            }
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let input = b.find("input[data-testid=trace-file]")?;
        b.send_keys(&input, &path.display().to_string())?;
        let current = b.wait_until(
            "the imported trace to replace the workload ([data-testid=trace-current])",
            Duration::from_secs(60),
            |b| {
                let found = b.find_all("[data-testid=trace-current]")?;
                match found.first() {
                    Some(el) => Ok(Some(b.text(el)?)),
                    None => Ok(None),
                }
            },
        )?;
        ensure(current.contains("199,999 requests"), || {
            format!(
                "after importing trace-200k.csv the lab says {current:?}, expected 199,999 requests"
            )
        })?;
        let report = b.text(&b.find("[data-testid=trace-report]")?)?;
        ensure(
            report.contains("line 1,000") || report.contains("line 1000"),
            || format!("the malformed line 1,000 is not reported: {report:?}"),
        )?;
        wait_for_mrc(h)?;
        b.execute(
            "document.querySelector('.cache-charts').scrollIntoView(); return null;",
            &[],
        )?;
        h.screenshot("cache-trace.png")?;
        Ok(())
    })
}

/// A mounted replication lab that has finished its first render.
const READY_REPL: &str = ".lab[data-lab=replication][data-ready=true]";

/// What a person can read off the replication lab: the status line, every row of the
/// accounting table, every link's state and the staleness note.
fn repl_state(h: &Harness) -> Result<Value> {
    h.browser.execute(
        "const status = document.querySelector('[data-testid=repl-status]');
         const note = document.querySelector('[data-testid=repl-staleness-note]');
         const rows = document.querySelectorAll('table[data-testid=repl-table] tr');
         const links = document.querySelectorAll('[data-testid=repl-link]');
         return {
           status: status ? status.textContent.trim() : null,
           note: note ? note.textContent.trim() : null,
           rows: Array.from(rows).map((r) => r.innerText.trim()),
           links: Array.from(links).map((l) => [l.dataset.link, l.dataset.state]),
         };",
        &[],
    )
}

/// The value of the accounting table's first row labelled `label`.
fn repl_row(h: &Harness, label: &str) -> Result<String> {
    let value = h.browser.execute(
        "const rows = document.querySelectorAll('table[data-testid=repl-table] tr');
         const row = Array.from(rows).find((r) => r.querySelector('th').textContent === arguments[0]);
         return row ? row.querySelector('td').textContent : null;",
        &[json!(label)],
    )?;
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("the replication table has no row {label:?}").into())
}

#[test]
fn replication_preset_cut_a_link_by_clicking_and_share_link_restores_it() -> Result<()> {
    e2e("replication", |h| {
        let b = &h.browser;
        h.open("/replication?preset=strict-quorum&probes=2000")?;
        b.wait_for(&format!("{READY_REPL} svg.repl-diagram"))?;
        ensure_bundles(h, "the replication page", &["syslab-replication_bg.wasm"])?;
        ensure_present(
            h,
            "/replication?preset=strict-quorum",
            &[
                "button[data-testid=preset][data-preset=partition-ap]",
                "button[data-testid=run-to-end]",
                "input[data-testid=repl-n]",
                "input[data-testid=repl-r]",
                "input[data-testid=repl-w]",
                "select[data-testid=repl-lat]",
                "select[data-testid=repl-policy]",
                "svg[data-testid=repl-chart]",
                "table[data-testid=repl-table]",
                "[data-testid=repl-link][data-link=\"1-2\"][data-state=open]",
            ],
        )?;
        let status = b.text(&b.find("[data-testid=repl-status]")?)?;
        ensure(status.contains("N=3 R=2 W=2"), || {
            format!("the strict-quorum preset shows {status:?}")
        })?;

        // A second in, click the link between replicas 1 and 2 (a real click on the SVG).
        for _ in 0..100 {
            b.click(&b.find("button[data-testid=step]")?)?;
        }
        let link = b.find("[data-testid=repl-link][data-link=\"1-2\"]")?;
        b.click(&link)?;
        b.wait_until(
            "the link 1-2 to be drawn cut after clicking it",
            Duration::from_secs(5),
            |b| {
                let el = b.find("[data-testid=repl-link][data-link=\"1-2\"]")?;
                Ok((b.attr(&el, "data-state")?.as_deref() == Some("cut")).then_some(()))
            },
        )?;
        h.screenshot("replication-live.png")?;

        run_to_end(h)?;
        h.screenshot("replication-preset.png")?;
        // Messages on the cut link are lost (the preset has no random loss), and majority
        // quorums still never return a stale read.
        let lost = repl_row(h, "lost to cuts and loss")?;
        ensure(!lost.starts_with("0 ") && lost != "0", || {
            format!("nothing was lost on the cut link: {lost:?}")
        })?;
        let stale = repl_row(h, "stale")?;
        ensure(stale.starts_with("0 "), || {
            format!("R + W > N read stale data: {stale:?}")
        })?;

        // The share link carries the cut and the steps: it reopens the same finished run.
        reopen_share_link(
            h,
            &["cut=1-2@", "step="],
            &format!("{READY_REPL} svg.repl-diagram"),
            repl_state,
        )?;
        Ok(())
    })
}

/// A mounted consensus lab that has finished its first render.
const READY_RAFT: &str = ".lab[data-lab=consensus][data-ready=true]";

/// What a person can read off the consensus lab: the status line, the safety banner, every
/// server's role, status and term, every link's state and the statistics.
fn raft_state(h: &Harness) -> Result<Value> {
    h.browser.execute(
        "const status = document.querySelector('[data-testid=raft-status]');
         const safety = document.querySelector('[data-testid=raft-safety]');
         const nodes = document.querySelectorAll('[data-testid=raft-node]');
         const links = document.querySelectorAll('[data-testid=raft-link]');
         const rows = document.querySelectorAll('table[data-testid=raft-stats] tr');
         return {
           status: status ? status.textContent.trim() : null,
           safety: safety ? safety.dataset.ok : null,
           nodes: Array.from(nodes).map((n) => [n.dataset.node, n.dataset.role, n.dataset.status, n.dataset.term]),
           links: Array.from(links).map((l) => [l.dataset.link, l.dataset.state]),
           rows: Array.from(rows).map((r) => r.innerText.trim()),
         };",
        &[],
    )
}

#[test]
fn consensus_crash_the_leader_by_clicking_and_share_link_restores_it() -> Result<()> {
    e2e("consensus", |h| {
        let b = &h.browser;
        h.open("/consensus?dur=3000&step=500")?;
        b.wait_for(&format!("{READY_RAFT} svg.raft-circle"))?;
        ensure_bundles(h, "the consensus page", &["syslab-consensus_bg.wasm"])?;
        ensure_present(
            h,
            "/consensus",
            &[
                "button[data-testid=preset][data-preset=figure-8]",
                "button[data-testid=run-to-end]",
                "input[data-testid=raft-n]",
                "input[data-testid=raft-emin]",
                "input[data-testid=raft-prevote]",
                "table[data-testid=raft-stats]",
                "[data-testid=raft-safety][data-ok=true]",
                "[data-testid=raft-link][data-link=\"1-2\"][data-state=ok]",
            ],
        )?;
        // A second in (500 steps of 2 ms) a leader leads; click it (a real click on the SVG).
        let leader = b.find("[data-testid=raft-node][data-role=leader]")?;
        let name = b.attr(&leader, "data-node")?.unwrap_or_default();
        b.click(&leader)?;
        b.wait_until(
            "the leader to be drawn crashed after clicking it",
            Duration::from_secs(5),
            |b| {
                let el = b.find(&format!("[data-testid=raft-node][data-node={name}]"))?;
                Ok((b.attr(&el, "data-status")?.as_deref() == Some("crashed")).then_some(()))
            },
        )?;
        h.screenshot("consensus-live.png")?;
        run_to_end(h)?;
        let leaders = b.find_all("[data-testid=raft-node][data-role=leader]")?;
        ensure(leaders.len() == 1, || {
            format!("{} leaders after the crash", leaders.len())
        })?;
        let new = b.attr(&leaders[0], "data-node")?.unwrap_or_default();
        ensure(new != name, || format!("{name} still leads after crashing"))?;
        h.screenshot("consensus-preset.png")?;
        // The share link carries the crash and the steps: it reopens the same finished run.
        reopen_share_link(
            h,
            &["fault=1000", "step="],
            &format!("{READY_RAFT} svg.raft-circle"),
            raft_state,
        )?;
        Ok(())
    })
}
