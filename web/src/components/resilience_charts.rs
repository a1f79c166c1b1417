//! The run over time on the shared chart: goodput against offered load (each compared policy
//! set on the same traffic), attempts into each tier (retries dashed), latency percentiles
//! and, with a breaker, its state; with the cache in front of B, the recomputations at B at
//! once (each compared fix on the same traffic); every fault window shaded.

use std::rc::Rc;

use syslab_core::resilience::ResView;
use yew::prelude::*;

use super::chart::Chart;

#[derive(Properties, PartialEq, Clone)]
pub struct ResilienceChartsProps {
    pub view: Rc<ResView>,
}

#[function_component(ResilienceCharts)]
pub fn resilience_charts(props: &ResilienceChartsProps) -> Html {
    let view = &props.view;
    html! {
        <section class="panel res-charts" data-look="chart" aria-label="The run over time">
            <Chart view={view.goodput.clone()} title="Goodput (answers within the deadline) against offered load, per second"
                testid="res-goodput" file="resilience-goodput" />
            <Chart view={view.attempts.clone()} title="Attempts into each tier per second: retries dashed"
                testid="res-attempts" file="resilience-attempts" />
            <Chart view={view.latency.clone()} title="Latency of successes: p50, p99, p99.9"
                testid="res-latency" file="resilience-latency" />
            { for view.cache.clone().map(|c| html! {
                <Chart view={c} title="Recomputations of cached values in flight at B (the most in each step)"
                    testid="res-cache-chart" file="resilience-cache" />
            }) }
            { for view.breaker.clone().map(|b| html! {
                <Chart view={b} title="Circuit breaker: up is open, half-way is half-open"
                    testid="res-breaker-chart" file="resilience-breaker" />
            }) }
        </section>
    }
}
