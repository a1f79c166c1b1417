//! A lab's checks: the published or closed-form results it reproduces, each with its source,
//! the expected figure and tolerance, and a button that loads its scenario, runs it to the end
//! (in slices, with the page's progress bar) and measures it with the same declaration
//! `syslab check` runs.

use syslab_core::Lab;
use syslab_core::check::Outcome;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct ChecksPanelProps {
    /// The check the lab is running or has run, and its outcome once over.
    pub checking: Option<(usize, Option<Outcome>)>,
    /// Whether a run to the end is in progress.
    pub running: bool,
    /// Load and run check N (an index into the lab's checks).
    pub onrun: Callback<usize>,
}

/// A measured figure and its unit.
fn figure(x: f64, unit: &str) -> String {
    let number = syslab_core::format::figure(x);
    if unit.is_empty() {
        number
    } else {
        format!("{number} {unit}")
    }
}

#[function_component(ChecksPanel)]
pub fn checks_panel<L: Lab>(props: &ChecksPanelProps) -> Html {
    // Built once per mount: a lab's checks compute their expected figures when declared (the
    // resilience lab's jitter peaks take about 12 ms in wasm), and the panel re-renders
    // whenever a run starts or stops.
    let checks = use_memo((), |()| L::checks());
    if checks.is_empty() {
        return html! {};
    }
    html! {
        <details class="checks-panel" data-testid="checks">
            <summary>{ format!("Checks: {} published results this lab reproduces", checks.len()) }</summary>
            <table class="checks-table">
                <thead>
                    <tr><th scope="col">{ "Result" }</th><th scope="col">{ "Expected" }</th><th scope="col">{ "Measured" }</th><th scope="col"><span class="visually-hidden">{ "Run" }</span></th></tr>
                </thead>
                <tbody>
                    { for checks.iter().enumerate().map(|(idx, check)| {
                        let state = match &props.checking {
                            Some((i, outcome)) if *i == idx => Some(outcome.clone()),
                            _ => None,
                        };
                        let (measured, status) = match state {
                            Some(Some(Outcome { measured: Ok(m), pass })) => (
                                figure(m, check.unit),
                                if pass { "pass" } else { "fail" },
                            ),
                            Some(Some(Outcome { measured: Err(e), .. })) => (e.to_string(), "fail"),
                            Some(None) => ("running…".to_owned(), "running"),
                            None => ("–".to_owned(), "idle"),
                        };
                        let onrun = props.onrun.clone();
                        html! {
                            <tr data-check={check.id} data-status={status}>
                                <td>
                                    <span class="check-name">{ check.name }</span>
                                    <span class="check-source">{ check.source }</span>
                                </td>
                                <td class="num">{ format!("{} {}", figure(check.expected, check.unit), check.tolerance.describe()) }</td>
                                <td class="num" data-testid="check-measured">
                                    { measured }
                                    { match status {
                                        "pass" => html! { <span class="check-pass">{ " ✓" }</span> },
                                        "fail" => html! { <span class="check-fail">{ " ✗" }</span> },
                                        _ => html! {},
                                    } }
                                </td>
                                <td>
                                    <button data-testid="check-run" disabled={props.running}
                                        title="Load this check's scenario and run it to the end"
                                        onclick={move |_| onrun.emit(idx)}>{ "Run" }</button>
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </details>
    }
}
