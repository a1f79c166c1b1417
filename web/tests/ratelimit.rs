//! Browser tests of the rate-limiter lab: presets, live sliders, bad input and URL state, checked
//! on what a person sees.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn cell(root: &Element, algorithm: &str, testid: &str) -> String {
    text(
        root,
        &format!("tr[data-algorithm={algorithm}] [data-testid={testid}]"),
    )
}

#[wasm_bindgen_test]
async fn boundary_preset_shows_the_fixed_windows_double_burst() {
    // Just after the spike (5 s, ticks of 50 ms): its marks are in the visible span.
    let root = mount_rate_limiter(&[("preset", "boundary-burst"), ("step", "110")]);
    find(&root, ".lab[data-lab=rate-limiter][data-ready=true]").await;
    for outcome in ["mark-allow", "mark-reject"] {
        let path = find(
            &root,
            &format!("svg.rl-lane[data-algorithm=fixed_window] path.{outcome}"),
        )
        .await
        .get_attribute("d")
        .unwrap_or_default();
        assert!(!path.is_empty(), "no {outcome} marks");
    }
    click(&root, "[data-testid=run-to-end]").await;
    // A long run continues in slices between frames: wait until it is over.
    wait_for(&root, "[data-testid=run-to-end][disabled]", 60).await;
    let status = text(&root, "[data-testid=rl-status]");
    assert!(status.starts_with("t = 10.0 s of 10 s"), "{status}");
    // The limit is 10 per second: the fixed window lets 20 through across the boundary, the
    // sliding log never more than 10.
    assert_eq!(cell(&root, "fixed_window", "rl-max-window"), "20 (2.00×)");
    assert_eq!(cell(&root, "sliding_log", "rl-max-window"), "10 (1.00×)");
}

#[wasm_bindgen_test]
async fn moving_a_slider_changes_the_running_simulation() {
    let root = mount_rate_limiter(&[("alg", "token_bucket"), ("step", "100")]);
    find(&root, "svg.rl-lane[data-algorithm=token_bucket]").await;
    let before = text(&root, ".rl-level-text");
    assert!(before.ends_with("/ 10 tokens left"), "{before}");
    let admitted_before = cell(&root, "token_bucket", "rl-admitted");
    set_input(&root, "[data-testid=rl-burst-slider]", "40", "input").await;
    let after = text(&root, ".rl-level-text");
    assert!(after.ends_with("/ 40 tokens left"), "{after}");
    // The run was replayed to the same time under the new burst.
    assert!(text(&root, "[data-testid=rl-status]").starts_with("t = 10.0 s"));
    assert_ne!(cell(&root, "token_bucket", "rl-admitted"), admitted_before);
    assert!(
        root.query_selector("[data-testid=error]")
            .unwrap()
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn bad_input_is_explained_and_the_run_keeps_its_state() {
    let root = mount_rate_limiter(&[("step", "50")]);
    find(&root, "[data-testid=rl-table]").await;
    let table = text(&root, "[data-testid=rl-table]");
    set_input(&root, "[data-testid=rl-limit]", "abc", "change").await;
    assert!(text(&root, "[data-testid=error]").contains("Limit must be a whole number"));
    set_input(&root, "[data-testid=rl-window]", "0", "change").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.to_lowercase().contains("window"), "{error}");
    set_input(&root, "[data-testid=rl-rate]", "1e999", "change").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.to_lowercase().contains("rate"), "{error}");
    assert_eq!(text(&root, "[data-testid=rl-table]"), table, "state kept");
}

#[wasm_bindgen_test]
async fn state_comes_from_parameters_and_goes_into_the_share_link() {
    let root = mount_rate_limiter(&[
        ("alg", "gcra"),
        ("limit", "5"),
        ("cmp", "fixed_window"),
        ("limit", "x"),
    ]);
    find(&root, "svg.rl-lane").await;
    let first = root.query_selector("svg.rl-lane").unwrap().unwrap();
    assert_eq!(
        first.get_attribute("data-algorithm").as_deref(),
        Some("gcra")
    );
    assert!(
        root.query_selector("svg.rl-lane[data-algorithm=fixed_window]")
            .unwrap()
            .is_some()
    );
    assert!(
        text(&root, ".notices").contains("limit"),
        "the bad second limit is reported"
    );
    let share: HtmlInputElement = find(&root, "[data-testid=share-url]")
        .await
        .dyn_into()
        .unwrap();
    let url = share.value();
    assert!(
        url.starts_with("http://example.test/rate-limiter?"),
        "{url}"
    );
    assert!(url.contains("alg=gcra"), "{url}");
}
