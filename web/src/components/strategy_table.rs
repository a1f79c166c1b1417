//! Every placement strategy on the same keys: keys moved by the last change, load balance on
//! the keys, and how evenly it divides the hash space itself.

use syslab_core::ring::{StrategyKind, StrategyRowView};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct StrategyTableProps {
    pub rows: Vec<StrategyRowView>,
    pub onselect: Callback<StrategyKind>,
}

#[function_component(StrategyTable)]
pub fn strategy_table(props: &StrategyTableProps) -> Html {
    html! {
        <section class="panel strategies" data-look="table" aria-label="Strategies compared">
            <h2>{ "Strategies on the same keys" }</h2>
            <p class="panel-sub">{ "Keys moved by the last change, how even the load is on these keys and on the whole hash space. Click a row to colour the ring by it." }</p>
            <table data-testid="strategy-table" class="strategy-table">
                <thead><tr>
                    <th scope="col">{ "Strategy" }</th>
                    <th scope="col">{ "Moved" }</th>
                    <th scope="col" title="Most keys on a node over its fair share">{ "Max/fair" }</th>
                    <th scope="col" title="Largest node's share of the hash space over its fair share: the balance with many keys, without sampling noise">{ "Space max/fair" }</th>
                    <th scope="col" title="Standard deviation of keys per node">{ "σ" }</th>
                </tr></thead>
                <tbody>
                { for props.rows.iter().map(|row| {
                    let s = row.strategy;
                    let onclick = props.onselect.reform(move |_: MouseEvent| s);
                    html! {
                        <tr class={classes!(row.selected.then_some("selected"))} data-strategy={s.id()}
                            aria-selected={row.selected.to_string()}>
                            <th scope="row">
                                <button class="link" {onclick}>{ row.label }</button>
                                { if row.weighted { html!{} } else { html!{ <span class="tag" title="Ignores node weights">{ "unweighted" }</span> } } }
                            </th>
                            { if row.computing { html! {
                                // Placed in slices after a change: no stale figures meanwhile.
                                <td class="computing" colspan="4" aria-busy="true"
                                    data-testid="strategy-computing">{ "computing…" }</td>
                            } } else { html! { <>
                                <td class="num">{ &row.moved_text }</td>
                                <td class="num">{ &row.max_text }</td>
                                <td class="num" title={row.space_title.clone()}>{ &row.space_text }</td>
                                <td class="num">{ &row.std_text }</td>
                            </> } } }
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </section>
    }
}
