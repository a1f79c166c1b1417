//! The replication lab's comparison (`cmp=1`): the same traffic, faults and delays under each
//! quorum choice (or, with a leader, each replication mode), one row each, this run first.
//! The core builds the rows.

use syslab_core::replication::CompareRowView;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ReplCompareProps {
    pub rows: Vec<CompareRowView>,
    /// What the rows vary: "quorums" or "replication".
    pub by: &'static str,
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
        <section class="panel" aria-label={format!("{} choices compared", props.by)}>
            <h2>{ if props.by == "quorums" { "The same run, other quorums" } else { "The same run, other replication modes" } }</h2>
                <table class="fit" data-testid="repl-compare">
                    <thead>
                        <tr>
                            <th scope="col">{ props.by }</th>
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
