//! The native benchmark runner: prints every record as a JSON array on stdout (target
//! `native`) and progress on stderr. `cargo run --profile bench -p syslab-bench [FILTER]`.

fn main() {
    let filter = std::env::args().nth(1).unwrap_or_default();
    let records = syslab_bench::run_native(&filter, &mut |r| {
        eprintln!("syslab-bench: {} = {:.3} {}", r.name, r.value, r.unit)
    });
    println!("{}", syslab_bench::to_json(&records));
}
