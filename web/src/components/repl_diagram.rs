//! The replicas on a circle, every link between them, and the messages in flight. Clicking a
//! link (or Enter on it) cuts it both ways from now on, or heals it; a link cut one way is
//! dashed. Clicking a replica crashes it, or restarts it; with a leader, the leader and the
//! deposed one are marked.

use std::rc::Rc;

use syslab_core::replication::{LinkView, ReplView, ReplicaView, VIEW_SIZE};
use web_sys::KeyboardEvent;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ReplDiagramProps {
    pub view: Rc<ReplView>,
    /// The link between two replicas (0-based) was clicked.
    pub onlink: Callback<(u32, u32)>,
    /// A replica (0-based) was clicked.
    pub onreplica: Callback<u32>,
}

const DOT_CLASSES: [&str; 6] = ["write", "ack", "read", "reply", "repair", "beat"];

#[function_component(ReplDiagram)]
pub fn repl_diagram(props: &ReplDiagramProps) -> Html {
    let view = &props.view;
    html! {
        <section class="repl-diagram-wrap" data-look="drawing" aria-label="Replicas and links">
            <svg class="repl-diagram" data-testid="repl-diagram" viewBox={format!("-40 -10 {} {}", VIEW_SIZE + 80, VIEW_SIZE + 20)}
                role="group" aria-label="Replicas on a circle; click a link to cut or heal it">
                { for view.links.iter().map(|l| link(l, &props.onlink)) }
                <g class="repl-dots" aria-hidden="true">
                    { for view.dots.iter().map(|d| html! {
                        <circle class={classes!("repl-dot", DOT_CLASSES[usize::from(d.kind.min(5))])}
                            cx={d.at.x.to_string()} cy={d.at.y.to_string()} r="5" />
                    }) }
                </g>
                { for view.replicas.iter().enumerate().map(|(i, r)| replica(i as u32, r, &props.onreplica)) }
            </svg>
            <p class="legend">
                <span class="key repl-key-write">{ "write" }</span>
                <span class="key repl-key-ack">{ "acknowledgement" }</span>
                <span class="key repl-key-read">{ "read" }</span>
                <span class="key repl-key-reply">{ "reply" }</span>
                <span class="key repl-key-repair">{ "repair" }</span>
                <span class="key repl-key-cut">{ "cut (dotted; dashed: one way)" }</span>
                if view.leader {
                    <>
                        <span class="key repl-key-beat">{ "heartbeat" }</span>
                        <span class="key repl-key-leader">{ "leader (thick ring; deposed: dashed)" }</span>
                    </>
                }
            </p>
        </section>
    }
}

/// One replica: clickable and focusable; its role (leader, deposed) and whether it is down are
/// classes.
fn replica(i: u32, r: &ReplicaView, onreplica: &Callback<u32>) -> Html {
    let onclick = onreplica.reform(move |_: MouseEvent| i);
    let onkeydown = {
        let cb = onreplica.clone();
        move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                cb.emit(i);
            }
        }
    };
    let role = if r.role.is_empty() {
        String::new()
    } else {
        format!(" ({})", r.role)
    };
    let state = if r.down { ", down" } else { "" };
    let label = format!(
        "{}{role}{state} · click to {}",
        r.name,
        if r.down { "restart it" } else { "crash it" }
    );
    html! {
        <g class={classes!("repl-replica", (!r.role.is_empty()).then_some(r.role), r.down.then_some("down"))}
            data-testid="repl-replica" data-role={r.role} data-down={r.down.to_string()}
            role="button" tabindex="0" aria-label={label.clone()} {onclick} {onkeydown}>
            <circle cx={r.at.x.to_string()} cy={r.at.y.to_string()} r="24" />
            <text x={r.at.x.to_string()} y={(r.at.y + 6).to_string()} text-anchor="middle">{ &r.name }</text>
            <title>{ format!("{label} · {} {}", r.keys, r.clock) }</title>
        </g>
    }
}

/// One link: a wide invisible hit area under the visible line, clickable and focusable.
fn link(l: &LinkView, onlink: &Callback<(u32, u32)>) -> Html {
    let (a, b) = (l.a, l.b);
    let onclick = onlink.reform(move |_: MouseEvent| (a, b));
    let onkeydown = {
        let cb = onlink.clone();
        move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                cb.emit((a, b));
            }
        }
    };
    let state = match (l.cut_ab, l.cut_ba) {
        (false, false) => "open",
        (true, true) => "cut",
        _ => "one-way",
    };
    let (x1, y1, x2, y2) = (
        l.from.x.to_string(),
        l.from.y.to_string(),
        l.to.x.to_string(),
        l.to.y.to_string(),
    );
    html! {
        <g class={classes!("repl-link", state)} data-testid="repl-link" data-link={format!("{}-{}", a + 1, b + 1)}
            data-state={state} role="button" tabindex="0" aria-label={l.label.clone()} {onclick} {onkeydown}>
            <title>{ format!("{} · click to {}", l.label, if state == "open" { "cut it" } else { "heal it" }) }</title>
            <line class="repl-link-hit" x1={x1.clone()} y1={y1.clone()} x2={x2.clone()} y2={y2.clone()} />
            <line class="repl-link-line" {x1} {y1} {x2} {y2} />
        </g>
    }
}
