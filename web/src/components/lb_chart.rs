//! Latency over the run: p50 and p99 per algorithm on the identical traffic, the shown one
//! highlighted, with a line at the current time.

use std::rc::Rc;

use syslab_core::lb::{CHART_HEIGHT, LbView, VIEW_WIDTH};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct LbChartProps {
    pub view: Rc<LbView>,
}

#[function_component(LbChart)]
pub fn lb_chart(props: &LbChartProps) -> Html {
    let view = &props.view;
    html! {
        <section class="panel lb-chart-panel" data-look="chart" aria-label="Latency over time">
            <h2>{ "Latency over the run" }</h2>
            <div class="rl-chart-wrap">
                <span class="axis-top">{ &view.chart_top }</span>
                <svg class="lb-chart" data-testid="lb-chart" viewBox={format!("0 0 {VIEW_WIDTH} {CHART_HEIGHT}")}
                    preserveAspectRatio="none" role="img"
                    aria-label="p50 and p99 latency per tick for each algorithm">
                    { for view.latency.iter().map(|series| html! {
                        <g class={classes!("lb-series", series.selected.then_some("selected"))} data-algorithm={series.algorithm.id()}>
                            <polyline class="lb-p99" points={series.p99.clone()} vector-effect="non-scaling-stroke" />
                            <polyline class="lb-p50" points={series.p50.clone()} vector-effect="non-scaling-stroke" />
                        </g>
                    }) }
                    <line class="rl-now" x1={view.chart_now.to_string()} y1="0" x2={view.chart_now.to_string()} y2={CHART_HEIGHT.to_string()} vector-effect="non-scaling-stroke" />
                </svg>
                <p class="legend">
                    <span class="key lb-key-p99">{ "p99" }</span>
                    <span class="key lb-key-p50">{ "p50" }</span>
                    <span>{ if view.latency.len() > 1 { "shown algorithm in colour, the others in grey" } else { "turn on “compare” to draw every algorithm" } }</span>
                </p>
            </div>
        </section>
    }
}
