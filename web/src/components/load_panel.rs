//! Per-node load: a bar per node with its keys, ring share and load over fair share, and a
//! weight stepper.

use std::rc::Rc;

use syslab_core::ring::RingView;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct LoadPanelProps {
    pub view: Rc<RingView>,
    /// Set a node's weight.
    pub onweight: Callback<(String, u32)>,
    pub onremove: Callback<String>,
}

#[function_component(LoadPanel)]
pub fn load_panel(props: &LoadPanelProps) -> Html {
    let view = &props.view;
    html! {
        <section class="panel load" aria-label="Load per node">
            <h2>{ "Load per node" }</h2>
            <p class="panel-sub">{ &view.load_text }</p>
            <table class="load-table">
                <thead><tr>
                    <th scope="col">{ "Node" }</th><th scope="col">{ "Keys" }</th>
                    <th scope="col" class="bar-col">{ "" }</th>
                    <th scope="col" title="Share of the ring its tokens own">{ "Ring" }</th>
                    <th scope="col" title="Keys over its fair, weight-proportional share">{ "Load" }</th>
                    <th scope="col">{ "Weight" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th>
                </tr></thead>
                <tbody>
                { for view.nodes.iter().map(|n| {
                    let name = n.name.clone();
                    let weight = n.weight;
                    let dec = { let cb = props.onweight.clone(); let name = name.clone(); move |_: MouseEvent| cb.emit((name.clone(), weight.saturating_sub(1))) };
                    let inc = { let cb = props.onweight.clone(); let name = name.clone(); move |_: MouseEvent| cb.emit((name.clone(), weight + 1)) };
                    let remove = { let cb = props.onremove.clone(); let name = name.clone(); move |_: MouseEvent| cb.emit(name.clone()) };
                    html! {
                        <tr data-testid="node-row" data-node={name.clone()} class={classes!(n.overloaded.then_some("overloaded"))}>
                            <th scope="row"><span class="swatch" style={format!("background:hsl({} 70% var(--node-lightness))", n.hue)}></span>{ &n.name }</th>
                            <td data-testid="node-keys" class="num">{ &n.keys_text }</td>
                            <td class="bar-col"><span class="bar" style={format!("width:{}%;background:hsl({} 70% var(--node-lightness))", syslab_core::format::fixed(n.bar_percent, 1), n.hue)}></span></td>
                            <td class="num">{ &n.share_text }</td>
                            <td class="num">{ &n.load_text }</td>
                            <td class="weight">
                                <button class="mini" aria-label={format!("Lower {}'s weight", n.name)} onclick={dec} disabled={weight <= 1}>{ "−" }</button>
                                <span class="num">{ weight }</span>
                                <button class="mini" aria-label={format!("Raise {}'s weight", n.name)} onclick={inc}>{ "+" }</button>
                            </td>
                            <td><button class="mini" aria-label={format!("Remove node {}", n.name)} onclick={remove}>{ "✕" }</button></td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </section>
    }
}
