//! Per-node load: a bar per node with its keys, ring share and load over fair share, and a
//! weight stepper. Each row is its own component, so a drag re-renders only the rows it changes.

use syslab_core::ring::NodeView;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct LoadPanelProps {
    pub nodes: Vec<NodeView>,
    /// "max/fair 1.21× · σ 31.2 keys".
    pub load_text: String,
    /// Set a node's weight.
    pub onweight: Callback<(String, u32)>,
    pub onremove: Callback<String>,
}

#[function_component(LoadPanel)]
pub fn load_panel(props: &LoadPanelProps) -> Html {
    html! {
        <section class="panel load" aria-label="Load per node">
            <h2>{ "Load per node" }</h2>
            <p class="panel-sub">{ &props.load_text }</p>
            <table class="load-table">
                <thead><tr>
                    <th scope="col">{ "Node" }</th><th scope="col">{ "Keys" }</th>
                    <th scope="col" class="bar-col"><span class="visually-hidden">{ "Load bar" }</span></th>
                    <th scope="col" title="Share of the ring its tokens own">{ "Ring" }</th>
                    <th scope="col" title="Keys over its fair, weight-proportional share">{ "Load" }</th>
                    <th scope="col">{ "Weight" }</th><th scope="col"><span class="visually-hidden">{ "Remove" }</span></th>
                </tr></thead>
                <tbody>
                { for props.nodes.iter().map(|n| html! {
                    <LoadRow key={n.name.clone()} node={n.clone()} onweight={props.onweight.clone()} onremove={props.onremove.clone()} />
                }) }
                </tbody>
            </table>
        </section>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct LoadRowProps {
    pub node: NodeView,
    pub onweight: Callback<(String, u32)>,
    pub onremove: Callback<String>,
}

#[function_component(LoadRow)]
pub fn load_row(props: &LoadRowProps) -> Html {
    let n = &props.node;
    let weight = n.weight;
    let emit_weight = |w: u32| {
        let cb = props.onweight.clone();
        let name = n.name.clone();
        move |_: MouseEvent| cb.emit((name.clone(), w))
    };
    let remove = {
        let cb = props.onremove.clone();
        let name = n.name.clone();
        move |_: MouseEvent| cb.emit(name.clone())
    };
    let colour = format!("hsl({} 70% var(--node-lightness))", n.hue);
    html! {
        <tr data-testid="node-row" data-node={n.name.clone()} class={classes!(n.overloaded.then_some("overloaded"))}>
            <th scope="row"><span class="swatch" data-style={format!("background:{colour}")}></span>{ &n.name }</th>
            <td data-testid="node-keys" class="num">{ &n.keys_text }</td>
            <td class="bar-col"><span class="bar" data-style={format!("width:{}%;background:{colour}", syslab_core::format::fixed(n.bar_percent, 1))}></span></td>
            <td class="num">{ &n.share_text }</td>
            <td class="num">{ &n.load_text }</td>
            <td class="weight">
                <button class="mini" aria-label={format!("Lower {}'s weight", n.name)} onclick={emit_weight(weight.saturating_sub(1))} disabled={weight <= 1}>{ "−" }</button>
                <span class="num">{ weight }</span>
                <button class="mini" aria-label={format!("Raise {}'s weight", n.name)} onclick={emit_weight(weight + 1)}>{ "+" }</button>
            </td>
            <td><button class="mini" aria-label={format!("Remove node {}", n.name)} onclick={remove}>{ "✕" }</button></td>
        </tr>
    }
}
