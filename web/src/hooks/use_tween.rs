//! A share of the way from one simulation step to the next, 0 to 1, advanced every animation
//! frame for `period_ms` after each new step, so drawings can move smoothly between the
//! positions the core computes at the steps.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// The frame loop: its closure and the pending frame's id.
#[derive(Default)]
struct Frames {
    closure: Option<Closure<dyn FnMut()>>,
    pending: Option<i32>,
}

/// Returns how far (0 to 1) the page is between step `revision` and the next, which is
/// expected `period_ms` later; 1 once that time has passed (a paused lab rests there).
#[hook]
pub fn use_tween(revision: u64, period_ms: f64) -> f64 {
    // The step the share belongs to: a new step starts at 0 even before its first frame.
    let share = use_state_eq(|| (revision, 1.0_f64));
    let frames = use_mut_ref(Frames::default);
    {
        let share = share.clone();
        use_effect_with(revision, move |&revision| {
            let Some(window) = crate::dom::window() else {
                return Box::new(|| ()) as Box<dyn FnOnce()>;
            };
            let start = crate::dom::now_ms();
            let weak: Weak<RefCell<Frames>> = Rc::downgrade(&frames);
            let w = window.clone();
            let closure = Closure::<dyn FnMut()>::new(move || {
                let f = ((crate::dom::now_ms() - start) / period_ms.max(1.0)).clamp(0.0, 1.0);
                share.set((revision, f));
                let Some(frames) = weak.upgrade() else {
                    return;
                };
                let mut frames = frames.borrow_mut();
                frames.pending = None;
                if f < 1.0
                    && let Some(c) = frames.closure.as_ref()
                {
                    frames.pending = w.request_animation_frame(c.as_ref().unchecked_ref()).ok();
                }
            });
            {
                let mut f = frames.borrow_mut();
                if let Some(id) = f.pending.take() {
                    let _ = window.cancel_animation_frame(id);
                }
                f.pending = window
                    .request_animation_frame(closure.as_ref().unchecked_ref())
                    .ok();
                f.closure = Some(closure);
            }
            Box::new(move || {
                let mut f = frames.borrow_mut();
                if let Some(id) = f.pending.take() {
                    let _ = window.cancel_animation_frame(id);
                }
                // The closure itself is released by the next effect or with the hook's state.
            }) as Box<dyn FnOnce()>
        });
    }
    match *share {
        (seen, f) if seen == revision => f,
        _ => 0.0,
    }
}
