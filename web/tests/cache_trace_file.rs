//! A trace file imported in the browser is streamed: read from the `File` a slice at a time
//! as it is parsed, never copied whole into wasm memory. (Its own page: the million-line test
//! in cache_trace.rs leaves a large lab running in its page.)

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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
