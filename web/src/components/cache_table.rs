//! Every policy on the identical request stream, in one table with hit-ratio bars.

use syslab_core::cache::{CHART_WIDTH, PolicyKind, RowView};
use syslab_core::format::fixed;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct CacheTableProps {
    pub rows: Vec<RowView>,
    /// Show this policy.
    pub onselect: Callback<PolicyKind>,
}

#[function_component(CacheTable)]
pub fn cache_table(props: &CacheTableProps) -> Html {
    html! {
        <section class="panel cache-compare" data-look="table" aria-label="Policies compared">
            <h2>{ "Same requests, every policy" }</h2>
            <p class="panel-sub">{ "Bélády's optimum knows the future: no policy can beat it at the same size." }</p>
            <table data-testid="cache-table">
                <thead><tr>
                    <th scope="col">{ "Policy" }</th>
                    <th scope="col">{ "Hit ratio" }</th>
                    <th scope="col" class="bar-col"><span class="visually-hidden">{ "Hit ratio bar" }</span></th>
                    <th scope="col" title="Share of requested bytes not served from the cache">{ "Byte miss ratio" }</th>
                    <th scope="col">{ "Evictions" }</th>
                </tr></thead>
                <tbody>
                { for props.rows.iter().map(|row| {
                    let policy = row.policy;
                    let onclick = props.onselect.reform(move |_: MouseEvent| policy);
                    html! {
                        <tr data-policy={policy.id()} class={classes!(row.selected.then_some("selected"))}>
                            <th scope="row"><button class="link" {onclick}>{ row.label }</button></th>
                            <td class="num" data-testid="cache-hit-ratio">{ &row.hit_ratio }</td>
                            <td class="bar-col" aria-hidden="true">
                                <span class="bar" data-policy={policy.id()} data-style={format!("width:{}%", fixed(f64::from(row.bar) * 100.0 / f64::from(CHART_WIDTH), 1))}></span>
                            </td>
                            <td class="num">{ &row.byte_miss_ratio }</td>
                            <td class="num">{ &row.evictions }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </section>
    }
}
