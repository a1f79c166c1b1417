//! Browser tests of the ring lab and the shell: mount labs the way the site and embeds do,
//! drive them with real DOM events (pointer, keyboard, input), and check what a person would see.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The number in "1,204 keys moved; ideal 1,250".
fn moved_count(summary: &str) -> u64 {
    let (moved, rest) = summary
        .split_once(" keys moved; ideal ")
        .unwrap_or_else(|| panic!("unexpected summary {summary:?}"));
    assert!(rest.replace(',', "").parse::<u64>().is_ok(), "{summary}");
    moved.replace(',', "").parse().unwrap()
}

fn key_counts(root: &Element) -> Vec<(String, u64)> {
    let rows = root.query_selector_all("[data-testid=node-row]").unwrap();
    (0..rows.length())
        .map(|i| {
            let row: Element = rows.item(i).unwrap().dyn_into().unwrap();
            let keys = text(&row, "[data-testid=node-keys]").replace(',', "");
            (
                row.get_attribute("data-node").unwrap(),
                keys.parse().unwrap(),
            )
        })
        .collect()
}

fn degrees(handle: &Element) -> f64 {
    handle
        .get_attribute("aria-valuenow")
        .unwrap()
        .parse()
        .unwrap()
}

#[wasm_bindgen_test]
async fn mounts_with_every_key_owned_once() {
    let root = mount(&[("keys", "1000")]);
    find(&root, ".lab[data-ready=true] svg.ring").await;
    assert_eq!(text(&root, "[data-testid=moved-summary]"), "No change yet");
    let counts = key_counts(&root);
    assert_eq!(counts.len(), 5);
    assert_eq!(counts.iter().map(|(_, k)| k).sum::<u64>(), 1000);
    assert_eq!(
        root.query_selector_all("g.node-handle").unwrap().length(),
        5
    );
}

#[wasm_bindgen_test]
async fn dragging_a_node_with_the_pointer_moves_keys() {
    let root = mount(&[("nodes", "4"), ("vnodes", "1"), ("keys", "2000")]);
    let svg = find(&root, "svg.ring").await;
    let handle = find(&root, "g.node-handle[data-node=A]").await;
    let before_deg = degrees(&handle);
    let before = key_counts(&root);

    let rect = svg.get_bounding_client_rect();
    let (cx, cy) = (
        rect.left() + rect.width() / 2.0,
        rect.top() + rect.height() / 2.0,
    );
    let radius = rect.width() * 1000.0 / 2600.0;
    let at = |deg: f64| {
        let t = deg.to_radians();
        (cx + radius * t.sin(), cy - radius * t.cos())
    };
    let (x0, y0) = at(before_deg);
    pointer(
        "pointerdown",
        &handle.query_selector("circle.handle-dot").unwrap().unwrap(),
        x0,
        y0,
    );
    for step in 1..=8 {
        let (x, y) = at(before_deg + 5.0 * f64::from(step));
        pointer("pointermove", &svg, x, y);
        settle().await;
    }
    // While dragging, the summary already counts moved keys.
    assert!(moved_count(&text(&root, "[data-testid=moved-summary]")) > 0);
    let (x, y) = at(before_deg + 40.0);
    pointer("pointerup", &svg, x, y);
    settle().await;

    let after_deg = degrees(&find(&root, "g.node-handle[data-node=A]").await);
    let turned = (after_deg - before_deg).rem_euclid(360.0);
    assert!((turned - 40.0).abs() < 1.0, "handle moved {turned}°");
    let moved = moved_count(&text(&root, "[data-testid=moved-summary]"));
    let after = key_counts(&root);
    // Every key a node gained had to move to it, so the moved count covers all gains.
    let gained: u64 = before
        .iter()
        .zip(&after)
        .map(|(b, a)| a.1.saturating_sub(b.1))
        .sum();
    assert!(gained > 0, "{before:?} -> {after:?}");
    assert!(moved >= gained, "moved {moved} < gained {gained}");
    assert_eq!(after.iter().map(|(_, k)| k).sum::<u64>(), 2000);
}

#[wasm_bindgen_test]
async fn keyboard_moves_and_removes_nodes() {
    let root = mount(&[("nodes", "5"), ("r", "2")]);
    let handle = find(&root, "g.node-handle[data-node=B]").await;
    let before = degrees(&handle);
    key(&handle, "ArrowRight");
    settle().await;
    let handle = find(&root, "g.node-handle[data-node=B]").await;
    let turned = (degrees(&handle) - before).rem_euclid(360.0);
    assert!((turned - 1.0).abs() < 0.11, "ArrowRight turned {turned}°");
    assert!(text(&root, "[data-testid=moved-summary]").contains("keys moved; ideal"));

    key(&handle, "Delete");
    settle().await;
    assert!(
        root.query_selector("g.node-handle[data-node=B]")
            .unwrap()
            .is_none()
    );
    assert_eq!(key_counts(&root).len(), 4);
    // Removing one of five equal nodes: the ideal is a fifth of the keys.
    assert!(text(&root, "[data-testid=moved-summary]").ends_with("ideal 400"));
}

#[wasm_bindgen_test]
async fn add_node_button_and_vnode_slider_apply_changes() {
    let root = mount(&[("keys", "1000")]);
    let add: HtmlElement = find(&root, "[data-testid=add-node]")
        .await
        .dyn_into()
        .unwrap();
    add.click();
    settle().await;
    assert_eq!(key_counts(&root).len(), 6);
    assert!(root.query_selector("[data-node=F]").unwrap().is_some());
    // One new node among six: ideal = 1000 / 6.
    assert!(text(&root, "[data-testid=moved-summary]").ends_with("ideal 167"));

    let slider: HtmlInputElement = find(&root, "[data-testid=vnodes]")
        .await
        .dyn_into()
        .unwrap();
    slider.set_value("40");
    slider
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
    assert!(text(&root, ".settings").contains("Vnodes per weight: 40"));
    let ticks = root.query_selector_all(".ticks path").unwrap().length();
    assert_eq!(ticks, 6);
    let ticks_d = text(&root, "[data-testid=moved-summary]");
    assert!(moved_count(&ticks_d) > 0);
}

#[wasm_bindgen_test]
async fn state_loads_from_url_parameters() {
    let root = mount(&[
        ("nodes", "X,Y:2,Z"),
        ("vnodes", "20"),
        ("keys", "600"),
        ("ev", "add~W~1"),
        ("strategy", "maglev"),
    ]);
    find(&root, "svg.ring").await;
    let counts = key_counts(&root);
    let names: Vec<&str> = counts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["X", "Y", "Z", "W"]);
    assert_eq!(counts.iter().map(|(_, k)| k).sum::<u64>(), 600);
    assert!(text(&root, "[data-testid=moved-summary]").contains("keys moved; ideal"));
    let share: HtmlInputElement = find(&root, "[data-testid=share-url]")
        .await
        .dyn_into()
        .unwrap();
    let url = share.value();
    assert!(url.starts_with("http://example.test/ring?"), "{url}");
    assert!(
        url.contains("ev=add~W~1") && url.contains("strategy=maglev"),
        "{url}"
    );
    assert!(
        root.query_selector("[data-testid=notice]")
            .unwrap()
            .is_none()
    );
}

#[wasm_bindgen_test]
async fn bad_parameters_show_a_message_and_fall_back() {
    let root = mount(&[
        ("vnodes", "abc"),
        ("nodes", "0"),
        ("eps", "NaN"),
        ("r", "9"),
    ]);
    find(&root, "svg.ring").await;
    let notices = root.query_selector_all("[data-testid=notice]").unwrap();
    assert!(notices.length() >= 3, "only {} notices", notices.length());
    let all = text(&root, ".notices");
    assert!(all.contains("vnodes") && all.contains("eps"), "{all}");
    assert_eq!(
        key_counts(&root).len(),
        5,
        "falls back to the default nodes"
    );
}

#[wasm_bindgen_test]
async fn refused_actions_keep_the_last_good_state() {
    let root = mount(&[("nodes", "3"), ("r", "3")]);
    let handle = find(&root, "g.node-handle[data-node=A]").await;
    // Removing a node would leave fewer nodes than R = 3.
    key(&handle, "Delete");
    settle().await;
    assert_eq!(key_counts(&root).len(), 3);
    let error = text(&root, "[data-testid=error]");
    assert!(
        error.to_lowercase().contains("replication factor 3"),
        "{error}"
    );
    let seed: HtmlInputElement = find(&root, "[data-testid=seed]").await.dyn_into().unwrap();
    seed.set_value("-4");
    seed.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
    assert!(text(&root, "[data-testid=error]").contains("seed"));
    assert_eq!(key_counts(&root).len(), 3);
}

#[wasm_bindgen_test]
async fn script_tag_embeds_mount_independently() {
    let host = container();
    host.set_inner_html(
        r#"<div id="e1" data-syslab-lab="ring" data-nodes="3" data-keys="300"></div>
           <div id="e2" data-syslab-lab="ring" data-nodes="7" data-vnodes="50"></div>"#,
    );
    assert_eq!(syslab_web::mount::mount_all(syslab_web::bundle::ALL), 2);
    assert_eq!(
        syslab_web::mount::mount_all(syslab_web::bundle::ALL),
        0,
        "already mounted elements are skipped"
    );
    let e1 = document().get_element_by_id("e1").unwrap();
    let e2 = document().get_element_by_id("e2").unwrap();
    find(&e1, "svg.ring").await;
    find(&e2, "svg.ring").await;
    assert_eq!(key_counts(&e1).len(), 3);
    assert_eq!(key_counts(&e2).len(), 7);
    let add: HtmlElement = find(&e1, "[data-testid=add-node]")
        .await
        .dyn_into()
        .unwrap();
    add.click();
    settle().await;
    assert_eq!(key_counts(&e1).len(), 4);
    assert_eq!(key_counts(&e2).len(), 7, "the other embed is untouched");
}

#[wasm_bindgen_test]
async fn each_bundle_mounts_only_its_own_labs() {
    use syslab_web::bundle::{HOME, RATE_LIMITER, RING};
    let host = container();
    host.set_inner_html(
        r#"<div id="b1" data-syslab-lab="ring" data-nodes="4"></div>
           <div id="b2" data-syslab-lab="rate-limiter" data-preset="boundary-burst"></div>
           <div id="b3" data-syslab-lab="no-such-lab"></div>"#,
    );
    let el = |id: &str| document().get_element_by_id(id).unwrap();
    // The page's loader gives each div the bundle named after its lab; a bundle that is
    // loaded for another div must leave the others alone.
    assert_eq!(syslab_web::mount::mount_all(RING), 1);
    assert!(!el("b2").has_attribute("data-syslab-mounted"));
    assert_eq!(syslab_web::mount::mount_all(RATE_LIMITER), 1);
    assert!(!el("b3").has_attribute("data-syslab-mounted"));
    // An id without a bundle falls back to home, which says what is wrong.
    assert_eq!(syslab_web::mount::mount_all(HOME), 1);
    find(&el("b1"), "svg.ring").await;
    find(&el("b2"), "[data-testid=rl-table]").await;
    let notice = find(&el("b3"), "[data-testid=notice]").await;
    assert!(
        notice
            .text_content()
            .unwrap_or_default()
            .contains("not a lab"),
        "{:?}",
        notice.text_content()
    );
}

#[wasm_bindgen_test]
async fn controls_0_shows_every_lab_as_a_figure_without_its_settings() {
    for (lab, settings) in [
        ("ring", "[aria-label='Ring settings']"),
        ("rate-limiter", ".rl-settings"),
        ("cache", ".cache-settings"),
        ("load-balancer", ".lb-settings"),
    ] {
        let with = mount_lab(lab, &[]);
        find(&with, settings).await;
        let without = mount_lab(lab, &[("controls", "0")]);
        find(&without, &format!(".lab[data-lab={lab}][data-ready=true]")).await;
        settle().await;
        assert!(
            without.query_selector(settings).unwrap().is_none(),
            "{lab} with controls=0 still shows {settings}"
        );
        // Play, step, reset and share stay.
        find(&without, "[data-testid=step]").await;
    }
}

/// Replaces `navigator.clipboard` for this page (an own property hides the prototype's getter);
/// `None` puts the browser's back.
fn fake_clipboard(value: Option<&wasm_bindgen::JsValue>) {
    let navigator = web_sys::window().unwrap().navigator();
    let key = wasm_bindgen::JsValue::from_str("clipboard");
    js_sys::Reflect::delete_property(&navigator, &key).unwrap();
    if let Some(value) = value {
        let descriptor = js_sys::Object::new();
        js_sys::Reflect::set(&descriptor, &"value".into(), value).unwrap();
        js_sys::Reflect::set(&descriptor, &"configurable".into(), &true.into()).unwrap();
        js_sys::Object::define_property(&navigator, &key, &descriptor);
    }
}

/// A stand-in clipboard whose `writeText` runs `body`.
fn clipboard_that(body: &str) -> wasm_bindgen::JsValue {
    let clipboard = js_sys::Object::new();
    let write = js_sys::Function::new_with_args("text", body);
    js_sys::Reflect::set(&clipboard, &"writeText".into(), &write).unwrap();
    clipboard.into()
}

/// Share says "Copied" only when the browser confirms the copy; without a clipboard (plain
/// http) or when the copy is refused (a sandboxed frame) it selects the link for the user.
#[wasm_bindgen_test]
async fn share_says_copied_only_when_the_copy_worked() {
    let cases = [
        (
            Some(wasm_bindgen::JsValue::UNDEFINED),
            "Press Ctrl+C to copy",
        ),
        (
            Some(clipboard_that("return Promise.reject(new Error('denied'))")),
            "Press Ctrl+C to copy",
        ),
        (
            Some(clipboard_that("throw new Error('no')")),
            "Press Ctrl+C to copy",
        ),
        (Some(clipboard_that("return Promise.resolve()")), "Copied ✓"),
    ];
    for (clipboard, expected) in cases {
        fake_clipboard(clipboard.as_ref());
        let root = mount(&[]);
        find(&root, "[data-testid=share]").await;
        click(&root, "[data-testid=share]").await;
        assert_eq!(
            text(&root, "[data-testid=share]"),
            expected,
            "{clipboard:?}"
        );
        let link = root.query_selector("[data-testid=share-url]").unwrap();
        let focused = common::document().active_element();
        assert_eq!(
            focused.as_ref() == link.as_ref(),
            expected != "Copied ✓",
            "{clipboard:?}"
        );
        root.remove();
    }
    fake_clipboard(None);
}

/// With many keys, jump, rendezvous and Maglev are placed between frames after a change: their
/// rows say "computing…" instead of showing stale figures, and then show exactly what placing
/// every strategy at once gives.
#[wasm_bindgen_test]
async fn strategy_rows_compute_after_a_change_then_match_the_core() {
    use syslab_core::Lab;
    use syslab_core::ring::{RingAction, RingLab};
    let params = [("keys", "60000"), ("nodes", "8")];
    let root = mount(&params);
    find(&root, "[data-testid=strategy-table]").await;
    let computing = "[data-testid=strategy-computing]";
    wait_until_none(&root, computing).await;
    let add: HtmlElement = find(&root, "[data-testid=add-node]")
        .await
        .dyn_into()
        .unwrap();
    add.click();
    // The click redraws the ring; the panels, the table among them, follow in a zero timeout
    // of their own, before the first slice of background work (an interval of 16 ms started
    // by the click's redraw).
    for _ in 0..10 {
        if count(&root, computing) > 0 {
            break;
        }
        sleep(0).await;
    }
    assert_eq!(
        count(&root, computing),
        3,
        "jump, rendezvous and Maglev wait"
    );
    assert_eq!(
        count(
            &root,
            "[data-strategy=ring] [data-testid=strategy-computing]"
        ),
        0
    );
    wait_until_none(&root, computing).await;

    let pairs: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let (scenario, _) = <RingLab as Lab>::from_params(&pairs);
    let mut lab = RingLab::new(&scenario).unwrap();
    Lab::apply(&mut lab, RingAction::AddNode).unwrap();
    for row in Lab::view(&lab).strategies {
        let cells = root
            .query_selector_all(&format!("[data-strategy={}] td", row.strategy.id()))
            .unwrap();
        let shown: Vec<String> = (0..cells.length())
            .map(|i| cells.item(i).unwrap().text_content().unwrap_or_default())
            .collect();
        let expected = [row.moved_text, row.max_text, row.space_text, row.std_text];
        assert_eq!(shown, expected, "{}", row.label);
    }
}

/// Polls until nothing matches `selector` (background work done), for up to 20 s.
async fn wait_until_none(root: &Element, selector: &str) {
    for _ in 0..400 {
        if count(root, selector) == 0 {
            return;
        }
        sleep(50).await;
    }
    panic!("{selector:?} still matched after 20 s");
}

/// The bars' widths: what each `data-style` asks for and what its CSSOM style holds, in %.
fn bar_widths(root: &Element) -> Vec<(f64, f64)> {
    let bars = root
        .query_selector_all("[data-testid=node-row] .bar")
        .unwrap();
    (0..bars.length())
        .map(|i| {
            let bar: HtmlElement = bars.item(i).unwrap().dyn_into().unwrap();
            let wanted = bar.get_attribute("data-style").unwrap();
            let wanted = wanted
                .split(';')
                .find_map(|d| d.trim().strip_prefix("width:"))
                .unwrap_or_else(|| panic!("no width in data-style {wanted:?}"));
            let percent = |text: &str| -> f64 {
                let number = text.trim().strip_suffix('%');
                number.and_then(|n| n.parse().ok()).unwrap_or(f64::NAN)
            };
            let applied = bar.style().get_property_value("width").unwrap();
            (percent(wanted), percent(&applied))
        })
        .collect()
}

/// Computed styles reach the page through the CSSOM (`data-style`, which a strict
/// Content-Security-Policy allows, unlike a `style` attribute): on the first render, on rows
/// added later, and on rows whose values change.
#[wasm_bindgen_test]
async fn data_styles_reach_the_cssom_when_rendered_and_when_changed() {
    let root = mount(&[("nodes", "3"), ("keys", "600")]);
    find(&root, "[data-testid=node-row] .bar").await;
    settle().await;
    let before = bar_widths(&root);
    assert_eq!(before.len(), 3);
    for (wanted, applied) in &before {
        assert!(wanted > &0.0 && wanted == applied, "{before:?}");
    }
    let dot: web_sys::SvgElement = find(&root, ".handle-dot").await.dyn_into().unwrap();
    assert!(
        dot.style()
            .get_property_value("fill")
            .unwrap()
            .contains("hsl"),
        "the handle's colour did not reach its style"
    );

    click(&root, "button[data-testid=add-node]").await;
    let after = bar_widths(&root);
    assert_eq!(after.len(), 4, "{after:?}");
    for (wanted, applied) in &after {
        assert!(wanted == applied, "{after:?}");
    }
    assert_ne!(
        before.iter().map(|b| b.0).collect::<Vec<_>>(),
        after[..3].iter().map(|b| b.0).collect::<Vec<_>>(),
        "adding a node changed no bar, so no update was checked"
    );
}
