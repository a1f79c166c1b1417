//! The replication lab's quorum comparison (`cmp=1`): the same traffic, faults and delays
//! under each quorum choice, one row each, this run first. The core builds the rows.

use syslab_core::replication::CompareRowView;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ReplCompareProps {
    pub rows: Vec<CompareRowView>,
}

const HEADS: [&str; 6] = [
    "writes refused",
    "reads refused",
    "stale reads",
    "acked, then lost",
    "read-your-writes",
    "monotonic reads",
];

#[function_component(ReplCompare)]
pub fn repl_compare(props: &ReplCompareProps) -> Html {
    html! {
        <section class="panel" aria-label="Quorum choices compared">
            <h2>{ "The same run, other quorums" }</h2>
                <table class="fit" data-testid="repl-compare">
                    <thead>
                        <tr>
                            <th scope="col">{ "quorums" }</th>
                            { for HEADS.iter().map(|h| html! { <th scope="col" class="num">{ *h }</th> }) }
                        </tr>
                    </thead>
                    <tbody>
                    { for props.rows.iter().map(|r| html! {
                        <tr>
                            <th scope="row">{ &r.label }</th>
                            { for r.cells.iter().zip(r.alarms).zip(HEADS).map(|((c, alarm), head)| html! {
                                <td class={classes!("num", alarm.then_some("alarm"))} data-label={head}>{ c }</td>
                            }) }
                        </tr>
                    }) }
                    </tbody>
                </table>
        </section>
    }
}
