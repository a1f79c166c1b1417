//! A live chart of every change: the fraction of keys moved against the ideal, one point per
//! change (the read-out names the change).

use syslab_core::chart::ChartView;
use yew::prelude::*;

use super::chart::Chart;

#[derive(Properties, PartialEq, Clone)]
pub struct HistoryChartProps {
    pub chart: ChartView,
}

#[function_component(HistoryChart)]
pub fn history_chart(props: &HistoryChartProps) -> Html {
    if props.chart.series.iter().all(|s| s.points.is_empty()) {
        return html! {
            <section class="panel history" data-look="chart" aria-label="Change history">
                <h2>{ "Keys moved per change" }</h2>
                <p class="panel-sub">{ "Make a change (drag, add, remove, or press Step / Play) to chart moved keys against the ideal." }</p>
            </section>
        };
    }
    html! {
        <section class="panel history" data-look="chart" aria-label="Change history">
            <Chart view={props.chart.clone()} title="Keys moved per change" testid="ring-history" file="ring-keys-moved" />
        </section>
    }
}
