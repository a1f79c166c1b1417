//! Trace import: a file or pasted text, one request per line, parsed in wasm a slice at a time
//! between frames with a progress bar, so a million-line trace never freezes the page. A file
//! is streamed: each slice is read from the `File` as it is parsed, so wasm memory never holds
//! the file, only the parsed trace (at most `MAX_TRACE_REQUESTS` requests). Malformed lines are
//! reported with their line numbers, and skipped or fatal as the user chooses; a refused trace
//! leaves the running lab as it was.

use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

use syslab_core::cache::{BadLines, Trace, TraceParser};
use syslab_core::format::{fixed, thousands};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// Bytes parsed per slice: a few milliseconds of work, so frames keep coming.
const SLICE: usize = 256 * 1024;

#[derive(Properties, PartialEq, Clone)]
pub struct CacheTraceProps {
    /// The trace replayed now, e.g. "web.log: 1,000,000 requests, 52,001 keys".
    pub current: Option<String>,
    /// A trace parsed: hand it to the lab.
    pub ontrace: Callback<(Box<Trace>, String)>,
    pub onerror: Callback<String>,
}

/// Where an import's bytes come from.
enum Source {
    /// A file, read a slice at a time.
    File(web_sys::File),
    /// Pasted text (already in memory as a string).
    Text(Vec<u8>),
}

impl Source {
    fn len(&self) -> u64 {
        match self {
            // A file's size is a whole number of bytes well below 2^53.
            Source::File(file) => file.size() as u64,
            Source::Text(bytes) => bytes.len() as u64,
        }
    }

    /// Bytes `start..end` (borrowed from pasted text, read from a file), or `Err` if the file
    /// cannot be read (moved, deleted).
    async fn read(&self, start: u64, end: u64) -> Result<Cow<'_, [u8]>, ()> {
        match self {
            Source::File(file) => {
                let blob = file
                    .slice_with_f64_and_f64(start as f64, end as f64)
                    .map_err(drop)?;
                let buffer = JsFuture::from(blob.array_buffer()).await.map_err(drop)?;
                Ok(Cow::Owned(js_sys::Uint8Array::new(&buffer).to_vec()))
            }
            Source::Text(bytes) => Ok(Cow::Borrowed(&bytes[start as usize..end as usize])),
        }
    }
}

/// Lets the browser render and handle input before the next slice.
async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = crate::dom::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        } else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
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

/// What the import loop reports to the component.
#[derive(Clone)]
struct Outlet {
    progress: UseStateHandle<Option<Progress>>,
    report: UseStateHandle<Option<String>>,
    ontrace: Callback<(Box<Trace>, String)>,
    onerror: Callback<String>,
    /// The import that may still report: starting or cancelling one bumps it, and an older
    /// loop stops at its next slice.
    current: Rc<Cell<u64>>,
}

/// Streams `source` through a parser a slice at a time, reporting progress, until it is done,
/// fails or is superseded.
async fn import(outlet: Outlet, id: u64, name: String, source: Source, mode: BadLines) {
    let total = source.len();
    let mut parser = TraceParser::new(mode);
    let mut offset = 0u64;
    let live = |outlet: &Outlet| outlet.current.get() == id;
    let fail = |outlet: &Outlet, err: String| {
        outlet
            .onerror
            .emit(format!("{name}: {err}; the lab keeps its workload"));
        outlet.progress.set(None);
    };
    while offset < total {
        let end = (offset + SLICE as u64).min(total);
        let chunk = source.read(offset, end).await;
        if !live(&outlet) {
            return;
        }
        let Ok(chunk) = chunk else {
            fail(&outlet, "the file could not be read".to_owned());
            return;
        };
        if let Err(err) = parser.feed(&chunk) {
            fail(&outlet, err.to_string());
            return;
        }
        offset = end;
        let p = parser.progress();
        outlet.progress.set(Some(Progress {
            name: name.clone(),
            done: offset,
            total,
            lines: p.lines,
            bad: p.bad_lines,
        }));
        yield_to_browser().await;
        if !live(&outlet) {
            return;
        }
    }
    outlet.progress.set(None);
    match parser.finish() {
        Ok(trace) => {
            if trace.n_skipped > 0 {
                let listed: Vec<String> = trace.skipped.iter().map(ToString::to_string).collect();
                let more = trace.n_skipped - trace.skipped.len() as u64;
                outlet.report.set(Some(format!(
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
            outlet.ontrace.emit((Box::new(trace), name));
        }
        Err(err) => fail(&outlet, err.to_string()),
    }
}

#[function_component(CacheTrace)]
pub fn cache_trace(props: &CacheTraceProps) -> Html {
    let current: Rc<Cell<u64>> = (*use_memo((), |()| Rc::new(Cell::new(0)))).clone();
    // An import still running when the lab unmounts stops at its next slice.
    use_effect_with(current.clone(), |current| {
        let current = current.clone();
        move || current.set(current.get() + 1)
    });
    let progress = use_state(|| None::<Progress>);
    let report = use_state(|| None::<String>);
    let mode = use_state(|| BadLines::Skip);
    let paste = use_node_ref();

    let start = {
        let outlet = Outlet {
            progress: progress.clone(),
            report: report.clone(),
            ontrace: props.ontrace.clone(),
            onerror: props.onerror.clone(),
            current: current.clone(),
        };
        let mode = *mode;
        Callback::from(move |(name, source): (String, Source)| {
            let id = outlet.current.get() + 1;
            outlet.current.set(id);
            outlet.report.set(None);
            outlet.progress.set(Some(Progress {
                name: name.clone(),
                done: 0,
                total: source.len(),
                lines: 0,
                bad: 0,
            }));
            wasm_bindgen_futures::spawn_local(import(outlet.clone(), id, name, source, mode));
        })
    };

    let onfile = {
        let start = start.clone();
        move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|list| list.get(0)) else {
                return;
            };
            input.set_value("");
            start.emit((file.name(), Source::File(file)));
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
            start.emit(("pasted trace".to_owned(), Source::Text(text.into_bytes())));
        }
    };
    let oncancel = {
        let current = current.clone();
        let progress = progress.clone();
        move |_: MouseEvent| {
            current.set(current.get() + 1);
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
