//! Latency over the run: p99 (solid) and p50 (dashed) per algorithm on the identical traffic,
//! the shown one drawn thicker, server changes marked, and a line at the current time.

use std::rc::Rc;

use syslab_core::lb::LbView;
use yew::prelude::*;

use super::chart::Chart;

#[derive(Properties, PartialEq, Clone)]
pub struct LbChartProps {
    pub view: Rc<LbView>,
}

#[function_component(LbChart)]
pub fn lb_chart(props: &LbChartProps) -> Html {
    let view = &props.view;
    html! {
        <section class="panel lb-chart-panel" data-look="chart" aria-label="Latency over time">
            <Chart view={view.latency.clone()} title="Latency over the run: p99 solid, p50 dashed"
                testid="lb-chart" file="load-balancer-latency" />
            if view.latency.legend.len() < 2 {
                <p class="legend">{ "Turn on “compare” to draw every algorithm on the same traffic." }</p>
            }
        </section>
    }
}
