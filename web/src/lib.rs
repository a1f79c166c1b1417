//! syslab-web: the playground shell. Yew function components that draw syslab-core's view
//! models, and the three ways to start them: the full site, the iframe embed, the script-tag embed.
//!
//! Every lab mounts the same way (`Renderer::with_root_and_props`), so what a blog post embeds is
//! exactly what the playground shows.

pub mod app;
pub mod components;
pub mod dom;
pub mod hooks;
pub mod mount;
pub mod state;

use wasm_bindgen::prelude::*;

/// Runs when the module is instantiated: mounts the site or the iframe embed if the page has a
/// `#syslab-app` element. Script-tag embeds call [`mount_all`] instead.
#[wasm_bindgen(start)]
pub fn start() {
    mount::install_panic_hook();
    mount::mount_page();
}

/// Mounts every `[data-syslab-lab]` element of the page that is not mounted yet; returns how
/// many it mounted. `syslab-embed.js` calls this once the module is loaded.
#[wasm_bindgen]
pub fn mount_all() -> u32 {
    mount::mount_all()
}
