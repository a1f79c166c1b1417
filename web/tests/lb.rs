//! Browser tests of the load-balancer lab: clicking servers down and back, live settings, bad
//! input and compare mode, checked on what a person sees.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const READY: &str = ".lab[data-lab=load-balancer][data-ready=true]";

fn server_state(root: &Element, idx: u32) -> String {
    root.query_selector(&format!("[data-testid=lb-server][data-server=\"{idx}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no server {idx}"))
        .get_attribute("data-state")
        .unwrap_or_default()
}

fn n_servers(root: &Element) -> u32 {
    count(root, "[data-testid=lb-server]")
}

/// Clicks server `idx` (an SVG `<g>`, so through a dispatched click event).
async fn click_server(root: &Element, idx: u32) {
    let el = find(
        root,
        &format!("[data-testid=lb-server][data-server=\"{idx}\"]"),
    )
    .await;
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let event = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    el.dispatch_event(&event).unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn clicking_a_server_takes_it_down_and_clicking_again_restores_it() {
    let root = mount_lab("load-balancer", &[("step", "10")]);
    find(&root, READY).await;
    assert_eq!(server_state(&root, 2), "up");
    click_server(&root, 2).await;
    assert_eq!(server_state(&root, 2), "down");
    // The change is part of the scenario: the share link carries it.
    let share: HtmlInputElement = find(&root, "[data-testid=share-url]")
        .await
        .dyn_into()
        .unwrap();
    assert!(share.value().contains("ev="), "{}", share.value());
    // Health checks take it out after a few failed probes; the run keeps going.
    for _ in 0..40 {
        click(&root, "[data-testid=step]").await;
    }
    assert_eq!(server_state(&root, 2), "down");
    click_server(&root, 2).await;
    assert_ne!(server_state(&root, 2), "down");

    // In "slow" mode a click makes a server slow instead.
    choose(&root, "[data-testid=lb-click]", "slow").await;
    click_server(&root, 0).await;
    assert_eq!(server_state(&root, 0), "slow");
}

#[wasm_bindgen_test]
async fn moving_the_servers_slider_redraws_the_pool() {
    let root = mount_lab("load-balancer", &[]);
    find(&root, READY).await;
    assert_eq!(n_servers(&root), 8);
    set_input(&root, "[data-testid=lb-servers-slider]", "12", "input").await;
    assert_eq!(n_servers(&root), 12);
    set_input(&root, "[data-testid=lb-servers]", "3", "change").await;
    assert_eq!(n_servers(&root), 3);
}

#[wasm_bindgen_test]
async fn bad_input_shows_a_message_and_keeps_the_last_good_state() {
    let root = mount_lab("load-balancer", &[("servers", "5"), ("step", "20")]);
    find(&root, READY).await;
    let status = text(&root, "[data-testid=lb-status]");
    for (testid, value) in [
        ("lb-servers", "0"),
        ("lb-capacity", "0"),
        ("lb-rate", "-5"),
        ("lb-rate", "NaN"),
        ("lb-cost", "1e300"),
    ] {
        set_input(&root, &format!("[data-testid={testid}]"), value, "change").await;
        let error = text(&root, "[data-testid=error]");
        assert!(!error.is_empty(), "{testid}={value} gave no message");
        assert_eq!(n_servers(&root), 5, "{testid}={value} changed the pool");
        assert_eq!(text(&root, "[data-testid=lb-status]"), status);
    }
}

#[wasm_bindgen_test]
async fn compare_mode_runs_every_algorithm_on_the_same_traffic() {
    let root = mount_lab("load-balancer", &[("preset", "uneven-costs")]);
    find(&root, READY).await;
    click(&root, "[data-testid=run-to-end]").await;
    // A long run continues in slices between frames: wait until it is over.
    wait_for(&root, "[data-testid=run-to-end][disabled]", 60).await;
    let rows = root
        .query_selector_all("table[data-testid=lb-table] tbody tr")
        .unwrap()
        .length();
    assert_eq!(rows, 10, "one row per algorithm");
    // Every algorithm saw the same requests: the generated count (successes + timeouts +
    // rejections) is equal across rows, and least connections beats round robin on p99.
    let p99 = |alg: &str| -> f64 {
        let cell = text(
            &root,
            &format!("tr[data-algorithm={alg}] [data-testid=lb-latency]"),
        );
        let parts: Vec<&str> = cell.trim_end_matches(" ms").split(" / ").collect();
        parts[2].replace(',', "").parse().unwrap()
    };
    assert!(
        p99("least_connections") < p99("round_robin"),
        "least connections p99 {} vs round robin {}",
        p99("least_connections"),
        p99("round_robin")
    );
}

/// A long run to the end is computed in slices between frames: the page shows its progress and
/// a Stop button, and stopping leaves the run where it got to, with Run to the end back.
#[wasm_bindgen_test]
async fn a_long_run_to_the_end_runs_in_slices_and_can_be_stopped() {
    // 1.2 M simulated requests over ten algorithms: far more than one 8 ms slice.
    let root = mount_lab(
        "load-balancer",
        &[("cmp", "1"), ("rate", "2000"), ("dur", "60000")],
    );
    find(&root, READY).await;
    click(&root, "[data-testid=run-to-end]").await;
    let progress = wait_for(&root, "[data-testid=run-progress]", 10).await;
    assert!(
        root.query_selector("[data-testid=run-to-end]")
            .unwrap()
            .is_none()
    );
    let stop = wait_for(&root, "[data-testid=run-stop]", 10).await;
    assert!(
        stop.text_content()
            .unwrap_or_default()
            .starts_with("Stop (")
    );
    drop(progress);
    click(&root, "[data-testid=run-stop]").await;
    let button = wait_for(&root, "[data-testid=run-to-end]", 10).await;
    assert!(!button.has_attribute("disabled"), "stopped before the end");
    assert!(
        root.query_selector("[data-testid=run-progress]")
            .unwrap()
            .is_none()
    );
    let status = text(&root, "[data-testid=lb-status]");
    assert!(!status.starts_with("t = 60 s of 60 s"), "{status}");
}

/// A request's dot moves along the path the core computed for it, and that path ends at the
/// server the core says the balancer chose: the dot's `data-server` is that server, and the
/// dot is on the segments of its trip (wherever the animation is between two steps).
#[wasm_bindgen_test]
async fn each_request_dot_travels_to_the_server_the_core_chose() {
    use syslab_core::Lab;
    use syslab_core::lb::LoadBalancerLab;
    let params = [
        ("step", "12"),
        ("servers", "4"),
        ("alg", "least_connections"),
    ];
    let root = mount_lab("load-balancer", &params);
    find(&root, READY).await;
    let pairs: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let (scenario, notices) = LoadBalancerLab::from_params(&pairs);
    assert!(notices.is_empty(), "{notices:?}");
    let lab = LoadBalancerLab::new(&scenario).expect("lab");
    let view = lab.view();
    assert!(view.trips.len() > 5, "{}", view.trips.len());
    for t in &view.trips {
        let dot = root
            .query_selector(&format!("circle.lb-dot[data-trip=\"{}\"]", t.id))
            .unwrap()
            .unwrap_or_else(|| panic!("no dot for trip {}", t.id));
        let server = t.server.expect("a server is up");
        assert_eq!(dot.get_attribute("data-server"), Some(server.to_string()));
        // The middle of the path is that server's box in the drawing.
        let n = t.path.len();
        assert_eq!(t.path[n / 2], view.servers[server as usize].at);
        let box_el = root
            .query_selector(&format!(
                "[data-testid=lb-server][data-server=\"{server}\"] rect"
            ))
            .unwrap()
            .expect("server box");
        let bx: i32 = box_el.get_attribute("x").unwrap().parse().unwrap();
        let by: i32 = box_el.get_attribute("y").unwrap().parse().unwrap();
        let bh: i32 = box_el.get_attribute("height").unwrap().parse().unwrap();
        let at = t.path[n / 2];
        assert!(bx < at.x && at.x < bx + 140 && by <= at.y && at.y <= by + bh);
        // The dot lies on one of its trip's segments (integer rounding: within 2 units).
        let x: f64 = dot.get_attribute("cx").unwrap().parse().unwrap();
        let y: f64 = dot.get_attribute("cy").unwrap().parse().unwrap();
        let on_path = t.path.windows(2).any(|w| {
            let (ax, ay, bx, by) = (
                f64::from(w[0].x),
                f64::from(w[0].y),
                f64::from(w[1].x),
                f64::from(w[1].y),
            );
            let (dx, dy) = (bx - ax, by - ay);
            let len2 = (dx * dx + dy * dy).max(1e-9);
            let u = (((x - ax) * dx + (y - ay) * dy) / len2).clamp(0.0, 1.0);
            let (px, py) = (ax + u * dx, ay + u * dy);
            ((x - px).powi(2) + (y - py).powi(2)).sqrt() <= 2.0
        });
        assert!(on_path, "dot ({x}, {y}) is off trip {t:?}");
    }
    // After the run to the end, the diagram shows each server's share instead.
    click(&root, "[data-testid=run-to-end]").await;
    wait_for(&root, "[data-testid=lb-shares]", 60).await;
    assert_eq!(count(&root, "circle.lb-dot"), 0);
    assert_eq!(count(&root, ".lb-share"), 4);
}
