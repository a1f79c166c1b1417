//! `cargo bench -p syslab-bench [-- FILTER]`: the same benchmarks as the JSON runner, printed as
//! a table.

use std::time::Instant;

fn main() {
    // Cargo passes `--bench`; any other argument filters benchmarks by name.
    let filter = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .unwrap_or_default();
    let origin = Instant::now();
    let clock = move || origin.elapsed().as_secs_f64() * 1_000.0;
    let records = syslab_bench::run_with(
        &clock,
        "native",
        &syslab_bench::Budget::default(),
        &filter,
        &mut |r| eprintln!("measured {}", r.name),
    );
    print!("{}", syslab_bench::to_table(&records));
}
