//! The cache's numbers over time: hit ratio per policy on the identical request stream, the
//! database load, and the miss-ratio curves (hit ratio against cache size) drawn as they are
//! computed.

use std::rc::Rc;

use syslab_core::cache::{CHART_HEIGHT, CHART_WIDTH, CacheView, CurveView};
use syslab_core::format::fixed;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct CacheChartsProps {
    pub view: Rc<CacheView>,
    /// Whether the miss-ratio curves are complete.
    pub mrc_done: bool,
}

fn curves(list: &[CurveView], class: &'static str) -> Html {
    list.iter()
        .enumerate()
        .map(|(i, c)| {
            html! {
                <polyline class={classes!(class, (i == 0).then_some("selected"))} data-policy={c.policy.id()}
                    points={c.points.clone()} vector-effect="non-scaling-stroke" />
            }
        })
        .collect()
}

fn legend(list: &[CurveView]) -> Html {
    html! {
        <p class="legend cache-curve-legend">
            { for list.iter().map(|c| html! {
                <span class="key" data-policy={c.policy.id()}>{ format!("{} {}", c.label, c.last) }</span>
            }) }
        </p>
    }
}

#[function_component(CacheCharts)]
pub fn cache_charts(props: &CacheChartsProps) -> Html {
    let view = &props.view;
    let viewbox = format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}");
    html! {
        <section class="panel cache-charts" data-look="chart" aria-label="Hit ratio, database load and miss-ratio curves">
            <div class="cache-chart-grid">
                <figure>
                    <figcaption>{ "Hit ratio over the run" }</figcaption>
                    <div class="rl-chart-wrap">
                        <span class="axis-top">{ "100%" }</span>
                        <svg class="cache-chart" data-testid="cache-hit-chart" viewBox={viewbox.clone()} preserveAspectRatio="none" role="img"
                            aria-label="Hit ratio of each policy over the run">
                            { curves(&view.hit_series, "cache-curve") }
                        </svg>
                    </div>
                    { legend(&view.hit_series) }
                </figure>
                <figure>
                    <figcaption>{ format!("Database operations ({})", view.db_top) }</figcaption>
                    <svg class="cache-chart" data-testid="cache-db-chart" viewBox={viewbox.clone()} preserveAspectRatio="none" role="img"
                        aria-label="Database reads and writes over the run, shown policy">
                        <polyline class="cache-db" points={view.db_points.clone()} vector-effect="non-scaling-stroke" />
                    </svg>
                </figure>
                <figure class="wide">
                    <figcaption>
                        { "Miss-ratio curve: hit ratio against cache size, every policy on the same requests" }
                        { if props.mrc_done { html! {} } else { html! { <span class="computing" data-testid="mrc-computing">{ " · computing…" }</span> } } }
                    </figcaption>
                    <div class="rl-chart-wrap">
                        <span class="axis-top">{ "100%" }</span>
                        <svg class="cache-chart" data-testid="cache-mrc" viewBox={viewbox} preserveAspectRatio="none" role="img"
                            aria-label="Hit ratio against cache size for each policy">
                            { for view.mrc_capacity_x.map(|x| html! {
                                <line class="cache-capacity" x1={x.to_string()} y1="0" x2={x.to_string()} y2={CHART_HEIGHT.to_string()} vector-effect="non-scaling-stroke" />
                            }) }
                            { curves(&view.mrc, "cache-curve") }
                        </svg>
                        <div class="rl-axis cache-mrc-axis" aria-hidden="true">
                            { for view.mrc_axis.iter().map(|(x, label)| html! {
                                <span data-style={format!("left:{}%", fixed(f64::from(*x) * 100.0 / f64::from(CHART_WIDTH), 1))}>{ label }</span>
                            }) }
                        </div>
                    </div>
                    { legend(&view.mrc) }
                </figure>
            </div>
        </section>
    }
}
