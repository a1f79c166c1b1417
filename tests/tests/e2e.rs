//! End-to-end tests of the built app in headless Chromium, written against web/CONTRACT.md.
//!
//! Each test gets its own browser, one at a time (two Chromiums on two cores only add
//! flakiness). Screenshots go to `$SYSLAB_E2E_OUT` (default target/e2e); a failing test also
//! saves `<test>-failure.png` and reports the browser console. Run through `cargo xtask test`.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};
use syslab_e2e::{Harness, Point, Result, parse_moved_summary};

/// A mounted ring lab that has finished its first render.
const READY_RING: &str = ".lab[data-lab=ring][data-ready=true]";

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
        let coming = h.browser.find_all(".lab-card[data-status=coming]")?;
        ensure(!coming.is_empty(), || {
            "the landing page has no `.lab-card[data-status=coming]` card for labs not built yet"
                .into()
        })?;
        h.screenshot("landing.png")?;

        h.browser.click(&ring_card)?;
        h.browser.wait_for(&format!("{READY_RING} svg.ring"))?;
        let url = h.browser.current_url()?;
        ensure(url.starts_with(&h.url("/ring")), || {
            format!(
                "clicking the ring card led to {url}, expected {}",
                h.url("/ring")
            )
        })
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
        // The Share button copies the link and says so; the address bar holds the same link, so
        // copying the address shares the same state too.
        b.click(&b.find("button[data-testid=share]")?)?;
        b.wait_until(
            "the Share button to confirm the copy",
            Duration::from_secs(5),
            |b| {
                let text = b.text(&b.find("button[data-testid=share]")?)?;
                Ok(text.contains("Copied").then_some(()))
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
