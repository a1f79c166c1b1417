//! "Run to the end", shared by every lab with an end: a long run is computed in slices between
//! frames, so while it runs the button becomes "Stop" with the run's progress, and the page
//! stays responsive.

use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct RunButtonProps {
    /// Whether a run to the end is in progress.
    pub running: bool,
    /// Whether the run is over (the button is then disabled).
    pub finished: bool,
    /// How far the run is, 0 to 1.
    pub progress: f64,
    pub onrun: Callback<()>,
    pub onstop: Callback<()>,
}

#[function_component(RunButton)]
pub fn run_button(props: &RunButtonProps) -> Html {
    if props.running {
        let percent = (props.progress * 100.0).clamp(0.0, 100.0).round() as u32;
        let stop = props.onstop.reform(|_: MouseEvent| ());
        html! {
            <span class="run-progress">
                <progress data-testid="run-progress" max="100" value={percent.to_string()}
                    aria-label="Running to the end" />
                <button data-testid="run-stop" onclick={stop}>{ format!("Stop ({percent}%)") }</button>
            </span>
        }
    } else {
        let run = props.onrun.reform(|_: MouseEvent| ());
        html! {
            <button data-testid="run-to-end" onclick={run} disabled={props.finished}>{ "Run to the end" }</button>
        }
    }
}
