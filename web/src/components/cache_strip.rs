//! The cache's slots as a strip of boxes with their keys. Each step flashes the slots it touched
//! (hit, stale hit, insert, evict, write); dirty entries carry a dot. Beside it, the latest
//! requests in words and a summary of the last step, for speeds where flashes blur.

use std::rc::Rc;

use syslab_core::cache::{CacheView, SLOT_COLUMNS, SLOT_SIZE};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct CacheStripProps {
    pub view: Rc<CacheView>,
}

#[function_component(CacheStrip)]
pub fn cache_strip(props: &CacheStripProps) -> Html {
    let view = &props.view;
    let width = SLOT_COLUMNS as i32 * (SLOT_SIZE + 4);
    let height = view.strip_height.max(SLOT_SIZE);
    html! {
        <section class="cache-strip-panel" data-look="drawing" aria-label="The cache's slots">
            <svg class="cache-strip" data-testid="cache-strip" viewBox={format!("-2 -2 {} {}", width + 4, height + 4)}
                role="img" aria-label={view.summary.clone()}>
                { for view.slots.iter().map(|s| html! {
                    <g class={classes!("cache-slot", s.flash.id(), s.dirty.then_some("dirty"), s.stale.then_some("stale"), s.label.is_empty().then_some("empty"))}
                        data-testid="cache-slot" data-slot={s.slot.to_string()} data-flash={s.flash.id()}>
                        <title>{ &s.title }</title>
                        <rect x={s.x.to_string()} y={s.y.to_string()} width={SLOT_SIZE.to_string()} height={SLOT_SIZE.to_string()} rx="6" />
                        <text x={(s.x + SLOT_SIZE / 2).to_string()} y={(s.y + SLOT_SIZE / 2 + 5).to_string()} text-anchor="middle">{ &s.label }</text>
                        { if s.dirty { html! { <circle class="dirty-dot" cx={(s.x + SLOT_SIZE - 8).to_string()} cy={(s.y + 8).to_string()} r="4" /> } } else { html! {} } }
                    </g>
                }) }
            </svg>
            { if view.hidden_slots > 0 { html! {
                <p class="panel-sub">{ format!("… and {} more slots, not drawn; every number counts them.", syslab_core::format::thousands(u64::from(view.hidden_slots))) }</p>
            } } else { html! {} } }
            <p class="legend cache-legend">
                <span class="key cache-key-hit">{ "hit" }</span>
                <span class="key cache-key-insert">{ "insert (miss)" }</span>
                <span class="key cache-key-evict">{ "evict" }</span>
                <span class="key cache-key-write">{ "write" }</span>
                <span class="key cache-key-stale">{ "stale hit" }</span>
                <span class="key cache-key-dirty">{ "dirty (not in the database yet)" }</span>
            </p>
            <div class="cache-recent-row">
                <p class="cache-summary" data-testid="cache-summary">{ &view.summary }</p>
                <ol class="cache-recent" data-testid="cache-recent" aria-label="Latest requests, newest first">
                    { for view.recent.iter().map(|r| html! {
                        <li class={r.outcome.id()}>{ &r.text }</li>
                    }) }
                </ol>
            </div>
        </section>
    }
}
