//! Browser tests of the shared chart: ticks with units, the read-out under the pointer and the
//! arrow keys, legend buttons that hide a series, reference lines, and the SVG and CSV
//! downloads, on the labs' real charts.

#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use syslab_web::components::chart_export::last_download;
use wasm_bindgen_test::*;
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// The load balancer in compare mode a few hundred ticks in, and its latency chart's figure.
async fn lb_chart() -> (Element, Element) {
    let root = mount_lab("load-balancer", &[("cmp", "1"), ("step", "200")]);
    find(&root, ".lab[data-lab=load-balancer][data-ready=true]").await;
    let svg = find(&root, "svg[data-testid=lb-chart]").await;
    let figure = svg.closest("figure").unwrap().expect("the chart's figure");
    (root, figure)
}

fn texts(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

/// Points drawn: one "M" or "L" per point in every visible line's path.
fn drawn_points(figure: &Element) -> usize {
    let list = figure
        .query_selector_all("svg.chart-svg path.chart-line")
        .unwrap();
    (0..list.length())
        .map(|i| {
            let el: Element = wasm_bindgen::JsCast::unchecked_into(list.item(i).unwrap());
            let d = el.get_attribute("d").unwrap_or_default();
            d.matches(['M', 'L']).count()
        })
        .sum()
}

fn hover_middle(figure: &Element) {
    let svg = figure.query_selector("svg.chart-svg").unwrap().unwrap();
    let rect = svg.get_bounding_client_rect();
    pointer(
        "pointermove",
        &svg,
        rect.left() + rect.width() * 0.5,
        rect.top() + rect.height() * 0.5,
    );
}

#[wasm_bindgen_test]
async fn axes_have_nice_ticks_and_units() {
    let (_root, figure) = lb_chart().await;
    let y = texts(&figure, "g[data-axis=y] text");
    assert!(y.len() >= 3, "{y:?}");
    assert_eq!(y[0], "0", "{y:?}");
    // Ticks are multiples of 1, 2 or 5 × 10^k: each step between them is the same nice number.
    let values: Vec<f64> = y.iter().map(|t| t.parse().unwrap()).collect();
    let step = values[1] - values[0];
    let mantissa = step / 10f64.powf(step.log10().floor());
    assert!(
        [1.0, 2.0, 5.0].iter().any(|m| (m - mantissa).abs() < 1e-9),
        "{y:?}"
    );
    assert_eq!(
        text(&figure, "text.chart-axis-title[data-axis=y]"),
        "latency (ms)"
    );
    assert_eq!(
        text(&figure, "text.chart-axis-title[data-axis=x]"),
        "time (s)"
    );
    let x = texts(&figure, "g[data-axis=x] text");
    assert!(x.len() >= 3, "{x:?}");
    // Compare mode: one legend button per algorithm, every series shown.
    assert_eq!(count(&figure, "button.chart-key[aria-pressed=true]"), 10);
}

#[wasm_bindgen_test]
async fn the_read_out_names_every_visible_series_and_the_legend_hides_one() {
    let (_root, figure) = lb_chart().await;
    hover_middle(&figure);
    settle().await;
    let when = text(&figure, "[data-testid=chart-readout] strong");
    assert!(
        when.starts_with("time = ") && when.ends_with(" s"),
        "{when}"
    );
    assert_eq!(count(&figure, "line.chart-cursor"), 1);
    let rows = texts(&figure, "[data-testid=chart-readout] tr");
    assert_eq!(rows.len(), 20, "p50 and p99 of ten algorithms: {rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("Round robin p99") && r.ends_with(" ms")),
        "{rows:?}"
    );

    click(&figure, "button.chart-key[data-series=round_robin]").await;
    assert_eq!(
        count(
            &figure,
            "button.chart-key[data-series=round_robin][aria-pressed=false]"
        ),
        1
    );
    assert_eq!(
        count(&figure, "path.chart-line[data-series=round_robin]"),
        0
    );
    assert_eq!(
        count(&figure, "path.chart-line[data-series=least_connections]"),
        2
    );
    hover_middle(&figure);
    settle().await;
    let rows = texts(&figure, "[data-testid=chart-readout] tr");
    assert_eq!(rows.len(), 18, "{rows:?}");
    assert!(
        !rows.iter().any(|r| r.starts_with("Round robin")),
        "{rows:?}"
    );
    // Shown again.
    click(&figure, "button.chart-key[data-series=round_robin]").await;
    assert_eq!(
        count(&figure, "path.chart-line[data-series=round_robin]"),
        2
    );
}

#[wasm_bindgen_test]
async fn arrow_keys_move_the_read_out() {
    let (_root, figure) = lb_chart().await;
    let svg = figure.query_selector("svg.chart-svg").unwrap().unwrap();
    key(&svg, "Home");
    settle().await;
    let first = text(&figure, "[data-testid=chart-readout] strong");
    key(&svg, "ArrowRight");
    settle().await;
    let second = text(&figure, "[data-testid=chart-readout] strong");
    assert_ne!(first, second);
    key(&svg, "ArrowLeft");
    settle().await;
    assert_eq!(text(&figure, "[data-testid=chart-readout] strong"), first);
    key(&svg, "Escape");
    settle().await;
    assert_eq!(count(&figure, "[data-testid=chart-readout] strong"), 0);
}

#[wasm_bindgen_test]
async fn the_ring_reads_out_each_change_by_name() {
    let root = mount(&[("nodes", "4")]);
    for _ in 0..3 {
        click(&root, "[data-testid=step]").await;
    }
    let svg = find(&root, "svg[data-testid=ring-history]").await;
    let figure = svg.closest("figure").unwrap().unwrap();
    key(&svg, "End");
    settle().await;
    let rows = texts(&figure, "[data-testid=chart-readout] tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r.ends_with('%')), "{rows:?}");
    // The x value is the change itself, as the page describes it.
    let when = text(&figure, "[data-testid=chart-readout] strong");
    assert!(!when.is_empty() && !when.starts_with("change ="), "{when}");
    assert_eq!(
        text(&figure, "text.chart-axis-title[data-axis=y]"),
        "keys moved (%)"
    );
}

#[wasm_bindgen_test]
async fn reference_lines_are_drawn_with_labels() {
    let root = mount_lab(
        "rate-limiter",
        &[("preset", "boundary-burst"), ("step", "50")],
    );
    let svg = find(&root, "svg[data-testid=rl-chart]").await;
    let limit = svg
        .query_selector("g.chart-ref")
        .unwrap()
        .expect("the limit's line");
    assert!(
        limit
            .text_content()
            .unwrap_or_default()
            .starts_with("limit "),
        "{:?}",
        limit.text_content()
    );
    assert_eq!(count(&limit, "line[stroke-dasharray]"), 1);

    let root = mount_lab("cache", &[("size", "50"), ("n", "2000"), ("step", "10")]);
    let svg = wait_for(&root, "svg[data-testid=cache-mrc] g.chart-ref", 30).await;
    assert_eq!(svg.text_content().unwrap_or_default(), "size 50");
}

#[wasm_bindgen_test]
async fn downloads_csv_and_svg() {
    let (_root, figure) = lb_chart().await;
    let points = drawn_points(&figure);
    assert!(points > 20, "{points}");

    click(&figure, "[data-testid=export-csv]").await;
    let (name, bytes) = last_download().expect("a CSV");
    assert_eq!(name, "load-balancer-latency.csv");
    let csv = String::from_utf8(bytes).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("series,time (s),latency (ms)"));
    assert_eq!(lines.count(), points, "one row per drawn point");

    click(&figure, "[data-testid=export-svg]").await;
    let (name, bytes) = last_download().expect("an SVG");
    assert_eq!(name, "load-balancer-latency.svg");
    let text = String::from_utf8(bytes).unwrap();
    let parser = web_sys::DomParser::new().unwrap();
    let doc = parser
        .parse_from_string(&text, web_sys::SupportedType::ImageSvgXml)
        .unwrap();
    let root = doc.document_element().unwrap();
    assert_eq!(root.tag_name(), "svg", "{text}");
    assert_eq!(
        doc.get_elements_by_tag_name("parsererror").length(),
        0,
        "{text}"
    );
    assert_eq!(root.get_attribute("width").as_deref(), Some("640"));
    assert_eq!(
        root.query_selector_all("path.chart-line").unwrap().length(),
        figure
            .query_selector_all("svg.chart-svg path.chart-line")
            .unwrap()
            .length()
    );
}
