//! The one chart of every lab: draws a core `ChartView` as SVG (axes with ticks and units, a
//! legend whose buttons show and hide series, reference lines, annotations, the current time),
//! with a read-out of every visible series at the cursor (pointer or arrow keys) and SVG and
//! CSV downloads. It computes nothing about the data: positions, tick labels and read-out
//! text come from the core.
//!
//! Colours are SVG presentation attributes (allowed by a strict CSP, and kept by an exported
//! file); `style.css` overrides the few that need another shade in the dark theme.

use syslab_core::chart::{
    ChartView, Dash, Orient, PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, VIEW_HEIGHT, VIEW_WIDTH,
};
use web_sys::{Element, KeyboardEvent, PointerEvent};
use yew::prelude::*;

use super::chart_export;

/// Line colours by palette index: distinct hues, so compared series stay identifiable when
/// faded. `style.css` lightens the last one in the dark theme.
pub const PALETTE: [&str; 11] = [
    "#3b5bdb", "#e8590c", "#2f9e44", "#c2255c", "#1098ad", "#7048e8", "#a47148", "#5c940d",
    "#e03131", "#495057", "#f08c00",
];

/// The colour of palette index `i` (wrapping).
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// The SVG dash pattern of a series.
pub fn dash_array(dash: Dash) -> Option<&'static str> {
    match dash {
        Dash::Solid => None,
        Dash::Dashed => Some("7 4"),
        Dash::Dotted => Some("2 3"),
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ChartProps {
    pub view: ChartView,
    /// The chart's title, above it.
    pub title: AttrValue,
    /// The SVG's `data-testid`.
    #[prop_or_default]
    pub testid: AttrValue,
    /// The downloaded files' name, without extension.
    pub file: AttrValue,
    /// Shown after the title (e.g. "computing…").
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Chart)]
pub fn chart(props: &ChartProps) -> Html {
    let view = &props.view;
    let hidden = use_state(Vec::<bool>::new);
    let hover = use_state(|| None::<usize>);
    let cursor = use_state(|| None::<i32>);
    let svg_ref = use_node_ref();
    let is_hidden = |g: usize| hidden.get(g).copied().unwrap_or(false);

    let toggle = |g: usize| {
        let hidden = hidden.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*hidden).clone();
            if next.len() <= g {
                next.resize(g + 1, false);
            }
            next[g] = !next[g];
            hidden.set(next);
        })
    };
    let highlight = |g: Option<usize>| {
        let hover = hover.clone();
        Callback::from(move |()| hover.set(g))
    };
    let onpointermove = {
        let cursor = cursor.clone();
        move |e: PointerEvent| {
            let svg: Element = e.target_unchecked_into();
            let svg = svg.closest("svg").ok().flatten().unwrap_or(svg);
            let rect = svg.get_bounding_client_rect();
            if rect.width() > 0.0 {
                let x =
                    (f64::from(e.client_x()) - rect.left()) / rect.width() * f64::from(VIEW_WIDTH);
                cursor.set(Some(x as i32));
            }
        }
    };
    let onpointerleave = {
        let cursor = cursor.clone();
        move |_: PointerEvent| cursor.set(None)
    };
    let onkeydown = {
        let cursor = cursor.clone();
        let hidden = hidden.clone();
        let view = view.clone();
        move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowRight" => view.step_cursor(*cursor, true, &hidden),
                "ArrowLeft" => view.step_cursor(*cursor, false, &hidden),
                "Home" => view.step_cursor(None, true, &hidden),
                "End" => view.step_cursor(None, false, &hidden),
                "Escape" => None,
                _ => return,
            };
            e.prevent_default();
            cursor.set(next);
        }
    };
    let readout = cursor.and_then(|at| view.readout(at, &hidden));

    let file = props.file.to_string();
    let on_csv = {
        let (view, file) = (view.clone(), file.clone());
        move |_: MouseEvent| {
            chart_export::download(&format!("{file}.csv"), "text/csv", view.csv().as_bytes())
        }
    };
    let on_svg = {
        let (svg_ref, file) = (svg_ref.clone(), file);
        move |_: MouseEvent| {
            if let Some(svg) = svg_ref.cast::<Element>() {
                let text = chart_export::svg_text(&svg);
                chart_export::download(&format!("{file}.svg"), "image/svg+xml", text.as_bytes());
            }
        }
    };
    let series_html = view.series.iter().filter(|s| !is_hidden(s.group)).map(|s| {
        let entry = view.legend.get(s.group);
        let colour_idx = entry.map_or(s.group, |e| e.color);
        let emphasis = entry.is_some_and(|e| e.emphasis);
        let (width, opacity) = match *hover {
            Some(g) if g == s.group => ("3.5", None),
            Some(_) => ("1.5", Some("0.3")),
            None if emphasis => ("3", None),
            None => ("1.75", None),
        };
        html! {
            <path class={format!("chart-line c{}", colour_idx % PALETTE.len())}
                data-series={entry.map(|e| e.id.clone())} d={s.path.clone()} fill="none"
                stroke={colour(colour_idx)} stroke-width={width} stroke-linejoin="round"
                stroke-dasharray={dash_array(s.dash)} opacity={opacity} />
        }
    });
    let y_mid = (PLOT_TOP + PLOT_BOTTOM) / 2;
    html! {
        <figure class="chart-figure">
            <figcaption class="chart-title">{ &props.title }{ props.children.clone() }</figcaption>
            <div class="chart-legend" role="group" aria-label={format!("{}: series", props.title)}>
                { for view.legend.iter().enumerate().map(|(g, entry)| html! {
                    <button class={classes!("chart-key", entry.emphasis.then_some("shown"))}
                        data-series={entry.id.clone()} aria-pressed={(!is_hidden(g)).to_string()}
                        title={if is_hidden(g) { "Show this series" } else { "Hide this series" }}
                        onclick={toggle(g)}
                        onmouseenter={highlight(Some(g)).reform(|_: MouseEvent| ())}
                        onmouseleave={highlight(None).reform(|_: MouseEvent| ())}
                        onfocus={highlight(Some(g)).reform(|_: FocusEvent| ())}
                        onblur={highlight(None).reform(|_: FocusEvent| ())}>
                        <svg class="chart-swatch" viewBox="0 0 24 8" aria-hidden="true">
                            <line x1="1" y1="4" x2="23" y2="4" stroke={colour(entry.color)} stroke-width="3"
                                class={format!("chart-line c{}", entry.color % PALETTE.len())} />
                        </svg>
                        { &entry.label }
                        { for entry.value.as_ref().map(|v| html! { <span class="chart-key-value">{ v }</span> }) }
                    </button>
                }) }
            </div>
            <svg class="chart-svg" data-testid={props.testid.clone()} ref={svg_ref}
                xmlns="http://www.w3.org/2000/svg"
                viewBox={format!("0 0 {VIEW_WIDTH} {VIEW_HEIGHT}")} role="img" tabindex="0"
                aria-label={format!("{}. {}. Arrow keys move the read-out.", props.title, view.summary())}
                font-family="system-ui, sans-serif" font-size="11" fill="currentColor"
                onpointermove={onpointermove} onpointerleave={onpointerleave} onkeydown={onkeydown}>
                <g class="chart-grid" stroke="#dfe3ea" stroke-width="1">
                    { for view.y.ticks.iter().map(|t| html! {
                        <line x1={PLOT_LEFT.to_string()} x2={PLOT_RIGHT.to_string()} y1={t.at.to_string()} y2={t.at.to_string()} />
                    }) }
                </g>
                { for view.notes.iter().map(|n| html! {
                    <g class="chart-note">
                        if n.x1 > n.x0 {
                            <rect x={n.x0.to_string()} y={PLOT_TOP.to_string()} width={(n.x1 - n.x0).to_string()}
                                height={(PLOT_BOTTOM - PLOT_TOP).to_string()} fill="#e03131" fill-opacity="0.1" />
                        } else {
                            <line x1={n.x0.to_string()} x2={n.x0.to_string()} y1={PLOT_TOP.to_string()} y2={PLOT_BOTTOM.to_string()}
                                stroke="#e03131" stroke-width="1.5" />
                        }
                        <text x={(n.x0 + 3).to_string()} y={(PLOT_TOP + 10).to_string()} fill="#c92a2a">{ &n.label }</text>
                    </g>
                }) }
                <g class="chart-axes" stroke="#868e96" stroke-width="1">
                    <line x1={PLOT_LEFT.to_string()} x2={PLOT_RIGHT.to_string()} y1={PLOT_BOTTOM.to_string()} y2={PLOT_BOTTOM.to_string()} />
                    <line x1={PLOT_LEFT.to_string()} x2={PLOT_LEFT.to_string()} y1={PLOT_TOP.to_string()} y2={PLOT_BOTTOM.to_string()} />
                </g>
                <g class="chart-ticks" data-axis="y" text-anchor="end">
                    { for view.y.ticks.iter().map(|t| html! {
                        <text x={(PLOT_LEFT - 5).to_string()} y={(t.at + 4).to_string()}>{ &t.text }</text>
                    }) }
                </g>
                <g class="chart-ticks" data-axis="x" text-anchor="middle">
                    { for view.x.ticks.iter().map(|t| html! {
                        <text x={t.at.to_string()} y={(PLOT_BOTTOM + 14).to_string()}>{ &t.text }</text>
                    }) }
                </g>
                <text class="chart-axis-title" data-axis="x" x={((PLOT_LEFT + PLOT_RIGHT) / 2).to_string()}
                    y={(VIEW_HEIGHT - 8).to_string()} text-anchor="middle">{ &view.x.title }</text>
                <text class="chart-axis-title" data-axis="y" x="12" y={y_mid.to_string()} text-anchor="middle"
                    transform={format!("rotate(-90 12 {y_mid})")}>{ &view.y.title }</text>
                { for series_html }
                { for view.refs.iter().map(|r| {
                    let (x1, x2, y1, y2, tx, ty, anchor) = match r.orient {
                        Orient::Horizontal => (PLOT_LEFT, PLOT_RIGHT, r.at, r.at, PLOT_RIGHT - 2, r.at - 4, "end"),
                        Orient::Vertical => (r.at, r.at, PLOT_TOP, PLOT_BOTTOM, r.at + 3, PLOT_BOTTOM - 4, "start"),
                    };
                    html! {
                        <g class="chart-ref" data-ref={r.label.clone()}>
                            <line x1={x1.to_string()} x2={x2.to_string()} y1={y1.to_string()} y2={y2.to_string()}
                                stroke="currentColor" stroke-width="1.25" stroke-dasharray="5 4" />
                            <text x={tx.to_string()} y={ty.to_string()} text-anchor={anchor}>{ &r.label }</text>
                        </g>
                    }
                }) }
                { for view.now.map(|x| html! {
                    <line class="chart-now" x1={x.to_string()} x2={x.to_string()} y1={PLOT_TOP.to_string()} y2={PLOT_BOTTOM.to_string()}
                        stroke="#868e96" stroke-width="1" stroke-dasharray="2 3" />
                }) }
                { for readout.as_ref().map(|r| html! {
                    <line class="chart-cursor" x1={r.at.to_string()} x2={r.at.to_string()} y1={PLOT_TOP.to_string()} y2={PLOT_BOTTOM.to_string()}
                        stroke="currentColor" stroke-width="1" />
                }) }
            </svg>
            <div class="chart-readout" data-testid="chart-readout" aria-live="polite">
                { match &readout {
                    Some(r) => html! {
                        <>
                            <strong>{ &r.x_text }</strong>
                            <table>
                                <tbody>
                                    { for r.rows.iter().map(|row| {
                                        let c = view.legend.get(row.group).map_or(row.group, |e| e.color);
                                        html! {
                                            <tr>
                                                <th scope="row">
                                                    <svg class="chart-swatch" viewBox="0 0 24 8" aria-hidden="true">
                                                        <line x1="1" y1="4" x2="23" y2="4" stroke={colour(c)} stroke-width="3"
                                                            class={format!("chart-line c{}", c % PALETTE.len())} />
                                                    </svg>
                                                    { &row.label }
                                                </th>
                                                <td class="num">{ &row.value }</td>
                                            </tr>
                                        }
                                    }) }
                                </tbody>
                            </table>
                        </>
                    },
                    None => html! { <span class="chart-hint">{ "Point at the chart, or focus it and press ← →, to read every series." }</span> },
                } }
            </div>
            <div class="chart-export" role="group" aria-label={format!("Download {}", props.title)}>
                <span>{ "Download" }</span>
                <button class="mini" data-testid="export-svg" onclick={on_svg}>{ "SVG" }</button>
                <button class="mini" data-testid="export-csv" onclick={on_csv}>{ "CSV" }</button>
            </div>
        </figure>
    }
}
