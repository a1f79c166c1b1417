//! The replication view: the selected key's R replicas, walking clockwise from the key.

use std::rc::Rc;

use syslab_core::ring::RingView;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ReplicaPanelProps {
    pub view: Rc<RingView>,
    pub replication: u32,
    /// Show the next key.
    pub onnext: Callback<()>,
}

#[function_component(ReplicaPanel)]
pub fn replica_panel(props: &ReplicaPanelProps) -> Html {
    let Some(r) = &props.view.replica else {
        return html! {};
    };
    let next = props.onnext.reform(|_: MouseEvent| ());
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
                        <span class="swatch" style={format!("background:hsl({hue} 70% var(--node-lightness))")}></span>
                        { name }{ if i == 0 { " (primary)" } else { "" } }
                    </li>
                }) }
            </ol>
            <button onclick={next}>{ "Next key" }</button>
        </section>
    }
}
