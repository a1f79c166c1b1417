//! The cache table: each run with a cache in front of B (every stampede fix side by side on
//! the same traffic with `fixcmp=1`): recomputations per refresh, the most at B at once, hit
//! ratio, stale answers and how long the reads that waited waited. The core builds the rows.

use syslab_core::resilience::CacheRowView;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ResilienceCacheProps {
    pub rows: Vec<CacheRowView>,
}

const HEADS: [&str; 8] = [
    "Recomputations",
    "Per refresh",
    "Most at B at once",
    "Hit ratio",
    "Stale answers",
    "Waited",
    "Waited p50",
    "Waited p99",
];

#[function_component(ResilienceCache)]
pub fn resilience_cache(props: &ResilienceCacheProps) -> Html {
    html! {
        <section class="panel res-table" data-look="table" aria-label="The cache stampede, fix by fix">
            <h2>{ "The hot key's stampede, fix by fix" }</h2>
            <p class="panel-sub">{ "A refresh starts when a recomputation of a key starts with none in flight and lasts while any is: recomputations per refresh is the stampede's size (1: none)." }</p>
            <table class="fit" data-testid="res-cache">
                <thead><tr>
                    <th scope="col">{ "Fix" }</th>
                    { for HEADS.iter().map(|h| html! { <th scope="col" class="num">{ *h }</th> }) }
                </tr></thead>
                <tbody>
                { for props.rows.iter().map(|r| {
                    let cells = [&r.recomputes, &r.per_refresh, &r.peak, &r.hit_ratio, &r.stale, &r.waited, &r.waited_p50, &r.waited_p99];
                    html! {
                        <tr class={classes!(r.selected.then_some("selected"))} data-run={r.label.clone()}>
                            <th scope="row">{ &r.label }</th>
                            { for cells.into_iter().zip(HEADS).map(|(c, head)| html! {
                                <td class="num" data-label={head}>{ c }</td>
                            }) }
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </section>
    }
}
