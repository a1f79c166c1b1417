//! A repeating timer that runs while `period_ms` is `Some`, and is cancelled when it changes
//! or the component unmounts.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

#[hook]
pub fn use_interval(callback: Callback<()>, period_ms: Option<u32>) {
    // The latest callback, so a running timer never calls a stale one.
    let latest: Rc<RefCell<Callback<()>>> = use_mut_ref(|| callback.clone());
    *latest.borrow_mut() = callback;
    use_effect_with(period_ms, move |period| {
        let window = crate::dom::window();
        let timer = period.zip(window.clone()).and_then(|(ms, window)| {
            let closure = Closure::<dyn FnMut()>::new(move || latest.borrow().emit(()));
            window
                .set_interval_with_callback_and_timeout_and_arguments_0(
                    closure.as_ref().unchecked_ref(),
                    ms as i32,
                )
                .ok()
                .map(|id| (id, closure))
        });
        move || {
            if let (Some((id, closure)), Some(window)) = (timer, window) {
                window.clear_interval_with_handle(id);
                drop(closure);
            }
        }
    });
}
