//! Browser tests of the consensus lab: crashing the leader by clicking it and seeing a new
//! one elected, cutting and healing a link by clicking it, the Figure 8 preset caught by the
//! safety banner, and bad input refused with the lab kept as it was.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

const READY: &str = ".lab[data-lab=consensus][data-ready=true]";

/// Clicks an SVG element through a dispatched click event.
async fn click_svg(root: &Element, selector: &str) {
    let el = find(root, selector).await;
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    el.dispatch_event(&event).unwrap();
    settle().await;
}

/// The servers with role `role`, by name.
fn with_role(root: &Element, role: &str) -> Vec<String> {
    let nodes = root
        .query_selector_all(&format!("[data-testid=raft-node][data-role={role}]"))
        .unwrap();
    (0..nodes.length())
        .map(|i| {
            let el: Element = nodes.item(i).unwrap().dyn_into().unwrap();
            el.get_attribute("data-node").unwrap_or_default()
        })
        .collect()
}

fn attr(root: &Element, selector: &str, name: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .get_attribute(name)
        .unwrap_or_default()
}

/// The value cell of the statistics row labelled `label`.
fn stat(root: &Element, label: &str) -> String {
    let rows = root
        .query_selector_all("[data-testid=raft-stats] tr")
        .unwrap();
    for i in 0..rows.length() {
        let tr: Element = rows.item(i).unwrap().dyn_into().unwrap();
        let th = tr.query_selector("th").unwrap().unwrap();
        if th.text_content().unwrap_or_default() == label {
            return tr
                .query_selector("td")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap_or_default();
        }
    }
    panic!("no row {label:?} in the statistics");
}

#[wasm_bindgen_test]
async fn crashing_the_leader_elects_a_new_one() {
    // 2 s into the default run (5 servers, 2 ms steps): a leader leads.
    let root = mount_lab("consensus", &[("step", "1000"), ("dur", "4000")]);
    find(&root, READY).await;
    assert_eq!(count(&root, "[data-testid=raft-node]"), 5);
    let leaders = with_role(&root, "leader");
    assert_eq!(leaders.len(), 1, "{leaders:?}");
    let old = leaders[0].clone();
    let old_term: u64 = attr(
        &root,
        &format!("[data-testid=raft-node][data-node={old}]"),
        "data-term",
    )
    .parse()
    .unwrap();
    assert_eq!(attr(&root, "[data-testid=raft-safety]", "data-ok"), "true");

    click_svg(&root, &format!("[data-testid=raft-node][data-node={old}]")).await;
    let sel = format!("[data-testid=raft-node][data-node={old}]");
    assert_eq!(attr(&root, &sel, "data-status"), "crashed");
    assert!(
        with_role(&root, "leader").is_empty(),
        "no leader right after the crash"
    );
    // The click is in the scenario at the current time: the share link replays it.
    let url = share_url(&root).await;
    let n = old.trim_start_matches('S');
    assert!(url.contains(&format!("fault=2000:crash:{n}")), "{url}");

    click(&root, "[data-testid=run-to-end]").await;
    wait_for(&root, "[data-testid=run-to-end][disabled]", 60).await;
    let leaders = with_role(&root, "leader");
    assert_eq!(leaders.len(), 1, "a new leader: {leaders:?}");
    assert_ne!(leaders[0], old);
    let term: u64 = attr(
        &root,
        &format!("[data-testid=raft-node][data-node={}]", leaders[0]),
        "data-term",
    )
    .parse()
    .unwrap();
    assert!(term > old_term, "{term} > {old_term}");
    let elect = stat(&root, "Time to elect after a leader loss");
    assert!(elect.ends_with(" ms"), "{elect}");
    assert_eq!(attr(&root, "[data-testid=raft-safety]", "data-ok"), "true");
}

#[wasm_bindgen_test]
async fn clicking_a_link_cuts_it_and_clicking_again_heals_it() {
    let root = mount_lab("consensus", &[("step", "500")]);
    find(&root, READY).await;
    // The link from the leader to another server: it carries heartbeats every 50 ms.
    let leader: u32 = with_role(&root, "leader")[0]
        .trim_start_matches('S')
        .parse()
        .unwrap();
    let other = if leader == 1 { 2 } else { 1 };
    let pair = format!("{}-{}", leader.min(other), leader.max(other));
    let link = &format!("[data-testid=raft-link][data-link=\"{pair}\"]");
    assert_eq!(attr(&root, link, "data-state"), "ok");
    assert_eq!(count(&root, "[data-testid=raft-link]"), 10);
    click_svg(&root, link).await;
    assert_eq!(attr(&root, link, "data-state"), "cut");
    let url = share_url(&root).await;
    assert!(url.contains(&format!("cut:{pair}")), "{url}");
    for _ in 0..60 {
        click(&root, "[data-testid=step]").await;
    }
    let lost = stat(&root, "Messages sent (lost)");
    assert!(
        !lost.ends_with("(0)"),
        "messages on the cut link are lost: {lost}"
    );
    click_svg(&root, link).await;
    assert_eq!(attr(&root, link, "data-state"), "ok");
    let url = share_url(&root).await;
    assert!(url.contains(&format!("heal:{pair}")), "{url}");
}

#[wasm_bindgen_test]
async fn figure_8_with_the_unsafe_rule_turns_the_banner_red() {
    let root = mount_lab("consensus", &[("preset", "figure-8")]);
    find(&root, READY).await;
    assert_eq!(attr(&root, "[data-testid=raft-safety]", "data-ok"), "true");
    click(&root, "[data-testid=run-to-end]").await;
    wait_for(&root, "[data-testid=raft-safety][data-ok=false]", 30).await;
    let banner = text(&root, "[data-testid=raft-safety]");
    assert!(banner.contains("Leader Completeness"), "{banner}");
    assert!(count(&root, "[data-testid=raft-recent] li") > 3);
    // The safe rule on the same history: green to the end.
    click(&root, "[data-testid=preset][data-preset=figure-8-safe]").await;
    click(&root, "[data-testid=run-to-end]").await;
    wait_for(&root, "[data-testid=run-to-end][disabled]", 30).await;
    assert_eq!(attr(&root, "[data-testid=raft-safety]", "data-ok"), "true");
}

#[wasm_bindgen_test]
async fn bad_input_is_explained_and_the_lab_keeps_its_state() {
    let root = mount_lab("consensus", &[("step", "300"), ("hb", "200")]);
    find(&root, READY).await;
    // A heartbeat longer than the minimum election timeout is allowed, with a warning.
    let warning = text(&root, "[data-testid=raft-warning]");
    assert!(warning.contains("heartbeat"), "{warning}");
    let status = text(&root, "[data-testid=raft-status]");
    let url = share_url(&root).await;

    set_input(&root, "[data-testid=raft-n]", "10", "change").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.contains("Servers"), "{error}");
    set_input(&root, "[data-testid=raft-lat]", "-5", "change").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.contains("Latency"), "{error}");
    set_input(
        &root,
        "[data-testid=raft-fault]",
        "100:part:12/367",
        "change",
    )
    .await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.contains("S6"), "{error}");

    assert_eq!(
        text(&root, "[data-testid=raft-status]"),
        status,
        "state kept"
    );
    assert_eq!(count(&root, "[data-testid=raft-node]"), 5);
    assert_eq!(share_url(&root).await, url, "the link is unchanged");
}
