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

/// A file is streamed: read a slice at a time from the `File` (the progress bar moves before the
/// end), and the same requests come out as from pasting it.
#[wasm_bindgen_test]
async fn a_trace_file_is_streamed_a_slice_at_a_time() {
    let root = mount_lab("cache", &[("size", "100"), ("cmp", "lru,sieve")]);
    find(&root, ".lab[data-lab=cache][data-ready=true]").await;
    let mut trace = String::with_capacity(4_000_000);
    for i in 0..300_000u64 {
        // 1,000 keys; a CRLF every third line, which must not merge lines across slices.
        trace.push_str(&format!(
            "k{}{}",
            (i * 31) % 1_000,
            if i % 3 == 0 { "\r\n" } else { "\n" }
        ));
    }
    let input = find(&root, "[data-testid=trace-file]").await;
    // Watch how the page reads the file: the largest single read must be one slice, not the
    // whole file.
    js_sys::eval(
        "window.__syslabLargestRead = 0;
         window.__syslabArrayBuffer = Blob.prototype.arrayBuffer;
         Blob.prototype.arrayBuffer = function () {
           window.__syslabLargestRead = Math.max(window.__syslabLargestRead, this.size);
           return window.__syslabArrayBuffer.call(this);
         };",
    )
    .unwrap();
    let choose = js_sys::Function::new_with_args(
        "input, text",
        "const files = new DataTransfer();
         files.items.add(new File([text], 'big.log', { type: 'text/plain' }));
         input.files = files.files;
         input.dispatchEvent(new Event('change', { bubbles: true }));",
    );
    choose
        .call2(
            &wasm_bindgen::JsValue::NULL,
            &input,
            &wasm_bindgen::JsValue::from_str(&trace),
        )
        .unwrap();
    let mut partial = false;
    let mut current = None;
    for _ in 0..1200 {
        if let Some(bar) = root.query_selector("[data-testid=trace-progress]").unwrap() {
            let value: f64 = bar
                .get_attribute("value")
                .unwrap_or_default()
                .parse()
                .unwrap_or(0.0);
            partial |= value > 0.0 && value < trace.len() as f64;
        }
        if let Some(el) = root.query_selector("[data-testid=trace-current]").unwrap() {
            current = el.text_content();
            break;
        }
        sleep(5).await;
    }
    let largest = js_sys::eval(
        "Blob.prototype.arrayBuffer = window.__syslabArrayBuffer; window.__syslabLargestRead",
    )
    .unwrap()
    .as_f64()
    .unwrap();
    assert!(
        largest > 0.0 && largest <= 256.0 * 1024.0,
        "the largest read of the {}-byte file was {largest} bytes",
        trace.len()
    );
    assert!(
        partial,
        "never saw a partial progress bar while streaming the file"
    );
    let current = current.expect("the file was replayed within a few seconds");
    assert!(current.starts_with("Replaying big.log"), "{current}");
    assert!(current.contains("300,000 requests"), "{current}");
    assert!(current.contains("1,000 keys"), "{current}");
}
