//! Every algorithm's figures on the identical traffic, in one table.

use syslab_core::ratelimit::{AlgorithmKind, RowView};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct RateLimitTableProps {
    pub rows: Vec<RowView>,
    /// Show this algorithm in the first lane.
    pub onselect: Callback<AlgorithmKind>,
}

#[function_component(RateLimitTable)]
pub fn rate_limit_table(props: &RateLimitTableProps) -> Html {
    html! {
        <section class="panel rl-compare" data-look="table" aria-label="Algorithms compared">
            <h2>{ "Same traffic, every algorithm" }</h2>
            <p class="panel-sub">{ "“Most in a window” is the most requests forwarded in any sliding window of the limit's length: above 1× the limit leaks." }</p>
            <table class="fit" data-testid="rl-table">
                <thead><tr>
                    <th scope="col">{ "Algorithm" }</th>
                    <th scope="col">{ "Admitted" }</th>
                    <th scope="col">{ "Rejected" }</th>
                    <th scope="col">{ "Delayed" }</th>
                    <th scope="col" title="Most forwarded in any window of the limit's length">{ "Most in a window" }</th>
                    <th scope="col" title="Queue wait p50 / p95 / p99">{ "Wait p50/95/99" }</th>
                    <th scope="col" title="Peak numbers held">{ "Memory" }</th>
                    <th scope="col" title="Jain's index of admitted over fair share">{ "Fairness" }</th>
                    <th scope="col" title="Added by a central store">{ "Latency" }</th>
                </tr></thead>
                <tbody>
                { for props.rows.iter().map(|row| {
                    let kind = row.algorithm;
                    let onclick = props.onselect.reform(move |_: MouseEvent| kind);
                    html! {
                        <tr data-algorithm={kind.id()} class={classes!(row.selected.then_some("selected"))}>
                            <th scope="row"><button class="link" {onclick}>{ row.label }</button></th>
                            <td class="num" data-label="Admitted" data-testid="rl-admitted">{ &row.admitted }</td>
                            <td class="num" data-label="Rejected">{ &row.rejected }</td>
                            <td class="num" data-label="Delayed">{ &row.delayed }</td>
                            <td class="num" data-label="Most in a window" data-testid="rl-max-window">{ &row.max_window }</td>
                            <td class="num" data-label="Wait p50/95/99">{ &row.waits }</td>
                            <td class="num" data-label="Memory">{ &row.memory }</td>
                            <td class="num" data-label="Fairness">{ &row.fairness }</td>
                            <td class="num" data-label="Latency">{ &row.latency }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </section>
    }
}
