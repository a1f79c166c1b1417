//! The cache's numbers over time: hit ratio per policy on the identical request stream (the
//! legend gives each policy's hit ratio over the run, as the table does), the database load with
//! crashes and outages marked, and the miss-ratio curves (hit ratio against cache size, the
//! configured size as a reference line) drawn as they are computed.

use std::rc::Rc;

use syslab_core::cache::CacheView;
use yew::prelude::*;

use super::chart::Chart;

#[derive(Properties, PartialEq, Clone)]
pub struct CacheChartsProps {
    pub view: Rc<CacheView>,
    /// Whether the miss-ratio curves are complete.
    pub mrc_done: bool,
}

#[function_component(CacheCharts)]
pub fn cache_charts(props: &CacheChartsProps) -> Html {
    let view = &props.view;
    html! {
        <section class="panel cache-charts" data-look="chart" aria-label="Hit ratio, database load and miss-ratio curves">
            <div class="cache-chart-grid">
                <Chart view={view.hit_chart.clone()} title="Hit ratio over the run (legend: the run so far)"
                    testid="cache-hit-chart" file="cache-hit-ratio" />
                <Chart view={view.db_chart.clone()} title="Database operations, shown policy"
                    testid="cache-db-chart" file="cache-database-load" />
                <div class="wide">
                    <Chart view={view.mrc_chart.clone()} title="Miss-ratio curve: hit ratio against cache size, every policy on the same requests"
                        testid="cache-mrc" file="cache-miss-ratio-curve">
                        if !props.mrc_done {
                            <span class="computing" data-testid="mrc-computing">{ " · computing…" }</span>
                        }
                    </Chart>
                </div>
            </div>
        </section>
    }
}
