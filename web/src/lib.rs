//! syslab-web: the playground shell. Yew function components that draw syslab-core's view
//! models, and the three ways to start them: the full site, the iframe embed, the script-tag embed.
//!
//! Every lab mounts the same way (`Renderer::with_root_and_props`), so what a blog post embeds is
//! exactly what the playground shows.

pub mod app;
pub mod bundle;
pub mod components;
pub mod dom;
pub mod hooks;
pub mod mount;
pub mod state;

/// What every bundle's `main` does: installs the panic hook, then mounts the site or the iframe
/// embed if the page has a `#syslab-app` element. Script-tag embeds call the bundle's exported
/// `mount_all` (see [`bundle_main!`]) once the module is loaded.
pub fn start(bundle: bundle::Bundle) {
    mount::install_panic_hook();
    mount::mount_page(bundle);
}

/// Declares a bundle binary: its `main` and the `mount_all` export that `syslab-embed.js` calls.
#[macro_export]
macro_rules! bundle_main {
    ($bundle:expr) => {
        fn main() {
            $crate::start($bundle);
        }

        /// Mounts every `[data-syslab-lab]` element of the page that this bundle takes and that
        /// is not mounted yet; returns how many it mounted.
        #[wasm_bindgen::prelude::wasm_bindgen]
        pub fn mount_all() -> u32 {
            $crate::mount::mount_all($bundle)
        }
    };
}
