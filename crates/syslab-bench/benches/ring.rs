//! `cargo bench -p syslab-bench [-- FILTER]`: the same benchmarks as the JSON runner, printed as
//! a table.

fn main() {
    // Cargo passes `--bench`; any other argument filters benchmarks by name.
    let filter = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .unwrap_or_default();
    let records = syslab_bench::run_native(&filter, &mut |r| eprintln!("measured {}", r.name));
    print!("{}", syslab_bench::to_table(&records));
}
