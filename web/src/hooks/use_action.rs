//! Stable callbacks that dispatch reducer actions.

use yew::prelude::*;

/// A callback taking a `T` that dispatches `make(T)`. It is created once and stays the same
/// object across renders (the dispatcher never changes), so child components whose other props
/// are unchanged skip re-rendering: that is what keeps drag frames cheap.
#[hook]
pub fn use_action<R, T>(d: UseReducerDispatcher<R>, make: fn(T) -> R::Action) -> Callback<T>
where
    R: Reducible + 'static,
    T: 'static,
{
    use_callback(d, move |v: T, d| d.dispatch(make(v)))
}
