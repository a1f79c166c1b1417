//! A lab's share link, and on the site the address bar kept equal to it.

use yew::prelude::*;

/// The absolute link to `lab`'s page with `query` (resolved against `base`). When
/// `sync_address` is set, the address bar is replaced with it whenever it changes, so copying
/// the address shares the current state.
#[hook]
pub fn use_share_link(
    lab: &'static str,
    query: String,
    base: String,
    sync_address: bool,
) -> String {
    let url = use_memo((query, base), move |(query, base)| {
        let page = if query.is_empty() {
            lab.to_owned()
        } else {
            format!("{lab}?{query}")
        };
        crate::dom::site_url(base, &page)
    });
    let url = (*url).clone();
    use_effect_with(url.clone(), move |url| {
        if sync_address {
            crate::dom::replace_url(url);
        }
    });
    url
}
