//! Accessibility and layout of every page in real Chromium: axe-core on every lab page, the
//! landing page and every iframe embed, in light and in dark mode, must find no violation;
//! every lab is photographed at 1400 px and 390 px wide (into `$SYSLAB_E2E_OUT`, default
//! target/e2e), and at both widths its comparison tables fit their panel.
//!
//! axe-core comes from npm through `cargo xtask setup`, which passes its path as `SYSLAB_AXE`.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};
use syslab_e2e::{Harness, Result};

static ONE_BROWSER_AT_A_TIME: Mutex<()> = Mutex::new(());

fn e2e(name: &str, body: impl FnOnce(&Harness) -> Result<()>) -> Result<()> {
    let _turn = ONE_BROWSER_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Harness::start(name)?.run(body)
}

/// Every page a reader can open, each with what shows it is drawn.
const PAGES: &[(&str, &str)] = &[
    ("/", ".lab-card[data-lab=ring]"),
    ("/ring", ".lab[data-ready=true]"),
    (
        "/rate-limiter?preset=boundary-burst",
        ".lab[data-ready=true]",
    ),
    ("/cache?preset=scan-pollution", ".lab[data-ready=true]"),
    (
        "/load-balancer?preset=uneven-costs&step=40",
        ".lab[data-ready=true]",
    ),
    (
        "/replication?preset=partition-ap&step=400",
        ".lab[data-ready=true]",
    ),
    ("/embed.html?lab=ring", ".lab[data-ready=true]"),
    (
        "/embed.html?lab=rate-limiter&preset=boundary-burst",
        ".lab[data-ready=true]",
    ),
    (
        "/embed.html?lab=cache&preset=scan-pollution",
        ".lab[data-ready=true]",
    ),
    (
        "/embed.html?lab=load-balancer&step=40",
        ".lab[data-ready=true]",
    ),
    (
        "/resilience?preset=breaker&step=60",
        ".lab[data-ready=true]",
    ),
    (
        "/embed.html?lab=resilience&preset=retry-storm&step=60",
        ".lab[data-ready=true]",
    ),
    (
        "/embed.html?lab=replication&preset=partition-cp&step=400",
        ".lab[data-ready=true]",
    ),
    (
        "/consensus?preset=minority&step=1500",
        ".lab[data-ready=true]",
    ),
    (
        "/embed.html?lab=consensus&preset=figure-8&step=500",
        ".lab[data-ready=true]",
    ),
];

/// The labs photographed, as `(file stem, page)`.
const LABS: &[(&str, &str)] = &[
    ("ring", "/ring?nodes=8&ev=add~I~1"),
    ("rate-limiter", "/rate-limiter?preset=boundary-burst"),
    ("cache", "/cache?preset=scan-pollution&step=60"),
    (
        "load-balancer",
        "/load-balancer?preset=uneven-costs&step=60&cmp=1",
    ),
    ("resilience", "/resilience?preset=retry-storm&step=60&cmp=1"),
    ("replication", "/replication?preset=partition-ap&step=500"),
    ("consensus", "/consensus?preset=minority&step=1500"),
];

fn axe_source() -> Result<String> {
    let path = std::env::var_os("SYSLAB_AXE").map(PathBuf::from).ok_or(
        "SYSLAB_AXE is not set: run through `cargo xtask test`, whose setup installs axe-core \
         from npm and sets it",
    )?;
    std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read axe-core at {}: {e}", path.display()).into())
}

/// Emulates the reader's colour scheme and the viewport for the next pages.
fn emulate(h: &Harness, scheme: &str, width: u32, height: u32) -> Result<()> {
    h.browser.cdp(
        "Emulation.setEmulatedMedia",
        json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
    )?;
    h.browser.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
    )?;
    Ok(())
}

/// Runs axe-core on the open page; returns one line per violation and element.
fn audit(h: &Harness, axe: &str) -> Result<Vec<String>> {
    h.browser.execute(&format!("{axe}\n;return true;"), &[])?;
    let found = h.browser.execute_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { resultTypes: ['violations'] }).then(
           (r) => done(r.violations.flatMap((v) => v.nodes.map((n) =>
             `${v.id} (${v.impact}): ${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 200)}`))),
           (e) => done([`axe failed: ${e}`]));",
        &[],
    )?;
    Ok(found
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default())
}

#[test]
fn axe_finds_no_violation_on_any_page_light_or_dark() -> Result<()> {
    let axe = axe_source()?;
    e2e("axe", |h| {
        let mut all = Vec::new();
        for scheme in ["light", "dark"] {
            emulate(h, scheme, 1400, 1000)?;
            for (page, ready) in PAGES {
                h.open(page)?;
                h.browser.wait_for(ready)?;
                // Let a frame or two pass so lazily drawn parts are in.
                std::thread::sleep(Duration::from_millis(300));
                for line in audit(h, &axe)? {
                    all.push(format!("{page} [{scheme}] {line}"));
                }
            }
        }
        if all.is_empty() {
            Ok(())
        } else {
            Err(format!("{} axe-core violations:\n{}", all.len(), all.join("\n")).into())
        }
    })
}

#[test]
fn every_lab_at_1400_and_390_px_fits_and_is_photographed() -> Result<()> {
    e2e("widths", |h| {
        let mut problems = Vec::new();
        for (width, height) in [(1400, 1000), (390, 844)] {
            emulate(h, "light", width, height)?;
            for (stem, page) in LABS {
                h.open(page)?;
                h.browser.wait_for(".lab[data-ready=true]")?;
                std::thread::sleep(Duration::from_millis(500));
                h.screenshot(&format!("{stem}-{width}.png"))?;
                // Every comparison table fits its panel: nothing wider than its container.
                let wide = h.browser.execute(
                    "return Array.from(document.querySelectorAll('.lab table')).filter((t) =>
                       t.getBoundingClientRect().width > t.parentElement.clientWidth + 1
                       || t.scrollWidth > t.clientWidth + 1).map((t) =>
                       `${t.getAttribute('data-testid') || t.className}: ${Math.round(t.getBoundingClientRect().width)} px in ${t.parentElement.clientWidth} px`);",
                    &[],
                )?;
                for w in wide.as_array().into_iter().flatten() {
                    problems.push(format!(
                        "{page} at {width} px: {}",
                        w.as_str().unwrap_or("?")
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("tables wider than their panel:\n{}", problems.join("\n")).into())
        }
    })
}
