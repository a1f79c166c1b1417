//! A million-line trace imported in the browser: parsed a slice at a time between frames (the
//! progress bar shows partial progress before the end), then replayed.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_million_line_trace_imports_in_slices_with_progress() {
    // Two policies: a million requests × 2 stays within the cache lab's work budget
    // (`cache::MAX_WORK`); with more the import is refused with a message saying so.
    let root = mount_lab("cache", &[("size", "100"), ("cmp", "lru,sieve")]);
    find(&root, ".lab[data-lab=cache][data-ready=true]").await;
    let mut trace = String::with_capacity(12_000_000);
    for i in 0..1_000_000u64 {
        // 50,000 keys, every seventh request a write.
        trace.push_str(&format!(
            "user:{}{}\n",
            (i * 7919) % 50_000,
            if i % 7 == 0 { ",set" } else { "" }
        ));
    }
    let area: HtmlTextAreaElement = find(&root, "[data-testid=trace-paste]")
        .await
        .dyn_into()
        .unwrap();
    area.set_value(&trace);
    let go: HtmlElement = find(&root, "[data-testid=trace-paste-go]")
        .await
        .dyn_into()
        .unwrap();
    go.click();
    // The import yields between slices: the page renders a partial progress bar.
    let mut partial = None;
    for _ in 0..600 {
        if let Some(bar) = root.query_selector("[data-testid=trace-progress]").unwrap() {
            let value: f64 = bar
                .get_attribute("value")
                .unwrap_or_default()
                .parse()
                .unwrap_or(0.0);
            let max: f64 = bar
                .get_attribute("max")
                .unwrap_or_default()
                .parse()
                .unwrap_or(0.0);
            if value > 0.0 && value < max {
                partial = Some((value, max));
                break;
            }
        }
        sleep(5).await;
    }
    assert!(partial.is_some(), "never saw a partial progress bar");
    let mut current = None;
    for _ in 0..1200 {
        if let Some(el) = root.query_selector("[data-testid=trace-current]").unwrap() {
            current = el.text_content();
            break;
        }
        sleep(50).await;
    }
    let current = current.expect("the trace was replayed within 60 s");
    assert!(current.contains("1,000,000 requests"), "{current}");
    assert!(current.contains("50,000 keys"), "{current}");
}
