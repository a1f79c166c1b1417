//! In-browser frame benchmarks: once per animation frame, dispatch one frame's worth of work
//! through the real reducer and renderer and time it, from dispatch to the effect that runs
//! after the DOM is patched. The ring's drag (`/ring?bench=drag`) and the load balancer's
//! playback (`/load-balancer?bench=play`) use it; `cargo xtask bench` reads the result from the
//! page's `pre[data-testid=bench-result]`.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// Frames measured after the warm-up.
const FRAMES: usize = 240;
const WARMUP: usize = 20;

#[derive(Default)]
struct Bench {
    started_at: Option<f64>,
    frame: usize,
    samples: Vec<f64>,
    raf: Option<Closure<dyn FnMut()>>,
}

/// Runs the benchmark when `enabled`; `frame(i)` must dispatch the i-th frame's work (and so
/// bump `revision`) and `end()` finish. Returns the JSON result once done.
#[hook]
pub fn use_frame_bench(
    enabled: bool,
    revision: u64,
    frame: Callback<usize>,
    end: Callback<()>,
) -> Option<String> {
    let bench = use_mut_ref(Bench::default);
    let result = use_state(|| None::<String>);
    {
        let result = result.clone();
        use_effect_with(revision, move |_| {
            if !enabled || result.is_some() {
                return;
            }
            let mut b = bench.borrow_mut();
            if let Some(t0) = b.started_at.take()
                && b.frame > WARMUP
            {
                b.samples.push(crate::dom::now_ms() - t0);
            }
            if b.frame >= FRAMES + WARMUP {
                end.emit(());
                result.set(Some(summarise(&mut b.samples)));
                return;
            }
            let bench_for_frame: Rc<RefCell<Bench>> = bench.clone();
            let closure = Closure::<dyn FnMut()>::new(move || {
                let index = {
                    let mut b = bench_for_frame.borrow_mut();
                    b.started_at = Some(crate::dom::now_ms());
                    b.frame += 1;
                    b.frame
                };
                frame.emit(index);
            });
            if let Some(w) = crate::dom::window() {
                let _ = w.request_animation_frame(closure.as_ref().unchecked_ref());
            }
            b.raf = Some(closure);
        });
    }
    (*result).clone()
}

fn summarise(samples: &mut [f64]) -> String {
    syslab_core::sort::sort_by_cmp(samples, f64::total_cmp);
    let pick = |q: f64| {
        if samples.is_empty() {
            0.0
        } else {
            samples[((samples.len() - 1) as f64 * q).round() as usize]
        }
    };
    let ms = |q| syslab_core::format::fixed(pick(q), 3);
    format!(
        "{{\"frames\":{},\"p50_ms\":{},\"p95_ms\":{},\"max_ms\":{}}}",
        samples.len(),
        ms(0.5),
        ms(0.95),
        ms(1.0)
    )
}
