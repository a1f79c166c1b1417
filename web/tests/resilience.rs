//! Browser tests of the resilience lab: its state from the link and into the share link, a
//! preset run to the end, clicking a tier to start and end a fault, bad input explained with
//! the state kept, and the cache turned on with its fixes compared, checked on what a person
//! sees.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn tier_state(root: &Element, tier: &str) -> String {
    root.query_selector(&format!("[data-testid=res-tier][data-tier={tier}]"))
        .unwrap()
        .expect("the tier")
        .get_attribute("data-state")
        .unwrap_or_default()
}

/// Clicks tier `tier` (an SVG `<g>`, so through a dispatched click event).
async fn click_tier(root: &Element, tier: &str) {
    let el = find(root, &format!("[data-testid=res-tier][data-tier={tier}]")).await;
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    el.dispatch_event(&event).unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn state_comes_from_parameters_and_goes_into_the_share_link() {
    let root = mount_lab(
        "resilience",
        &[
            ("depth", "3"),
            ("ra", "2"),
            ("brk", "b"),
            ("fault", "c:err0.5:1000:2000"),
            ("rb", "x"),
            ("step", "8"),
        ],
    );
    find(&root, ".lab[data-lab=resilience][data-ready=true]").await;
    assert_eq!(count(&root, "[data-testid=res-tier]"), 3);
    // 8 steps of 250 ms: 2 s, inside C's fault window.
    assert_eq!(tier_state(&root, "C"), "errors");
    assert!(text(&root, "[data-testid=res-fault]").contains("% errors"));
    assert_eq!(
        count(&root, "[data-testid=res-breaker]"),
        1,
        "one breaker, on A → B"
    );
    assert!(
        text(&root, ".notices").contains("rb"),
        "the bad retries into B are reported"
    );
    // The fault window is shaded on every chart.
    assert!(count(&root, ".chart-note") >= 3, "one per chart");
    let url = share_url(&root).await;
    assert!(url.starts_with("http://example.test/resilience?"), "{url}");
    for part in [
        "depth=3",
        "ra=2",
        "brk=b",
        "fault=c:err0.5:1000:2000",
        "step=8",
    ] {
        assert!(url.contains(part), "{part} in {url}");
    }
    assert!(
        !url.contains("rb="),
        "the bad value fell back to the default: {url}"
    );
}

#[wasm_bindgen_test]
async fn retry_storm_preset_amplifies_and_does_not_recover() {
    let root = mount_lab("resilience", &[]);
    click(&root, "[data-testid=preset][data-preset=retry-storm]").await;
    let faults: HtmlInputElement = find(&root, "[data-testid=res-faults]")
        .await
        .dyn_into()
        .unwrap();
    assert_eq!(faults.value(), "b:slow10:8000:6000");
    let retries: HtmlInputElement = find(&root, "[data-testid=res-retries-a]")
        .await
        .dyn_into()
        .unwrap();
    assert_eq!(retries.value(), "3");
    click(&root, "[data-testid=run-to-end]").await;
    wait_for(&root, "[data-testid=run-to-end][disabled]", 120).await;
    let status = text(&root, "[data-testid=res-status]");
    // The final step drains the requests still in flight past the run's end, and says so.
    assert!(
        status.contains(": the 30 s run, then ")
            && status.contains(" s for requests in flight · 29,992 requests"),
        "{status}"
    );
    // 3 retries at two layers while B is 10× slower: many attempts at B per request, and the
    // storm outlives the slow-down.
    let shown = "tr[data-run=Shown]";
    let amplification = text(&root, &format!("{shown} [data-testid=res-amplification]"));
    let value: f64 = amplification.trim_end_matches('×').parse().unwrap();
    assert!(value > 5.0, "{amplification}");
    assert_eq!(
        text(&root, &format!("{shown} [data-testid=res-recovery]")),
        "did not recover (metastable)"
    );
    assert_eq!(
        text(&root, "[data-testid=res-verdict]"),
        "After the faults: did not recover (metastable)"
    );
    assert!(share_url(&root).await.contains("ra=3&rb=3"));
}

#[wasm_bindgen_test]
async fn clicking_a_tier_starts_and_ends_a_fault() {
    let root = mount_lab("resilience", &[("step", "4")]);
    find(&root, "[data-testid=res-tier][data-tier=B]").await;
    assert_eq!(tier_state(&root, "B"), "ok");
    choose(&root, "[data-testid=res-click]", "down").await;
    click_tier(&root, "B").await;
    assert_eq!(tier_state(&root, "B"), "down");
    assert_eq!(text(&root, "[data-testid=res-fault]"), "⚠ down");
    // 4 steps of 250 ms: B is down from 1 s for up to 10 s, in the link and the fault list.
    assert!(share_url(&root).await.contains("fault=b:down:1000:10000"));
    let faults: HtmlInputElement = find(&root, "[data-testid=res-faults]")
        .await
        .dyn_into()
        .unwrap();
    assert_eq!(faults.value(), "b:down:1000:10000");
    for _ in 0..4 {
        click(&root, "[data-testid=step]").await;
    }
    // Clicking it again ends the fault now (2 s).
    click_tier(&root, "B").await;
    assert_eq!(tier_state(&root, "B"), "ok");
    assert_eq!(count(&root, "[data-testid=res-fault]"), 0);
    assert!(share_url(&root).await.contains("fault=b:down:1000:1000"));
    // Keyboard: Enter on A starts the chosen fault too.
    let a = find(&root, "[data-testid=res-tier][data-tier=A]").await;
    key(&a, "Enter");
    settle().await;
    assert_eq!(tier_state(&root, "A"), "down");
}

#[wasm_bindgen_test]
async fn bad_input_is_explained_and_the_lab_keeps_its_state() {
    let root = mount_lab("resilience", &[("ra", "2"), ("step", "20")]);
    find(&root, "[data-testid=res-table]").await;
    let table = text(&root, "[data-testid=res-table]");
    set_input(&root, "[data-testid=res-retries-a]", "99", "change").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.contains("Retries into A"), "{error}");
    assert!(error.contains("10"), "{error}");
    set_input(&root, "[data-testid=res-timeout-a]", "-5", "change").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.contains("Timeout into A"), "{error}");
    set_input(
        &root,
        "[data-testid=res-faults]",
        "b:down:999999:1000",
        "change",
    )
    .await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.contains("outside the run"), "{error}");
    assert_eq!(text(&root, "[data-testid=res-table]"), table, "state kept");
    assert!(share_url(&root).await.contains("ra=2"));
}

/// Turning the cache on and comparing the fixes: the table lists every fix on the same
/// traffic, with single-flight's one recomputation per refresh against the stampede's many,
/// and the chart of recomputations at B appears.
#[wasm_bindgen_test]
async fn the_cache_table_compares_the_stampede_fixes() {
    let root = mount_lab(
        "resilience",
        &[("dist", "constant"), ("dur", "6000"), ("tick", "100")],
    );
    find(&root, ".lab[data-lab=resilience][data-ready=true]").await;
    assert_eq!(
        count(&root, "[data-testid=res-cache]"),
        0,
        "no cache, no table"
    );
    click(&root, "[data-testid=res-cache-on]").await;
    click(&root, "[data-testid=res-fix-compare]").await;
    find(&root, "[data-testid=res-cache]").await;
    click(&root, "[data-testid=run-to-end]").await;
    wait_for(&root, "[data-testid=run-to-end][disabled]", 120).await;
    assert_eq!(count(&root, "[data-testid=res-cache] tbody tr"), 6);
    let cell = |run: &str, head: &str| {
        text(
            &root,
            &format!("[data-testid=res-cache] tr[data-run=\"{run}\"] td[data-label=\"{head}\"]"),
        )
    };
    assert_eq!(cell("Single-flight", "Per refresh"), "1");
    assert_eq!(cell("Single-flight", "Most at B at once"), "1");
    let none: f64 = cell("Shown: No fix", "Per refresh").parse().unwrap();
    assert!(none > 20.0, "a stampede without a fix: {none}");
    assert_ne!(cell("Stale-while-revalidate", "Stale answers"), "0");
    assert!(count(&root, "[data-testid=res-cache-chart]") >= 1);
    let url = share_url(&root).await;
    assert!(url.contains("cache=1") && url.contains("fixcmp=1"), "{url}");
}
