//! The call chain as a picture: clients on the left, then tiers A, B (and C), each with its
//! load gauge, queue and fault marker; each link with its policy, its attempt rate (red
//! while retries are a storm) and, where there is one, its circuit breaker's state. Clicking
//! a tier (or Enter on it) starts the chosen fault on it now; clicking it again ends it.

use std::rc::Rc;

use syslab_core::resilience::{LinkView, ResView, TierView, VIEW_HEIGHT, VIEW_WIDTH};
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// A tier box's half width and half height, in view units.
const HALF_W: i32 = 58;
const HALF_H: i32 = 34;

#[derive(Properties, PartialEq, Clone)]
pub struct ResilienceChainProps {
    pub view: Rc<ResView>,
    /// A tier was clicked (0 is A).
    pub ontier: Callback<u8>,
}

#[function_component(ResilienceChain)]
pub fn resilience_chain(props: &ResilienceChainProps) -> Html {
    let view = &props.view;
    let (cx, cy) = view.clients;
    html! {
        <section class="res-chain-wrap" data-look="drawing" aria-label="The call chain">
            <svg class="res-chain" data-testid="res-chain" viewBox={format!("0 0 {VIEW_WIDTH} {VIEW_HEIGHT}")} role="group"
                aria-label="Clients call A, A calls B, and so on: each tier's load, fault and breaker">
                { for view.links.iter().map(link) }
                <g class="res-clients">
                    <circle cx={cx.to_string()} cy={cy.to_string()} r="16" />
                    <text x={cx.to_string()} y={(cy + 34).to_string()} text-anchor="middle">{ "clients" }</text>
                </g>
                { for view.tiers.iter().map(|t| tier(t, &props.ontier)) }
            </svg>
            <p class="legend">
                <span class="key res-key-load">{ "slots busy" }</span>
                <span class="key res-key-queue">{ "queue" }</span>
                <span class="key res-key-storm">{ "retry storm (over 10% retries)" }</span>
                <span class="key res-key-open">{ "breaker open" }</span>
            </p>
        </section>
    }
}

/// One link: the line (into the tier's box), its policy above, its attempt rate below, and
/// the breaker's state as a badge at its middle.
fn link(l: &LinkView) -> Html {
    let (x0, x1) = (l.x0 + if l.x0 <= 40 { 16 } else { HALF_W }, l.x1 - HALF_W);
    let mid = (x0 + x1) / 2;
    html! {
        <g class={classes!("res-link", l.storm.then_some("storm"))} data-testid="res-link">
            <line x1={x0.to_string()} y1={l.y.to_string()} x2={x1.to_string()} y2={l.y.to_string()} />
            <text class="res-policy" x={mid.to_string()} y={(l.y - 58).to_string()} text-anchor="middle">{ &l.policy }</text>
            <text class="res-rate" x={mid.to_string()} y={(l.y + 50).to_string()} text-anchor="middle">{ &l.rate }</text>
            { for l.breaker.map(|b| html! {
                <g class={classes!("res-breaker", b.label())} data-testid="res-breaker" data-state={b.label()}>
                    <rect x={(mid - 32).to_string()} y={(l.y - 10).to_string()} width="64" height="20" rx="10" />
                    <text x={mid.to_string()} y={(l.y + 4).to_string()} text-anchor="middle">{ b.label() }</text>
                </g>
            }) }
        </g>
    }
}

/// One tier: a box with its name, fault, load gauge and queue, clickable.
fn tier(t: &TierView, ontier: &Callback<u8>) -> Html {
    let idx = t.index;
    let onclick = ontier.reform(move |_: MouseEvent| idx);
    let onkeydown = {
        let cb = ontier.clone();
        move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                cb.emit(idx);
            }
        }
    };
    let (x, y) = (t.x - HALF_W, t.y - HALF_H);
    let gauge_w = 2 * HALF_W - 16;
    let fill = |num: u32, den: u32| (gauge_w * num.min(den) as i32 / den.max(1) as i32).to_string();
    html! {
        <g class={classes!("res-tier", t.state)} data-testid="res-tier" data-tier={t.name} data-state={t.state}
            data-load={t.load_pct.to_string()} role="button" tabindex="0"
            {onclick} {onkeydown}>
            <title>{ &t.title }</title>
            <rect class="res-tier-box" x={x.to_string()} y={y.to_string()} width={(2 * HALF_W).to_string()} height={(2 * HALF_H).to_string()} rx="6" />
            <text class="res-tier-name" x={(x + 8).to_string()} y={(y + 18).to_string()}>{ t.name }</text>
            <text class="res-tier-load" x={(x + 2 * HALF_W - 8).to_string()} y={(y + 18).to_string()} text-anchor="end">{ format!("{}%", t.load_pct) }</text>
            <rect class="res-gauge-bg" x={(x + 8).to_string()} y={(y + 26).to_string()} width={gauge_w.to_string()} height="9" />
            <rect class="res-gauge" x={(x + 8).to_string()} y={(y + 26).to_string()} width={fill(t.load_pct, 100)} height="9" />
            <rect class="res-gauge-bg" x={(x + 8).to_string()} y={(y + 39).to_string()} width={gauge_w.to_string()} height="5" />
            <rect class="res-queue" x={(x + 8).to_string()} y={(y + 39).to_string()} width={fill(t.queued, t.queue_limit)} height="5" />
            <text class="res-tier-caption" x={t.x.to_string()} y={(y + 60).to_string()} text-anchor="middle">{ &t.caption }</text>
            { if t.fault.is_empty() { html! {} } else { html! {
                <text class="res-fault" data-testid="res-fault" x={t.x.to_string()} y={(y - 6).to_string()} text-anchor="middle">{ format!("⚠ {}", t.fault) }</text>
            } } }
        </g>
    }
}
