//! Lab state for the shell: what `use_reducer` holds. The simulation itself lives in
//! syslab-core; these reducers only route user intent to it and keep messages for the UI.

pub mod cache;
pub mod lb;
pub mod ratelimit;
pub mod ring;
pub mod session;

/// A core error as a sentence for the UI: the core's messages start in lower case. Messages
/// start with ASCII, so this avoids pulling Unicode case tables into the bundle.
fn sentence(err: &syslab_core::ConfigError) -> String {
    let text = err.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => text,
    }
}
