//! Prints the Content-Security-Policy header value for a built syslab (README "Hosting syslab"):
//! `cargo run -p syslab-e2e --bin csp-policy -- dist`. The inline scripts' hashes are computed
//! from the pages in that folder, so run it on the files you deploy.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dist] = args.as_slice() else {
        eprintln!("usage: csp-policy <dist folder>   (prints the Content-Security-Policy value)");
        return ExitCode::from(2);
    };
    match syslab_e2e::csp::dist_policy(&PathBuf::from(dist)) {
        Ok(policy) => {
            println!("{policy}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("csp-policy: {err}");
            ExitCode::FAILURE
        }
    }
}
