//! The consensus lab's panels: the safety banner (green while every property holds; the
//! violated property and the events before it otherwise), each server's log as a strip of
//! entries coloured by term and filled once committed, and the statistics table.

use std::rc::Rc;

use syslab_core::consensus::{RaftView, SafetyView};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct SafetyProps {
    pub safety: SafetyView,
}

#[function_component(ConsensusSafety)]
pub fn consensus_safety(props: &SafetyProps) -> Html {
    let s = &props.safety;
    html! {
        <section class={classes!("raft-safety", if s.ok { "ok" } else { "violated" })} data-testid="raft-safety"
            data-ok={s.ok.to_string()} data-look="status" aria-live="polite">
            <strong>{ &s.title }</strong>{ " " }{ &s.text }
            if !s.recent.is_empty() {
                <ol class="raft-recent" data-testid="raft-recent">
                    { for s.recent.iter().map(|e| html! { <li>{ e }</li> }) }
                </ol>
            }
        </section>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct ViewProps {
    pub view: Rc<RaftView>,
}

/// Terms cycle through this many colours.
const TERM_COLOURS: u64 = 8;

#[function_component(ConsensusLogs)]
pub fn consensus_logs(props: &ViewProps) -> Html {
    html! {
        <section class="panel raft-logs" aria-label="Logs">
            <h2>{ "Logs" }</h2>
            <table data-testid="raft-logs">
                <tbody>
                { for props.view.logs.iter().map(|l| html! {
                    <tr class={classes!(l.status, l.role)}>
                        <th scope="row">{ &l.name }</th>
                        <td class="raft-strip">
                            if l.hidden > 0 {
                                <span class="raft-hidden">{ format!("{} more …", l.hidden) }</span>
                            }
                            { for l.cells.iter().map(|c| html! {
                                <span class={classes!("raft-cell", format!("t{}", c.term % TERM_COLOURS), c.committed.then_some("committed"))}
                                    title={format!("index {}, term {}{}", c.index, c.term, if c.committed { ", committed" } else { "" })}>
                                    { c.term }
                                </span>
                            }) }
                        </td>
                    </tr>
                }) }
                </tbody>
            </table>
        </section>
    }
}

#[function_component(ConsensusStats)]
pub fn consensus_stats(props: &ViewProps) -> Html {
    html! {
        <section class="panel" data-look="table" aria-label="Statistics">
            <h2>{ "Statistics" }</h2>
            <table data-testid="raft-stats">
                <tbody>
                { for props.view.stats.iter().map(|(label, value)| html! {
                    <tr>
                        <th scope="row">{ *label }</th>
                        <td class="num">{ value }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        </section>
    }
}
