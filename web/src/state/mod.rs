//! Lab state for the shell: what `use_reducer` holds. The simulation itself lives in
//! syslab-core; these reducers only route user intent to it and keep messages for the UI.

pub mod cache;
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

/// `value` as a whole number for a `u32` setting named `label`, or a message saying why not.
/// Range checks are the core's; this only refuses what is not a whole number at all.
fn whole(label: &str, value: f64) -> Result<u32, String> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= f64::from(u32::MAX) {
        Ok(value as u32)
    } else {
        Err(format!("{label} must be a whole number from 0 up"))
    }
}

/// `seconds` as whole milliseconds for a `u32` setting named `label`.
fn millis(label: &str, seconds: f64) -> Result<u32, String> {
    let ms = seconds * 1000.0;
    if ms.is_finite() && ms >= 0.0 && ms <= f64::from(u32::MAX) {
        Ok(ms.round() as u32)
    } else {
        Err(format!("{label} is out of range"))
    }
}
