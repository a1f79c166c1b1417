//! The load balancer as a picture: clients on the left, the forward proxy and the balancer in
//! the middle, servers on the right with their busy slots and queue, and sampled requests as
//! dots moving along their whole trip, client → balancer → chosen server → back, smoothly
//! between steps (`use_tween`); once the run is over, each server's share of it. Clicking a
//! server (or Enter on it) takes it down or makes it slow; again restores it.

use std::rc::Rc;

use syslab_core::format::fixed;
use syslab_core::lb::{LbView, ServerView, TripView, VIEW_HEIGHT, VIEW_WIDTH};
use web_sys::KeyboardEvent;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct LbDiagramProps {
    pub view: Rc<LbView>,
    /// The algorithm's name, written on the balancer.
    pub algorithm: AttrValue,
    /// A server was clicked (by index).
    pub onserver: Callback<u32>,
    /// The step the view belongs to.
    pub revision: u64,
    /// Milliseconds until the next step is expected: the dots take that long between steps.
    pub period_ms: f64,
}

#[function_component(LbDiagram)]
pub fn lb_diagram(props: &LbDiagramProps) -> Html {
    let view = &props.view;
    let n = view.servers.len().max(1) as i32;
    // Server boxes shrink to fit many servers; the core places their centres.
    let box_h = (VIEW_HEIGHT / n - 4).clamp(3, 44);
    let entry = view.proxy.unwrap_or(view.balancer);
    // Once the run is over the balancer's links to the servers are as thick as their shares.
    let max_share = view
        .servers
        .iter()
        .map(|s| s.share_percent)
        .fold(0.0, f64::max);
    let width = |share: f64| {
        if view.over && max_share > 0.0 {
            fixed(1.5 + 10.0 * share / max_share, 1)
        } else {
            "1.5".to_owned()
        }
    };
    let links = view
        .clients
        .iter()
        .map(|c| {
            html! { <line class="lb-link" x1={c.x.to_string()} y1={c.y.to_string()} x2={entry.x.to_string()} y2={entry.y.to_string()} /> }
        })
        .chain(view.proxy.map(|p| {
            html! { <line class="lb-link" x1={p.x.to_string()} y1={p.y.to_string()} x2={view.balancer.x.to_string()} y2={view.balancer.y.to_string()} /> }
        }))
        .chain(view.servers.iter().map(|s| {
            html! { <line class="lb-link" stroke-width={width(s.share_percent)} x1={view.balancer.x.to_string()} y1={view.balancer.y.to_string()} x2={(s.at.x - 70).to_string()} y2={s.at.y.to_string()} /> }
        }))
        .collect::<Html>();
    html! {
        <section class="lb-diagram-wrap" data-look="drawing" aria-label="Clients, balancer and servers">
            <svg class="lb-diagram" data-testid="lb-diagram" viewBox={format!("0 0 {VIEW_WIDTH} {VIEW_HEIGHT}")} role="group"
                aria-label="Requests flowing from clients through the balancer to the servers">
                <g class="lb-links" aria-hidden="true">{ links }</g>
                { for view.clients.iter().map(|c| html! {
                    <circle class="lb-client" cx={c.x.to_string()} cy={c.y.to_string()} r="9" />
                }) }
                { view.proxy.map(|p| html! {
                    <g class="lb-proxy" aria-label="forward proxy">
                        <rect x={(p.x - 45).to_string()} y={(p.y - 22).to_string()} width="90" height="44" rx="6" />
                        <text x={p.x.to_string()} y={(p.y + 5).to_string()} text-anchor="middle">{ "proxy" }</text>
                    </g>
                }).unwrap_or_default() }
                <g class="lb-balancer">
                    <rect x={(view.balancer.x - 80).to_string()} y={(view.balancer.y - 30).to_string()} width="160" height="60" rx="8" />
                    <text x={view.balancer.x.to_string()} y={(view.balancer.y + 5).to_string()} text-anchor="middle">{ props.algorithm.clone() }</text>
                </g>
                { for view.servers.iter().enumerate().map(|(idx, s)| server(idx as u32, s, box_h, view.over.then_some(max_share), &props.onserver)) }
                <LbTrips view={view.clone()} revision={props.revision} period_ms={props.period_ms} />
            </svg>
            { if view.over { html! {
                <p class="legend" data-testid="lb-shares">{ "The run is over: each server's share of the requests served, as the bar and the thickness of its link." }</p>
            } } else { html! {
                <p class="legend">
                    <span class="key lb-key-request">{ "request" }</span>
                    <span class="key lb-key-response">{ "response" }</span>
                    <span class="key lb-key-refused">{ "refused (503)" }</span>
                    <span class="key lb-key-timed-out">{ "timed out" }</span>
                    <span class="key lb-key-busy">{ "busy slots" }</span>
                    <span class="key lb-key-queue">{ "queue" }</span>
                </p>
            } } }
        </section>
    }
}

#[derive(Properties, PartialEq, Clone)]
struct LbTripsProps {
    view: Rc<LbView>,
    revision: u64,
    period_ms: f64,
}

/// The request dots, redrawn every animation frame between steps (only this layer).
#[function_component(LbTrips)]
fn lb_trips(props: &LbTripsProps) -> Html {
    let f = crate::hooks::use_tween::use_tween(props.revision, props.period_ms);
    html! {
        <g class="lb-dots" aria-hidden="true">
            { for props.view.trips.iter().map(|t| trip(t, f)) }
        </g>
    }
}

fn trip(t: &TripView, f: f64) -> Html {
    let (at, kind) = t.at(f);
    html! {
        <circle key={t.id.to_string()} class={classes!("lb-dot", kind.id())} data-trip={t.id.to_string()}
            data-server={t.server.map(|s| s.to_string())} cx={at.x.to_string()} cy={at.y.to_string()} r="5" />
    }
}

/// One server: a box with its busy slots and queue as bars (once the run is over, its share
/// of the run, against the largest share `over`), clickable.
fn server(
    idx: u32,
    s: &ServerView,
    box_h: i32,
    over: Option<f64>,
    onserver: &Callback<u32>,
) -> Html {
    let (x, y) = (s.at.x - 70, s.at.y - box_h / 2);
    let onclick = onserver.reform(move |_: MouseEvent| idx);
    let onkeydown = {
        let cb = onserver.clone();
        move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                cb.emit(idx);
            }
        }
    };
    // The name on the left, then two bars: busy slots over capacity, and the queue over its
    // limit (each up to 90 units wide).
    let bar = |percent: f64| fixed(percent * 0.9, 1);
    let half = ((box_h - 6) / 2).max(1);
    let tall = box_h >= 24;
    let bars_x = if tall { x + 44 } else { x + 4 };
    html! {
        <g class={classes!("lb-server", s.class)} data-testid="lb-server" data-server={idx.to_string()}
            data-state={s.class} role="button" tabindex="0" aria-label={s.label.clone()}
            {onclick} {onkeydown}>
            <title>{ format!("{} · {} · click to {}", s.label, s.share_label, if s.class == "up" { "take it down or slow it" } else { "restore it" }) }</title>
            <rect class="lb-server-box" x={x.to_string()} y={y.to_string()} width="140" height={box_h.to_string()} rx="4" />
            { match over {
                Some(max) => html! { <>
                    <rect class="lb-share" x={bars_x.to_string()} y={(y + 2).to_string()} width={fixed(if max > 0.0 { s.share_percent / max * 50.0 } else { 0.0 }, 1)} height={(box_h - 4).max(1).to_string()} />
                    { if tall { html! {
                        <text class="lb-share-label" x={(x + 136).to_string()} y={(y + box_h / 2 + 7).to_string()} text-anchor="end">{ fixed(s.share_percent, 1) + "%" }</text>
                    } } else { html! {} } }
                </> },
                None => html! { <>
                    <rect class="lb-busy" x={bars_x.to_string()} y={(y + 2).to_string()} width={bar(s.load_percent)} height={half.to_string()} />
                    <rect class="lb-queue" x={bars_x.to_string()} y={(y + 4 + half).to_string()} width={bar(s.queue_percent)} height={half.to_string()} />
                </> },
            } }
            { if tall { html! {
                <text class="lb-server-name" x={(x + 8).to_string()} y={(y + box_h / 2 + 7).to_string()}>{ &s.name }</text>
            } } else { html! {} } }
        </g>
    }
}
