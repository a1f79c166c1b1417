//! A value that follows a committed change one task later. A lab page draws its main figure
//! in the task of the click that changed it and its side panels in a task of their own just
//! after, so that on a large lab neither task is a long one (ARCHITECTURE.md, "No main-thread
//! task over 50 ms"). Changes that are not committed (drag frames, background results) reach
//! the panels at once: they are small, and a drag must not lag behind the pointer.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// `value` as of the last render whose `committed` counter the deferred side has caught up
/// with: after a committed change, the previous value for one more task (a zero timeout),
/// then `value`.
#[hook]
pub fn use_deferred<T: 'static>(value: Rc<T>, committed: u64) -> Rc<T> {
    // The committed change the deferred side may show, and what it showed last.
    let allowed = use_state_eq(|| committed);
    let shown = use_mut_ref(|| Rc::clone(&value));
    if *allowed == committed {
        *shown.borrow_mut() = value;
    }
    {
        let allowed = allowed.clone();
        use_effect_with(committed, move |&committed| {
            if *allowed == committed {
                return;
            }
            // Not cancelled by a later change: each timeout lets its own change through, and
            // the last one the latest.
            let release = {
                let allowed = allowed.clone();
                Closure::once_into_js(move || allowed.set(committed))
            };
            let queued = crate::dom::window().is_some_and(|window| {
                window
                    .set_timeout_with_callback(release.unchecked_ref())
                    .is_ok()
            });
            if !queued {
                // No timer: show it now rather than never.
                allowed.set(committed);
            }
        });
    }
    let shown = shown.borrow();
    Rc::clone(&shown)
}
