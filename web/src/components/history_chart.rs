//! A live chart of every change: the fraction of keys moved against the ideal.

use std::rc::Rc;

use syslab_core::ring::RingView;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct HistoryChartProps {
    pub view: Rc<RingView>,
}

#[function_component(HistoryChart)]
pub fn history_chart(props: &HistoryChartProps) -> Html {
    let view = &props.view;
    if view.history.is_empty() {
        return html! {
            <section class="panel history" aria-label="Change history">
                <h2>{ "Keys moved per change" }</h2>
                <p class="panel-sub">{ "Make a change (drag, add, remove, or press Step / Play) to chart moved keys against the ideal." }</p>
            </section>
        };
    }
    let n = view.history_labels.len();
    html! {
        <section class="panel history" aria-label="Change history">
            <h2>{ "Keys moved per change" }</h2>
            <div class="chart">
                <span class="axis-top">{ &view.history_top }</span>
                <svg class="chart-svg" viewBox="-20 -20 1040 1040" preserveAspectRatio="none" role="img"
                    aria-label={format!("Moved and ideal fraction of keys over the last {n} changes")}>
                    <line class="axis" x1="0" y1="1000" x2="1000" y2="1000" />
                    { for view.history.iter().map(|s| html! {
                        <polyline class={s.class} points={s.points.clone()} vector-effect="non-scaling-stroke" />
                    }) }
                </svg>
                <span class="axis-bottom">{ "0%" }</span>
            </div>
            <p class="legend">
                <span class="key series-moved">{ "moved" }</span>
                <span class="key series-ideal">{ "ideal" }</span>
                <span class="last">{ view.history_labels.last().cloned().unwrap_or_default() }</span>
            </p>
        </section>
    }
}
