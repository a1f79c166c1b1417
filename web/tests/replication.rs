//! Browser tests of the replication lab: URL state into the share link, cutting a link by
//! clicking it, a preset, and bad input, checked on what a person sees.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

const READY: &str = ".lab[data-lab=replication][data-ready=true]";

/// The value cell of the accounting table's row labelled `label` (the first one: "refused"
/// appears under writes and under reads).
fn row(root: &Element, label: &str) -> String {
    let rows = root
        .query_selector_all("[data-testid=repl-table] tr")
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
    panic!("no row {label:?} in the table");
}

fn link_state(root: &Element, link: &str) -> String {
    root.query_selector(&format!("[data-testid=repl-link][data-link=\"{link}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no link {link}"))
        .get_attribute("data-state")
        .unwrap_or_default()
}

/// Clicks the link between two replicas (an SVG `<g>`, so through a dispatched click event).
async fn click_link(root: &Element, link: &str) {
    let el = find(
        root,
        &format!("[data-testid=repl-link][data-link=\"{link}\"]"),
    )
    .await;
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    el.dispatch_event(&event).unwrap();
    settle().await;
}

fn no_error(root: &Element) -> bool {
    root.query_selector("[data-testid=error]")
        .unwrap()
        .is_none()
}

#[wasm_bindgen_test]
async fn state_comes_from_parameters_and_goes_into_the_share_link() {
    let root = mount_lab(
        "replication",
        &[
            ("n", "5"),
            ("r", "2"),
            ("w", "2"),
            ("lat", "ymmr"),
            ("skew", "abc"),
            ("probes", "2000"),
        ],
    );
    find(&root, READY).await;
    assert_eq!(count(&root, "[data-testid=repl-replica]"), 5);
    // Every pair of five replicas: ten links, all open.
    assert_eq!(count(&root, "[data-testid=repl-link]"), 10);
    assert_eq!(count(&root, "[data-testid=repl-link][data-state=open]"), 10);
    let status = text(&root, "[data-testid=repl-status]");
    assert!(status.contains("N=5 R=2 W=2"), "{status}");
    assert!(status.contains("R + W ≤ N"), "{status}");
    // The bad skew falls back alone, with a notice naming it; the rest of the link is kept.
    let notices = text(&root, ".notices");
    assert!(notices.contains("skew"), "{notices}");
    let url = share_url(&root).await;
    assert!(url.starts_with("http://example.test/replication?"), "{url}");
    for part in ["n=5", "r=2", "w=2", "lat=ymmr", "probes=2000"] {
        assert!(url.contains(part), "{part} missing from {url}");
    }
    assert!(!url.contains("skew="), "{url}");
    // The staleness chart has the measured curve and the closed-form quorum-miss line:
    // C(3,2)/C(5,2) = 30%.
    find(&root, "[data-testid=repl-chart]").await;
    let note = text(&root, "[data-testid=repl-staleness-note]");
    assert!(note.starts_with("2,000 simulated writes"), "{note}");
    assert!(note.contains("= 30"), "{note}");
}

#[wasm_bindgen_test]
async fn clicking_a_link_cuts_it_and_changes_the_run() {
    // Two labs, same seed and traffic, stepped the same; one has a link cut after 1 s.
    let params = [("probes", "1000"), ("step", "100")];
    let root = mount_lab("replication", &params);
    let control = mount_lab("replication", &params);
    find(&root, READY).await;
    find(&control, READY).await;
    assert_eq!(link_state(&root, "1-2"), "open");
    let lost_before = row(&root, "lost to cuts and loss");
    assert!(
        lost_before.starts_with("0"),
        "no loss, no cut: {lost_before}"
    );

    click_link(&root, "1-2").await;
    assert_eq!(link_state(&root, "1-2"), "cut");
    assert_eq!(link_state(&control, "1-2"), "open");
    // The cut is part of the scenario from now on (1 s): the share link replays it.
    let url = share_url(&root).await;
    assert!(url.contains("cut=1-2@1000"), "{url}");
    assert!(no_error(&root));

    for _ in 0..30 {
        click(&root, "[data-testid=step]").await;
        click(&control, "[data-testid=step]").await;
    }
    assert_eq!(
        text(&root, "[data-testid=repl-status]"),
        text(&control, "[data-testid=repl-status]"),
        "both labs at the same time"
    );
    let lost = row(&root, "lost to cuts and loss");
    assert!(
        !lost.starts_with("0 "),
        "messages on the cut link are dropped: {lost}"
    );
    assert!(
        row(&control, "lost to cuts and loss").starts_with("0"),
        "the control run loses nothing"
    );
    assert_ne!(
        text(&root, "[data-testid=repl-table]"),
        text(&control, "[data-testid=repl-table]")
    );

    // Clicking again heals it from now on.
    click_link(&root, "1-2").await;
    assert_eq!(link_state(&root, "1-2"), "open");
}

#[wasm_bindgen_test]
async fn strict_quorum_preset_runs_to_the_end_without_a_stale_read() {
    let root = mount_lab("replication", &[("probes", "1000")]);
    find(&root, READY).await;
    assert!(text(&root, "[data-testid=repl-status]").contains("R=1 W=1"));
    click(&root, "[data-testid=preset][data-preset=strict-quorum]").await;
    let status = text(&root, "[data-testid=repl-status]");
    assert!(status.contains("N=3 R=2 W=2"), "{status}");
    assert!(status.contains("R + W > N"), "{status}");
    let url = share_url(&root).await;
    assert!(
        url.contains("preset=strict-quorum") || url.contains("r=2"),
        "{url}"
    );
    click(&root, "[data-testid=run-to-end]").await;
    wait_for(&root, "[data-testid=run-to-end][disabled]", 90).await;
    // Every read quorum meets every write quorum: reads were answered, none stale.
    let reads = row(&root, "Reads");
    assert_ne!(reads, "0", "the run served reads");
    let stale = row(&root, "stale");
    assert!(stale.starts_with("0 "), "{stale}");
    // The client history's linearizability is checked in pieces after the run ends.
    let mut lin = row(&root, "linearizable");
    for _ in 0..100 {
        if lin.starts_with("yes") {
            break;
        }
        sleep(100).await;
        lin = row(&root, "linearizable");
    }
    assert!(lin.starts_with("yes ("), "{lin}");
    assert!(no_error(&root));
}

#[wasm_bindgen_test]
async fn bad_input_is_explained_and_the_lab_keeps_its_state() {
    let root = mount_lab("replication", &[("probes", "1000"), ("step", "50")]);
    find(&root, READY).await;
    let table = text(&root, "[data-testid=repl-table]");
    let status = text(&root, "[data-testid=repl-status]");
    let url = share_url(&root).await;

    // A read quorum above the number of replicas.
    set_input(&root, "[data-testid=repl-r]", "7", "change").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.contains("read quorum"), "{error}");
    // Fewer replicas than the lab allows.
    set_input(&root, "[data-testid=repl-n]", "0", "change").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.contains("Replicas"), "{error}");
    // A negative delay.
    set_input(&root, "[data-testid=repl-wmean]", "-1", "change").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.to_lowercase().contains("write"), "{error}");
    // Not a number.
    set_input(&root, "[data-testid=repl-w]", "abc", "change").await;
    let error = text(&root, "[data-testid=error]");
    assert!(error.contains("Write quorum"), "{error}");

    assert_eq!(text(&root, "[data-testid=repl-table]"), table, "state kept");
    assert_eq!(text(&root, "[data-testid=repl-status]"), status);
    assert_eq!(count(&root, "[data-testid=repl-replica]"), 3);
    assert_eq!(share_url(&root).await, url, "the link is unchanged");
}

#[wasm_bindgen_test]
async fn the_embed_panel_carries_exactly_the_current_state() {
    use web_sys::HtmlTextAreaElement;
    let root = mount_lab(
        "replication",
        &[("probes", "1000"), ("r", "2"), ("ae", "300")],
    );
    find(&root, READY).await;
    assert!(root.query_selector("#embed-panel").unwrap().is_none());
    click(&root, "[data-testid=embed]").await;
    let value = |id: &str| -> String {
        root.query_selector(&format!("[data-testid={id}]"))
            .unwrap()
            .unwrap_or_else(|| panic!("no {id}"))
            .dyn_into::<HtmlTextAreaElement>()
            .unwrap()
            .value()
    };
    let share = share_url(&root).await;
    let iframe = value("embed-iframe");
    assert!(iframe.starts_with("<iframe src=\""), "{iframe}");
    assert!(
        iframe.contains("embed.html?lab=replication&amp;"),
        "{iframe}"
    );
    assert!(
        iframe.contains("r=2") && iframe.contains("ae=300"),
        "{iframe}"
    );
    let script = value("embed-script");
    assert!(script.contains("syslab-embed.js"), "{script}");
    assert!(
        script.contains("data-syslab-lab=\"replication\"") && script.contains("data-ae=\"300\""),
        "{script}"
    );
    assert_eq!(value("embed-cli"), format!("syslab run '{share}'"));
    let button = find(&root, "[data-testid=embed]").await;
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    // A change of state reaches the snippets.
    click(&root, "[data-testid=preset][data-preset=anti-entropy]").await;
    settle().await;
    let after = share_url(&root).await;
    assert_ne!(after, share);
    assert_eq!(value("embed-cli"), format!("syslab run '{after}'"));
    assert!(
        value("embed-script").contains("data-ae=\"200\""),
        "{}",
        value("embed-script")
    );
    click(&root, "[data-testid=embed]").await;
    assert!(root.query_selector("#embed-panel").unwrap().is_none());
    assert!(no_error(&root));
}

#[wasm_bindgen_test]
async fn comparing_quorums_adds_a_row_per_choice() {
    let root = mount_lab(
        "replication",
        &[("probes", "1000"), ("preset", "partition-cp")],
    );
    find(&root, READY).await;
    assert!(
        root.query_selector("[data-testid=repl-compare]")
            .unwrap()
            .is_none()
    );
    click(&root, "[data-testid=repl-cmp]").await;
    settle().await;
    let table = find(&root, "[data-testid=repl-compare]").await;
    let rows = table.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 4);
    let first = rows.item(0).unwrap().text_content().unwrap_or_default();
    assert!(first.starts_with("this run: R=2 W=2"), "{first}");
    assert!(share_url(&root).await.contains("cmp=1"));
    click(&root, "[data-testid=run-to-end]").await;
    wait_for(&root, "[data-testid=run-to-end][disabled]", 90).await;
    // R = W = 1 refuses nobody during the cut; majorities refuse the minority's clients.
    let cells = |i: u32| -> Vec<String> {
        let row: Element = table
            .query_selector_all("tbody tr")
            .unwrap()
            .item(i)
            .unwrap()
            .dyn_into()
            .unwrap();
        let tds = row.query_selector_all("td").unwrap();
        (0..tds.length())
            .map(|j| tds.item(j).unwrap().text_content().unwrap_or_default())
            .collect()
    };
    assert!(!cells(0)[0].starts_with("0"), "{:?}", cells(0));
    assert!(cells(1)[0].starts_with("0"), "{:?}", cells(1));
    assert!(no_error(&root));
}

/// Clicks replica `i` (from 1; an SVG `<g>`, so through a dispatched click event).
async fn click_replica(root: &Element, i: u32) {
    let all = root
        .query_selector_all("[data-testid=repl-replica]")
        .unwrap();
    let el: Element = all.item(i - 1).unwrap().dyn_into().unwrap();
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    el.dispatch_event(&event).unwrap();
    settle().await;
}

fn replica_attr(root: &Element, i: u32, attr: &str) -> String {
    let all = root
        .query_selector_all("[data-testid=repl-replica]")
        .unwrap();
    let el: Element = all.item(i - 1).unwrap().dyn_into().unwrap();
    el.get_attribute(attr).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn switching_to_a_leader_and_crashing_it_fails_over() {
    let root = mount_lab("replication", &[("probes", "1000"), ("step", "100")]);
    find(&root, READY).await;
    assert!(
        root.query_selector("[data-testid=repl-r]")
            .unwrap()
            .is_some()
    );
    assert!(
        root.query_selector("[data-testid=repl-sync]")
            .unwrap()
            .is_none()
    );
    assert_eq!(replica_attr(&root, 1, "data-role"), "");

    // The mode selector comes from the schema; the leader's settings replace the quorums'.
    choose(&root, "[data-testid=repl-mode]", "leader").await;
    find(&root, "[data-testid=repl-sync]").await;
    assert!(
        root.query_selector("[data-testid=repl-r]")
            .unwrap()
            .is_none()
    );
    assert!(
        root.query_selector("[data-testid=repl-fence]")
            .unwrap()
            .is_some()
    );
    let status = text(&root, "[data-testid=repl-status]");
    assert!(status.contains("leader r1 (epoch 1)"), "{status}");
    assert_eq!(replica_attr(&root, 1, "data-role"), "leader");
    assert_eq!(replica_attr(&root, 2, "data-role"), "follower");
    assert!(share_url(&root).await.contains("mode=leader"));

    // Clicking the leader crashes it at the current time (1 s), recorded in the link.
    click_replica(&root, 1).await;
    assert_eq!(replica_attr(&root, 1, "data-down"), "true");
    let url = share_url(&root).await;
    assert!(
        url.contains("fail=1000%3Acrash%3A1") || url.contains("fail=1000:crash:1"),
        "{url}"
    );

    click(&root, "[data-testid=run-to-end]").await;
    wait_for(&root, "[data-testid=run-to-end][disabled]", 90).await;
    let failovers = row(&root, "Failovers");
    assert!(failovers.starts_with("1 (leader r"), "{failovers}");
    assert_eq!(replica_attr(&root, 1, "data-role"), "deposed");
    assert_eq!(
        count(&root, "[data-testid=repl-replica][data-role=leader]"),
        1
    );
    assert!(no_error(&root));

    // And back: the quorums return, the roles go.
    choose(&root, "[data-testid=repl-mode]", "leaderless").await;
    find(&root, "[data-testid=repl-r]").await;
    assert_eq!(replica_attr(&root, 2, "data-role"), "");
    assert!(no_error(&root));
}
