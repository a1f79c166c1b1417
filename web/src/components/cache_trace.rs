//! Trace import: a file or pasted text, one request per line, parsed in wasm a slice at a time
//! between frames with a progress bar, so a million-line trace never freezes the page. Malformed
//! lines are reported with their line numbers, and skipped or fatal as the user chooses; a
//! refused trace leaves the running lab as it was.

use std::cell::RefCell;
use std::rc::Rc;

use syslab_core::cache::{BadLines, Trace, TraceParser};
use syslab_core::format::{fixed, thousands};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::hooks::use_interval::use_interval;

/// Bytes parsed per timer tick: a few milliseconds of work, so frames keep coming.
const SLICE: usize = 256 * 1024;

#[derive(Properties, PartialEq, Clone)]
pub struct CacheTraceProps {
    /// The trace replayed now, e.g. "web.log: 1,000,000 requests, 52,001 keys".
    pub current: Option<String>,
    /// A trace parsed: hand it to the lab.
    pub ontrace: Callback<(Box<Trace>, String)>,
    pub onerror: Callback<String>,
}

/// An import in progress.
struct Import {
    parser: TraceParser,
    bytes: Vec<u8>,
    offset: usize,
    name: String,
}

/// What the progress bar shows.
#[derive(Clone, PartialEq)]
struct Progress {
    name: String,
    done: u64,
    total: u64,
    lines: u64,
    bad: u64,
}

#[function_component(CacheTrace)]
pub fn cache_trace(props: &CacheTraceProps) -> Html {
    let import: Rc<RefCell<Option<Import>>> = use_mut_ref(|| None);
    let progress = use_state(|| None::<Progress>);
    let report = use_state(|| None::<String>);
    let mode = use_state(|| BadLines::Skip);
    let paste = use_node_ref();

    let start = {
        let import = import.clone();
        let progress = progress.clone();
        let report = report.clone();
        let mode = *mode;
        Callback::from(move |(name, bytes): (String, Vec<u8>)| {
            report.set(None);
            progress.set(Some(Progress {
                name: name.clone(),
                done: 0,
                total: bytes.len() as u64,
                lines: 0,
                bad: 0,
            }));
            *import.borrow_mut() = Some(Import {
                parser: TraceParser::new(mode),
                bytes,
                offset: 0,
                name,
            });
        })
    };

    // One slice per tick while an import runs.
    let tick = {
        let import = import.clone();
        let progress = progress.clone();
        let report = report.clone();
        let ontrace = props.ontrace.clone();
        let onerror = props.onerror.clone();
        Callback::from(move |()| {
            let mut slot = import.borrow_mut();
            let Some(job) = slot.as_mut() else { return };
            let end = (job.offset + SLICE).min(job.bytes.len());
            let fed = job.parser.feed(&job.bytes[job.offset..end]);
            job.offset = end;
            let p = job.parser.progress();
            if let Err(err) = fed {
                onerror.emit(format!("{}: {err}; the lab keeps its workload", job.name));
                *slot = None;
                progress.set(None);
                return;
            }
            if end < job.bytes.len() {
                progress.set(Some(Progress {
                    name: job.name.clone(),
                    done: end as u64,
                    total: job.bytes.len() as u64,
                    lines: p.lines,
                    bad: p.bad_lines,
                }));
                return;
            }
            let Some(job) = slot.take() else { return };
            progress.set(None);
            match job.parser.finish() {
                Ok(trace) => {
                    if trace.n_skipped > 0 {
                        let listed: Vec<String> =
                            trace.skipped.iter().map(ToString::to_string).collect();
                        let more = trace.n_skipped - trace.skipped.len() as u64;
                        report.set(Some(format!(
                            "Skipped {} malformed line{}: {}{}",
                            thousands(trace.n_skipped),
                            if trace.n_skipped == 1 { "" } else { "s" },
                            listed.join("; "),
                            if more > 0 {
                                format!("; and {} more", thousands(more))
                            } else {
                                String::new()
                            }
                        )));
                    }
                    ontrace.emit((Box::new(trace), job.name));
                }
                Err(err) => {
                    onerror.emit(format!("{}: {err}; the lab keeps its workload", job.name))
                }
            }
        })
    };
    use_interval(tick, progress.is_some().then_some(1));

    let onfile = {
        let start = start.clone();
        let onerror = props.onerror.clone();
        move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|list| list.get(0)) else {
                return;
            };
            input.set_value("");
            let name = file.name();
            let start = start.clone();
            let onerror = onerror.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                    Ok(buffer) => {
                        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                        start.emit((name, bytes));
                    }
                    Err(_) => onerror.emit(format!("{name} could not be read")),
                }
            });
        }
    };
    let onpaste = {
        let start = start.clone();
        let paste = paste.clone();
        let onerror = props.onerror.clone();
        move |_: MouseEvent| {
            let Some(area) = paste.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let text = area.value();
            if text.trim().is_empty() {
                onerror.emit("Paste some keys first, one request per line".to_owned());
                return;
            }
            start.emit(("pasted trace".to_owned(), text.into_bytes()));
        }
    };
    let oncancel = {
        let import = import.clone();
        let progress = progress.clone();
        move |_: MouseEvent| {
            *import.borrow_mut() = None;
            progress.set(None);
        }
    };
    let onmode = {
        let mode = mode.clone();
        move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            mode.set(if select.value() == "reject" {
                BadLines::Reject
            } else {
                BadLines::Skip
            });
        }
    };
    let busy = progress.is_some();
    html! {
        <section class="panel cache-trace" aria-label="Replay a trace">
            <h2>{ "Replay your own trace" }</h2>
            <p class="panel-sub">{ "One request per line: a key, optionally with an operation (get/set, r/w) and a size, separated by commas, tabs or spaces. Parsed here, in your browser; nothing is uploaded. A trace cannot travel in a share link." }</p>
            { for props.current.as_ref().map(|c| html! { <p class="cache-trace-current" data-testid="trace-current">{ format!("Replaying {c}") }</p> }) }
            <div class="cache-trace-row">
                <label class="control">
                    <span>{ "File" }</span>
                    <input type="file" data-testid="trace-file" accept=".txt,.csv,.tsv,.log,text/plain,text/csv" disabled={busy} onchange={onfile} />
                </label>
                <label class="control">
                    <span>{ "Malformed lines" }</span>
                    <select data-testid="trace-mode" onchange={onmode} disabled={busy}>
                        <option value="skip" selected={*mode == BadLines::Skip}>{ "skip and report them" }</option>
                        <option value="reject" selected={*mode == BadLines::Reject}>{ "reject the trace" }</option>
                    </select>
                </label>
            </div>
            <label class="control wide">
                <span>{ "Or paste" }</span>
                <textarea data-testid="trace-paste" ref={paste} rows="4" spellcheck="false" placeholder={"user:1\nuser:2,set\nuser:1"} />
            </label>
            <button data-testid="trace-paste-go" onclick={onpaste} disabled={busy}>{ "Replay pasted keys" }</button>
            { for (*progress).clone().map(|p| html! {
                <div class="cache-trace-progress" role="status">
                    <progress data-testid="trace-progress" max={p.total.max(1).to_string()} value={p.done.to_string()}></progress>
                    <span>{ format!("{}: {}% · {} lines{}", p.name, fixed(p.done as f64 * 100.0 / p.total.max(1) as f64, 0), thousands(p.lines), if p.bad > 0 { format!(" · {} malformed", thousands(p.bad)) } else { String::new() }) }</span>
                    <button data-testid="trace-cancel" onclick={oncancel}>{ "Cancel" }</button>
                </div>
            }) }
            { for (*report).clone().map(|r| html! { <p class="notice" data-testid="trace-report" role="status">{ r }</p> }) }
        </section>
    }
}
