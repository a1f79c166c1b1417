//! The accounting table: how every client request ended under each policy set (each ends
//! exactly once), with the amplification at the deepest tier, the tail and the verdict.

use syslab_core::resilience::RowView;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ResilienceTableProps {
    pub rows: Vec<RowView>,
}

#[function_component(ResilienceTable)]
pub fn resilience_table(props: &ResilienceTableProps) -> Html {
    html! {
        <section class="panel res-table" data-look="table" aria-label="Where every request went">
            <h2>{ "Where every request went" }</h2>
            <p class="panel-sub">{ "Each client request ends once: a success, an error, a timeout, shed by a full queue or a tier that is down, refused by an open breaker, or throttled at the client. Amplification is attempts at the deepest tier per client request." }</p>
            <table class="fit" data-testid="res-table">
                <thead><tr>
                    <th scope="col">{ "Policies" }</th>
                    <th scope="col">{ "Sent" }</th>
                    <th scope="col">{ "Succeeded" }</th>
                    <th scope="col">{ "Errors" }</th>
                    <th scope="col">{ "Timed out" }</th>
                    <th scope="col">{ "Shed" }</th>
                    <th scope="col">{ "Breaker" }</th>
                    <th scope="col">{ "Throttled" }</th>
                    <th scope="col">{ "Goodput" }</th>
                    <th scope="col">{ "Amplification" }</th>
                    <th scope="col">{ "p99" }</th>
                    <th scope="col">{ "Wasted work" }</th>
                    <th scope="col">{ "After the fault" }</th>
                </tr></thead>
                <tbody>
                { for props.rows.iter().map(|row| html! {
                    <tr class={classes!(row.selected.then_some("selected"))} data-run={row.label.clone()}>
                        <th scope="row">{ &row.label }</th>
                        <td class="num" data-label="Sent" data-testid="res-sent">{ &row.sent }</td>
                        <td class="num" data-label="Succeeded" data-testid="res-successes">{ &row.successes }</td>
                        <td class="num" data-label="Errors" data-testid="res-errors">{ &row.errors }</td>
                        <td class="num" data-label="Timed out" data-testid="res-timeouts">{ &row.timeouts }</td>
                        <td class="num" data-label="Shed" data-testid="res-shed">{ &row.shed }</td>
                        <td class="num" data-label="Breaker" data-testid="res-broken">{ &row.broken }</td>
                        <td class="num" data-label="Throttled" data-testid="res-throttled">{ &row.throttled }</td>
                        <td class="num" data-label="Goodput" data-testid="res-goodput-share">{ &row.goodput }</td>
                        <td class="num" data-label="Amplification" data-testid="res-amplification">{ &row.amplification }</td>
                        <td class="num" data-label="p99">{ &row.p99 }</td>
                        <td class="num" data-label="Wasted work">{ &row.wasted }</td>
                        <td data-label="After the fault" data-testid="res-recovery">{ &row.recovery }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        </section>
    }
}
