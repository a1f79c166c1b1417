//! A live chart of every change: the fraction of keys moved against the ideal.

use syslab_core::ring::Series;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct HistoryChartProps {
    /// Polylines in a 1000 × 1000 box.
    pub series: Vec<Series>,
    /// One label per change, oldest first.
    pub labels: Vec<String>,
    /// The y axis' top value, as text.
    pub top: String,
}

#[function_component(HistoryChart)]
pub fn history_chart(props: &HistoryChartProps) -> Html {
    if props.series.is_empty() {
        return html! {
            <section class="panel history" data-look="chart" aria-label="Change history">
                <h2>{ "Keys moved per change" }</h2>
                <p class="panel-sub">{ "Make a change (drag, add, remove, or press Step / Play) to chart moved keys against the ideal." }</p>
            </section>
        };
    }
    let n = props.labels.len();
    html! {
        <section class="panel history" aria-label="Change history">
            <h2>{ "Keys moved per change" }</h2>
            <div class="chart">
                <span class="axis-top">{ &props.top }</span>
                <svg class="chart-svg" viewBox="-20 -20 1040 1040" preserveAspectRatio="none" role="img"
                    aria-label={format!("Moved and ideal fraction of keys over the last {n} changes")}>
                    <line class="axis" x1="0" y1="1000" x2="1000" y2="1000" />
                    { for props.series.iter().map(|s| html! {
                        <polyline class={s.class} points={s.points.clone()} vector-effect="non-scaling-stroke" />
                    }) }
                </svg>
                <span class="axis-bottom">{ "0%" }</span>
            </div>
            <p class="legend">
                <span class="key series-moved">{ "moved" }</span>
                <span class="key series-ideal">{ "ideal" }</span>
                <span class="last">{ props.labels.last().cloned().unwrap_or_default() }</span>
            </p>
        </section>
    }
}
