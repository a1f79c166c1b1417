//! Messages about bad input: URL parameters or attributes that fell back to defaults, and
//! actions the core refused. The lab keeps running underneath.

use syslab_core::Notice;
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct NoticesProps {
    pub notices: Vec<Notice>,
    pub error: Option<String>,
    #[prop_or_default]
    pub ondismiss: Option<Callback<()>>,
}

#[function_component(Notices)]
pub fn notices(props: &NoticesProps) -> Html {
    if props.notices.is_empty() && props.error.is_none() {
        return html! {};
    }
    let dismiss = props.ondismiss.clone().map(|cb| {
        html! {
            <button class="notice-dismiss" aria-label="Dismiss messages" onclick={move |_| cb.emit(())}>{ "×" }</button>
        }
    });
    html! {
        <div class="notices" role="alert" aria-live="polite">
            { for props.notices.iter().map(|n| html! {
                <p class="notice" data-testid="notice">
                    <code>{ &n.param }</code>{ " " }{ &n.message }
                </p>
            }) }
            { for props.error.iter().map(|e| html! {
                <p class="notice notice-error" data-testid="error">{ e }</p>
            }) }
            { dismiss.unwrap_or_default() }
        </div>
    }
}
