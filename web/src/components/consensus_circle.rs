//! The Raft cluster as a picture: servers on a circle coloured by role with their term and
//! their election timer as an arc, every link (dotted when cut, dashed when cut one way), and
//! the messages on the wire where they are now. Clicking a server (or Enter on it) crashes
//! it, restarts it or resumes it; clicking a link cuts or heals it.

use std::rc::Rc;

use syslab_core::consensus::{LinkView, NODE_RADIUS, NodeView, RaftView, VIEW_HEIGHT, VIEW_WIDTH};
use web_sys::KeyboardEvent;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ConsensusCircleProps {
    pub view: Rc<RaftView>,
    /// A server (0-based) was clicked.
    pub onnode: Callback<u8>,
    /// The link between two servers (0-based) was clicked.
    pub onlink: Callback<(u8, u8)>,
}

/// Enter or Space on a focused element acts as a click.
fn on_enter<T: Clone + 'static>(cb: &Callback<T>, value: T) -> impl Fn(KeyboardEvent) + 'static {
    let cb = cb.clone();
    move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            cb.emit(value.clone());
        }
    }
}

#[function_component(ConsensusCircle)]
pub fn consensus_circle(props: &ConsensusCircleProps) -> Html {
    let view = &props.view;
    html! {
        <section class="raft-circle-wrap" data-look="drawing" aria-label="The cluster">
            <svg class="raft-circle" data-testid="raft-circle" viewBox={format!("0 0 {VIEW_WIDTH} {VIEW_HEIGHT}")}
                role="group" aria-label="Servers on a circle; click a server to crash or restart it, a link to cut or heal it">
                { for view.links.iter().map(|l| link(l, &props.onlink)) }
                <g class="raft-messages" aria-hidden="true">
                    { for view.messages.iter().map(|m| html! {
                        <circle class={classes!("raft-msg", m.class)} data-testid="raft-msg"
                            cx={m.x.to_string()} cy={m.y.to_string()} r="6"><title>{ &m.title }</title></circle>
                    }) }
                </g>
                { for view.nodes.iter().map(|n| node(n, &props.onnode)) }
            </svg>
            <p class="legend">
                <span class="key raft-key-leader">{ "leader" }</span>
                <span class="key raft-key-candidate">{ "candidate" }</span>
                <span class="key raft-key-follower">{ "follower (ring: election timer)" }</span>
                <span class="key raft-key-crashed">{ "crashed or paused" }</span>
                <span class="key raft-key-vote">{ "vote request / vote" }</span>
                <span class="key raft-key-append">{ "AppendEntries / heartbeat / reply" }</span>
            </p>
        </section>
    }
}

/// One link: a wide invisible hit area under the visible line, clickable and focusable.
fn link(l: &LinkView, onlink: &Callback<(u8, u8)>) -> Html {
    let (a, b) = (l.a, l.b);
    let onclick = onlink.reform(move |_: MouseEvent| (a, b));
    let onkeydown = on_enter(onlink, (a, b));
    let (x1, y1, x2, y2) = (
        l.x1.to_string(),
        l.y1.to_string(),
        l.x2.to_string(),
        l.y2.to_string(),
    );
    let label = format!("link S{}—S{}: {}", a + 1, b + 1, l.state);
    html! {
        <g class={classes!("raft-link", l.state)} data-testid="raft-link" data-link={format!("{}-{}", a + 1, b + 1)}
            data-state={l.state} role="button" tabindex="0" aria-label={label.clone()} {onclick} {onkeydown}>
            <title>{ format!("{label} · click to {}", if l.state == "ok" { "cut it" } else { "heal it" }) }</title>
            <line class="raft-link-hit" x1={x1.clone()} y1={y1.clone()} x2={x2.clone()} y2={y2.clone()} />
            <line class="raft-link-line" {x1} {y1} {x2} {y2} />
        </g>
    }
}

/// One server: its disc coloured by role, its name and term, and its timer's arc.
fn node(n: &NodeView, onnode: &Callback<u8>) -> Html {
    let idx = n.index;
    let onclick = onnode.reform(move |_: MouseEvent| idx);
    let onkeydown = on_enter(onnode, idx);
    let action = match n.status {
        "crashed" => "restart it",
        "paused" => "resume it",
        _ => "crash it",
    };
    html! {
        <g class={classes!("raft-node", n.role, n.status)} data-testid="raft-node" data-node={n.name.clone()}
            data-role={n.role} data-status={n.status} data-term={n.term.to_string()}
            role="button" tabindex="0" {onclick} {onkeydown}>
            <title>{ format!("{} · click to {action}", n.title) }</title>
            <circle class="raft-node-disc" cx={n.x.to_string()} cy={n.y.to_string()} r={NODE_RADIUS.to_string()} />
            if !n.timer.is_empty() {
                <path class="raft-timer" d={n.timer.clone()} />
            }
            <text class="raft-node-name" x={n.x.to_string()} y={(n.y - 2).to_string()} text-anchor="middle">{ &n.name }</text>
            <text class="raft-node-term" x={n.x.to_string()} y={(n.y + 16).to_string()} text-anchor="middle">{ format!("term {}", n.term) }</text>
        </g>
    }
}
