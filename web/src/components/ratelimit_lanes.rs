//! The rate limiter's timelines: one lane per algorithm with every arrival as a mark coloured by
//! its outcome, the window boundaries, and the bucket's level; then the whole run's admitted and
//! rejected rates on the shared chart, with the limit's rate as a reference line.

use std::rc::Rc;

use syslab_core::format::fixed;
use syslab_core::ratelimit::{LaneView, Outcome, RateLimitView};
use yew::prelude::*;

use super::chart::Chart;

#[derive(Properties, PartialEq, Clone)]
pub struct RateLimitLanesProps {
    pub view: Rc<RateLimitView>,
}

/// The CSS class of an outcome's marks.
fn mark_class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Allowed => "mark-allow",
        Outcome::Rejected => "mark-reject",
        Outcome::Delayed => "mark-delay",
    }
}

#[function_component(RateLimitLanes)]
pub fn rate_limit_lanes(props: &RateLimitLanesProps) -> Html {
    let view = &props.view;
    let boundaries = view
        .boundaries
        .iter()
        .map(|x| html! { <line class="rl-boundary" x1={x.to_string()} y1="0" x2={x.to_string()} y2="100" /> })
        .collect::<Html>();
    html! {
        <section class="rl-timeline" data-look="drawing" aria-label="Arrivals over time, by outcome">
            { for view.lanes.iter().map(|lane| lane_html(lane, &boundaries)) }
            <div class="rl-axis" aria-hidden="true">
                { for view.axis.iter().map(|(x, label)| html! {
                    <span data-style={format!("left:{}%", fixed(f64::from(*x) / 10.0, 1))}>{ label }</span>
                }) }
            </div>
            <div class="rl-legend">
                <span class="key mark-allow">{ "allowed" }</span>
                <span class="key mark-delay">{ "delayed (queued)" }</span>
                <span class="key mark-reject">{ "rejected: 429" }</span>
                <span class="key rl-level-key">{ "bucket / window level" }</span>
                <span class="key rl-boundary-key">{ "window boundary" }</span>
            </div>
            <Chart view={view.rate_chart.clone()} title="Admitted and rejected requests per second, whole run, shown algorithm"
                testid="rl-chart" file="rate-limiter-rates" />
        </section>
    }
}

fn lane_html(lane: &LaneView, boundaries: &Html) -> Html {
    html! {
        <div class="rl-lane-wrap" key={lane.algorithm.id()}>
            <div class="rl-lane-head">
                <strong>{ lane.label }</strong>
                <span class="rl-level-text">{ &lane.level_text }</span>
            </div>
            <div class="rl-lane-row">
                <svg class="rl-lane" data-algorithm={lane.algorithm.id()} viewBox="0 0 1000 100"
                    preserveAspectRatio="none" role="img"
                    aria-label={format!("{}: {}", lane.label, lane.marks.iter().map(|m| format!("{} {}", m.count, m.outcome.id())).collect::<Vec<_>>().join(", "))}>
                    { boundaries.clone() }
                    <polyline class="rl-level" points={lane.level_points.clone()} vector-effect="non-scaling-stroke" />
                    { for lane.marks.iter().map(|m| html! {
                        <path class={mark_class(m.outcome)} d={m.path.clone()} vector-effect="non-scaling-stroke" />
                    }) }
                </svg>
                <div class="rl-gauge" role="meter" aria-label={lane.level_text.clone()}
                    aria-valuemin="0" aria-valuemax="100" aria-valuenow={fixed(lane.level_percent, 0)}>
                    <span data-style={format!("height:{}%", fixed(lane.level_percent, 1))}></span>
                </div>
            </div>
        </div>
    }
}
