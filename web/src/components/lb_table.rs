//! Every algorithm's figures on the identical traffic, in one table.

use syslab_core::lb::{Algorithm, RowView};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct LbTableProps {
    pub rows: Vec<RowView>,
    /// Show this algorithm.
    pub onselect: Callback<Algorithm>,
}

#[function_component(LbTable)]
pub fn lb_table(props: &LbTableProps) -> Html {
    html! {
        <section class="panel lb-compare" data-look="table" aria-label="Algorithms compared">
            <h2>{ "Same traffic, every algorithm" }</h2>
            <p class="panel-sub">{ "Latency is from arrival at the balancer to the response, retries included. “Busiest server” is the largest share of requests one server served." }</p>
            <table class="fit" data-testid="lb-table">
                <thead><tr>
                    <th scope="col">{ "Algorithm" }</th>
                    <th scope="col">{ "Succeeded" }</th>
                    <th scope="col">{ "Timed out" }</th>
                    <th scope="col">{ "Rejected" }</th>
                    <th scope="col">{ "Retries" }</th>
                    <th scope="col" title="p50 / p95 / p99 / p99.9">{ "Latency p50/95/99/99.9" }</th>
                    <th scope="col">{ "Mean" }</th>
                    <th scope="col">{ "Throughput" }</th>
                    <th scope="col">{ "Busiest server" }</th>
                </tr></thead>
                <tbody>
                { for props.rows.iter().map(|row| {
                    let algorithm = row.algorithm;
                    let onclick = props.onselect.reform(move |_: MouseEvent| algorithm);
                    html! {
                        <tr data-algorithm={algorithm.id()} class={classes!(row.selected.then_some("selected"))}>
                            <th scope="row"><button class="link" {onclick}>{ row.label }</button></th>
                            <td class="num" data-label="Succeeded" data-testid="lb-successes">{ &row.successes }</td>
                            <td class="num" data-label="Timed out" data-testid="lb-timeouts">{ &row.timeouts }</td>
                            <td class="num" data-label="Rejected" data-testid="lb-rejections">{ &row.rejections }</td>
                            <td class="num" data-label="Retries">{ &row.retries }</td>
                            <td class="num" data-label="Latency p50/95/99/99.9" data-testid="lb-latency">{ &row.latency }</td>
                            <td class="num" data-label="Mean" data-testid="lb-mean">{ &row.mean }</td>
                            <td class="num" data-label="Throughput">{ &row.rps }</td>
                            <td class="num" data-label="Busiest server">{ &row.max_share }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </section>
    }
}
