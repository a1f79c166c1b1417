//! A lab's "Embed" button: the iframe and script-tag snippets that embed exactly the current
//! state (the share link's parameters), and the `syslab run` command that prints its numbers,
//! each with a copy button.
//!
//! The scenario is not offered as a JSON file here: serialising it links serde_json and every
//! config's `Serialize` into each bundle, 8 KB gzipped per page (measured), which the ring and
//! load-balancer pages cannot afford under the 200 KB budget. `syslab run` reads the share link
//! itself (the exact scenario: links are exact), so the panel offers that command.

use yew::prelude::*;

use super::copy_button::CopyButton;

#[derive(Properties, PartialEq, Clone)]
pub struct LabExportProps {
    /// The lab's id ("ring").
    pub lab: &'static str,
    /// The absolute link to the current state.
    pub share_url: String,
}

/// Escapes text for an HTML attribute value in double quotes.
fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// The iframe and script-tag snippets for the state behind `share_url`: the embed page and
/// script sit beside the lab's page, and the link's parameters become the iframe's query and
/// the `<div>`'s `data-*` attributes.
pub fn snippets(lab: &str, share_url: &str) -> (String, String) {
    let (page, query) = share_url.split_once('?').unwrap_or((share_url, ""));
    let dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut iframe_query = format!("lab={lab}");
    let mut data = String::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key == "lab" {
            continue;
        }
        iframe_query.push('&');
        iframe_query.push_str(pair);
        let value = js_sys::decode_uri_component(&value.replace('+', " "))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| value.to_owned());
        data.push_str(&format!(" data-{}=\"{}\"", attr(key), attr(&value)));
    }
    let iframe = format!(
        "<iframe src=\"{}/embed.html?{}\" width=\"100%\" height=\"760\" loading=\"lazy\" title=\"syslab: {lab}\"></iframe>",
        dir,
        attr(&iframe_query)
    );
    let script = format!(
        "<script src=\"{dir}/syslab-embed.js\" async></script>\n<div data-syslab-lab=\"{lab}\"{data}></div>"
    );
    (iframe, script)
}

/// One snippet with its copy button.
#[derive(Properties, PartialEq, Clone)]
struct SnippetProps {
    label: &'static str,
    testid: &'static str,
    text: String,
}

#[function_component(Snippet)]
fn snippet(props: &SnippetProps) -> Html {
    let area = use_node_ref();
    html! {
        <div class="lab-snippet">
            <label>
                <span>{ props.label }</span>
                <textarea data-testid={props.testid} readonly=true rows="3" ref={area.clone()} value={props.text.clone()} />
            </label>
            <CopyButton class="mini" label="Copy" text={props.text.clone()} field={area} />
        </div>
    }
}

#[function_component(LabExport)]
pub fn lab_export(props: &LabExportProps) -> Html {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        move |_: MouseEvent| open.set(!*open)
    };
    let (iframe, script) = if *open {
        snippets(props.lab, &props.share_url)
    } else {
        Default::default()
    };
    let command = format!("syslab run '{}'", props.share_url.replace('\'', "%27"));
    html! {
        <div class="lab-export" role="group" aria-label="Export and embed">
            <button data-testid="embed" aria-expanded={open.to_string()} onclick={toggle}>{ "Embed" }</button>
            if *open {
                <div class="lab-embed" data-testid="embed-panel">
                    <Snippet label="iframe" testid="embed-iframe" text={iframe} />
                    <Snippet label="Script tag" testid="embed-script" text={script} />
                    <Snippet label="Command line: the run’s numbers as JSON" testid="embed-cli" text={command} />
                </div>
            }
        </div>
    }
}
