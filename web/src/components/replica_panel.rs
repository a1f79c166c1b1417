//! The replication view: the selected key's R replicas, walking clockwise from the key.

use syslab_core::ring::ReplicaView;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ReplicaPanelProps {
    pub replica: Option<ReplicaView>,
    pub replication: u32,
    /// The key "Next key" selects.
    pub next: usize,
    pub onselect: Callback<usize>,
}

#[function_component(ReplicaPanel)]
pub fn replica_panel(props: &ReplicaPanelProps) -> Html {
    let Some(r) = &props.replica else {
        return html! {};
    };
    let next = {
        let (cb, key) = (props.onselect.clone(), props.next);
        move |_: MouseEvent| cb.emit(key)
    };
    html! {
        <section class="panel replicas" aria-label="Replication">
            <h2>{ format!("Replicas (R = {})", props.replication) }</h2>
            <p class="panel-sub">
                { "Key " }<code data-testid="replica-key">{ &r.key }</code>
                { " is stored on the next R distinct nodes clockwise:" }
            </p>
            <ol class="replica-list" data-testid="replica-list">
                { for r.nodes.iter().enumerate().map(|(i, (name, hue, _))| html! {
                    <li>
                        <span class="swatch" data-style={format!("background:hsl({hue} 70% var(--node-lightness))")}></span>
                        { name }{ if i == 0 { " (primary)" } else { "" } }
                    </li>
                }) }
            </ol>
            <button onclick={next}>{ "Next key" }</button>
        </section>
    }
}
