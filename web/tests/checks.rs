//! The Checks panel: each published result a lab declares runs in the page through the same
//! declaration `syslab check` runs, and its status lasts only while the lab is that check's.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_check_runs_in_the_page_and_its_status_clears_on_a_change() {
    let root = mount_lab("rate-limiter", &[]);
    find(&root, ".lab[data-lab=rate-limiter][data-ready=true]").await;
    let rows = syslab_core::checks()
        .into_iter()
        .filter(|c| c.lab == "rate-limiter")
        .count() as u32;
    assert_eq!(count(&root, "[data-testid=checks] tr[data-check]"), rows);
    assert_eq!(count(&root, "tr[data-status=idle]"), rows);

    click(
        &root,
        "tr[data-check=fixed-window-double-burst] [data-testid=check-run]",
    )
    .await;
    let row = wait_for(
        &root,
        "tr[data-check=fixed-window-double-burst][data-status=pass]",
        20,
    )
    .await;
    let measured = row
        .query_selector("[data-testid=check-measured]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(measured.starts_with("2 × limit"), "{measured}");
    // The lab now runs the check's scenario: the fixed window compared with the sliding log.
    let status = text(&root, "[data-testid=rl-status]");
    assert!(!status.is_empty());

    // Any change to the scenario makes the status stale: it is dropped.
    set_input(&root, "[data-testid=rl-limit]", "12", "change").await;
    settle().await;
    assert_eq!(count(&root, "tr[data-status=idle]"), rows);
}
