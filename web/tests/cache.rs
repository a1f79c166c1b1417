//! Browser tests of the cache lab: slots flash as requests run, live settings, crash and outage
//! buttons, bad input, and trace import by paste with malformed lines skipped or rejected.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const READY: &str = ".lab[data-lab=cache][data-ready=true]";

async fn paste_trace(root: &Element, text: &str) {
    let area: HtmlTextAreaElement = find(root, "[data-testid=trace-paste]")
        .await
        .dyn_into()
        .unwrap();
    area.set_value(text);
    click(root, "[data-testid=trace-paste-go]").await;
}

/// Polls until `selector` matches, for work that takes longer than `find` waits.

#[wasm_bindgen_test]
async fn stepping_flashes_slots_and_the_size_slider_resizes_the_strip() {
    let root = mount_lab("cache", &[("size", "20"), ("batch", "1")]);
    find(&root, READY).await;
    assert_eq!(count(&root, "[data-testid=cache-slot]"), 20);
    // One request per step: exactly one slot flashes (a cold cache inserts).
    click(&root, "[data-testid=step]").await;
    let flashed = count(&root, "[data-testid=cache-slot]:not([data-flash=none])");
    assert_eq!(flashed, 1, "one request flashes one slot");
    assert!(text(&root, "[data-testid=cache-summary]").contains("last 1 requests"));
    set_input(&root, "[data-testid=cache-size-slider]", "32", "input").await;
    assert_eq!(count(&root, "[data-testid=cache-slot]"), 32);
    set_input(&root, "[data-testid=cache-size]", "8", "change").await;
    assert_eq!(count(&root, "[data-testid=cache-slot]"), 8);
}

#[wasm_bindgen_test]
async fn bad_input_shows_a_message_and_keeps_the_last_good_state() {
    let root = mount_lab("cache", &[("size", "16"), ("step", "3")]);
    find(&root, READY).await;
    let status = text(&root, "[data-testid=cache-status]");
    for (testid, value) in [
        ("cache-size", "0"),
        ("cache-size", "1e12"),
        ("cache-skew", "NaN"),
        ("cache-skew", "-1"),
        ("cache-rw", "2"),
        ("cache-items", "abc"),
    ] {
        set_input(&root, &format!("[data-testid={testid}]"), value, "change").await;
        let error = text(&root, "[data-testid=error]");
        assert!(!error.is_empty(), "{testid}={value} gave no message");
        assert_eq!(count(&root, "[data-testid=cache-slot]"), 16);
        assert_eq!(text(&root, "[data-testid=cache-status]"), status);
    }
}

#[wasm_bindgen_test]
async fn crash_and_outage_buttons_change_the_run() {
    let root = mount_lab(
        "cache",
        &[("write", "write_back"), ("rw", "0.3"), ("step", "5")],
    );
    find(&root, READY).await;
    click(&root, "[data-testid=db-down]").await;
    find(&root, "[data-testid=db-up]").await;
    assert!(text(&root, "[data-testid=cache-status]").contains("down"));
    click(&root, "[data-testid=db-up]").await;
    find(&root, "[data-testid=db-down]").await;
    click(&root, "[data-testid=crash-cache]").await;
    // The crash empties the cache and is part of the scenario (the link carries it).
    assert_eq!(
        count(&root, "[data-testid=cache-slot].empty"),
        count(&root, "[data-testid=cache-slot]")
    );
    let share: HtmlInputElement = find(&root, "[data-testid=share-url]")
        .await
        .dyn_into()
        .unwrap();
    assert!(share.value().contains("crash"), "{}", share.value());
}

#[wasm_bindgen_test]
async fn a_pasted_trace_replays_and_malformed_lines_are_skipped_or_rejected() {
    let root = mount_lab("cache", &[("size", "4")]);
    find(&root, READY).await;
    let status = text(&root, "[data-testid=cache-status]");
    let trace = "a\nb\nc,get,x,y\nd,set\na\n";

    // Reject mode: the whole trace is refused, with the line number; nothing changes.
    choose(&root, "[data-testid=trace-mode]", "reject").await;
    paste_trace(&root, trace).await;
    let error = wait_for(&root, "[data-testid=error]", 10).await;
    assert!(
        error.text_content().unwrap_or_default().contains("line 3"),
        "{:?}",
        error.text_content()
    );
    assert_eq!(text(&root, "[data-testid=cache-status]"), status);

    // Skip mode: the bad line is reported by number and the other four requests replay.
    choose(&root, "[data-testid=trace-mode]", "skip").await;
    paste_trace(&root, trace).await;
    let current = wait_for(&root, "[data-testid=trace-current]", 10).await;
    assert!(
        current
            .text_content()
            .unwrap_or_default()
            .contains("4 requests"),
        "{:?}",
        current.text_content()
    );
    assert!(text(&root, "[data-testid=trace-report]").contains("line 3"));
    click(&root, "[data-testid=run-to-end]").await;
    // A long run continues in slices between frames: wait until it is over.
    wait_for(&root, "[data-testid=run-to-end][disabled]", 60).await;
    assert!(
        text(&root, "[data-testid=cache-status]").contains("4 of 4"),
        "{}",
        text(&root, "[data-testid=cache-status]")
    );
}
