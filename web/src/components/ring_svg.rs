//! The hash ring: tokens as ticks, keys as dots coloured by owner, nodes as handles that can be
//! dragged (mouse, pen, touch) or moved with the arrow keys.

use std::rc::Rc;

use syslab_core::ring::{DotLayer, Point, RingView, fraction_of};
use web_sys::{Element, KeyboardEvent, PointerEvent};
use yew::prelude::*;

/// The ring is drawn with radius 1000 in a 2600-unit square.
const VIEW_HALF: i32 = 1300;

#[derive(Properties, PartialEq, Clone)]
pub struct RingSvgProps {
    pub view: Rc<RingView>,
    /// A handle moved to a fraction of the ring while dragging.
    pub ondrag: Callback<(String, f64)>,
    /// The drag of this node ended.
    pub ondragend: Callback<String>,
    /// Keyboard: move a node by a fraction of a turn.
    pub onnudge: Callback<(String, f64)>,
    /// Keyboard: remove a node.
    pub onremove: Callback<String>,
}

fn hsl(hue: u16) -> String {
    format!("hsl({hue} 70% var(--node-lightness))")
}

/// The fraction of the ring under a pointer, from the svg's on-screen box.
fn pointer_fraction(svg: &Element, e: &PointerEvent) -> f64 {
    let rect = svg.get_bounding_client_rect();
    let cx = rect.left() + rect.width() / 2.0;
    let cy = rect.top() + rect.height() / 2.0;
    fraction_of(f64::from(e.client_x()) - cx, f64::from(e.client_y()) - cy)
}

#[function_component(RingSvg)]
pub fn ring_svg(props: &RingSvgProps) -> Html {
    let svg_ref = use_node_ref();
    // The node being dragged lives outside the reducer: it is pointer bookkeeping, not lab state.
    let dragging = use_mut_ref(|| None::<String>);
    let view = &props.view;

    let onpointermove = {
        let dragging = dragging.clone();
        let svg_ref = svg_ref.clone();
        let ondrag = props.ondrag.clone();
        move |e: PointerEvent| {
            let Some(node) = dragging.borrow().clone() else {
                return;
            };
            if let Some(svg) = svg_ref.cast::<Element>() {
                e.prevent_default();
                ondrag.emit((node, pointer_fraction(&svg, &e)));
            }
        }
    };
    let end_drag = {
        let dragging = dragging.clone();
        let svg_ref = svg_ref.clone();
        let ondragend = props.ondragend.clone();
        move |e: PointerEvent| {
            let node = dragging.borrow_mut().take();
            if let Some(node) = node {
                if let Some(svg) = svg_ref.cast::<Element>() {
                    let _ = svg.release_pointer_capture(e.pointer_id());
                }
                ondragend.emit(node);
            }
        }
    };

    // Stable across renders, so unchanged handles skip re-rendering while another is dragged.
    let ondragstart = {
        let dragging = dragging.clone();
        let svg_ref = svg_ref.clone();
        use_callback((), move |(name, e): (String, PointerEvent), _| {
            if let Some(svg) = svg_ref.cast::<Element>() {
                let _ = svg.set_pointer_capture(e.pointer_id());
            }
            *dragging.borrow_mut() = Some(name);
        })
    };
    let handles = view
        .nodes
        .iter()
        .map(|node| {
            html! {
                <NodeHandle key={node.name.clone()} name={node.name.clone()} hue={node.hue} weight={node.weight}
                    keys_text={node.keys_text.clone()} handle={node.handle} label={node.label}
                    degrees_text={node.degrees_text.clone()} ondragstart={ondragstart.clone()}
                    onnudge={props.onnudge.clone()} onremove={props.onremove.clone()} />
            }
        })
        .collect::<Html>();

    let replica = view.replica.as_ref().map(|r| {
        html! {
            <g class="replica-lines" aria-hidden="true">
                { for r.nodes.iter().enumerate().map(|(i, (_, hue, p))| html! {
                    <line class={if i == 0 { "replica-line primary" } else { "replica-line" }}
                        x1={r.at.x.to_string()} y1={r.at.y.to_string()} x2={p.x.to_string()} y2={p.y.to_string()}
                        data-style={format!("stroke:{}", hsl(*hue))} />
                }) }
                <circle class="replica-key" cx={r.at.x.to_string()} cy={r.at.y.to_string()} r="30" />
            </g>
        }
    });

    let view_box = format!("{0} {0} {1} {1}", -VIEW_HALF, 2 * VIEW_HALF);
    html! {
        <div class="ring-layers">
            // The base layer holds what a drag does not change (track, ticks, key dots as they
            // were before the change), as its own SVG so the browser does not repaint it on
            // every drag frame. Everything that moves is drawn on the interactive layer above.
            <RingBase ticks={view.ticks.clone()} dots={view.dots.clone()} view_box={view_box.clone()} />
            <svg ref={svg_ref} class="ring" viewBox={view_box}
                role="group" aria-label="Hash ring: nodes are handles you can drag or move with the arrow keys"
                onpointermove={onpointermove} onpointerup={end_drag.clone()} onpointercancel={end_drag}>
                <g class="keys" aria-hidden="true">
                    // Moved keys get a halo, under their dot in the new owner's colour.
                    <path class="moved-keys" d={view.moved_dots.clone()} />
                    { for view.moved.iter().map(|d| html! { <path key={d.owner} d={d.path.clone()} data-style={format!("stroke:{}", hsl(d.hue))} /> }) }
                </g>
                { replica.unwrap_or_default() }
                <g class="handles">{ handles }</g>
            </svg>
        </div>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct RingBaseProps {
    pub ticks: Vec<DotLayer>,
    pub dots: Vec<DotLayer>,
    pub view_box: String,
}

/// The ring's static layer: unchanged props mean no re-render and no repaint.
#[function_component(RingBase)]
pub fn ring_base(props: &RingBaseProps) -> Html {
    html! {
        <svg class="ring-base" viewBox={props.view_box.clone()} aria-hidden="true">
            <circle class="ring-track" r="1000" />
            <g class="ticks">
                { for props.ticks.iter().map(|t| html! { <path key={t.owner} d={t.path.clone()} data-style={format!("stroke:{}", hsl(t.hue))} /> }) }
            </g>
            <g class="keys">
                { for props.dots.iter().map(|d| html! { <path key={d.owner} d={d.path.clone()} data-style={format!("stroke:{}", hsl(d.hue))} /> }) }
            </g>
        </svg>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct NodeHandleProps {
    // Only what a handle shows, so load changes elsewhere do not re-render it.
    pub name: String,
    pub hue: u16,
    pub weight: u32,
    pub keys_text: String,
    pub handle: Point,
    pub label: Point,
    pub degrees_text: String,
    /// The pointer went down on this handle.
    pub ondragstart: Callback<(String, PointerEvent)>,
    pub onnudge: Callback<(String, f64)>,
    pub onremove: Callback<String>,
}

/// One node's handle: a focusable slider on the ring.
#[function_component(NodeHandle)]
pub fn node_handle(props: &NodeHandleProps) -> Html {
    let node = props;
    let onpointerdown = {
        let name = node.name.clone();
        let ondragstart = props.ondragstart.clone();
        move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            e.prevent_default();
            if let Some(target) = e
                .current_target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::SvgElement>(t).ok())
            {
                let _ = target.focus();
            }
            ondragstart.emit((name.clone(), e));
        }
    };
    let onkeydown = {
        let name = node.name.clone();
        let onnudge = props.onnudge.clone();
        let onremove = props.onremove.clone();
        move |e: KeyboardEvent| {
            let step = if e.shift_key() {
                1.0 / 36.0
            } else {
                1.0 / 360.0
            };
            match e.key().as_str() {
                "ArrowRight" | "ArrowUp" => onnudge.emit((name.clone(), step)),
                "ArrowLeft" | "ArrowDown" => onnudge.emit((name.clone(), -step)),
                "Delete" | "Backspace" => onremove.emit(name.clone()),
                _ => return,
            }
            e.prevent_default();
        }
    };
    let colour = hsl(node.hue);
    let (x, y) = (node.handle.x.to_string(), node.handle.y.to_string());
    html! {
        <g class="node-handle" data-node={node.name.clone()} tabindex="0" role="slider"
            aria-label={format!("Node {} (weight {}), {} keys. Arrow keys move it, Delete removes it.", node.name, node.weight, node.keys_text)}
            aria-valuemin="0" aria-valuemax="360" aria-valuenow={node.degrees_text.clone()}
            aria-valuetext={format!("{}°", node.degrees_text)}
            {onpointerdown} {onkeydown}>
            <circle class="handle-hit" cx={x.clone()} cy={y.clone()} r="110" />
            <circle class="handle-dot" cx={x} cy={y} r="58" data-style={format!("fill:{colour}")} />
            <text class="handle-label" x={node.label.x.to_string()} y={node.label.y.to_string()}>{ &node.name }</text>
        </g>
    }
}
