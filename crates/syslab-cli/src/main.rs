//! `syslab`: run lab scenarios from JSON files, standard input or playground links, and print
//! their snapshots as JSON.

mod args;
mod commands;
mod error;
mod input;

use std::io::{self, Write};
use std::process::ExitCode;

use error::CliError;

fn main() -> ExitCode {
    let stdout = io::stdout();
    let stderr = io::stderr();
    let result = args::from_env().and_then(|command| {
        commands::execute(
            &command,
            &mut io::stdin().lock(),
            &mut stdout.lock(),
            &mut stderr.lock(),
        )
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Whoever read our output stopped listening (`syslab example ring | head`): not an error.
        Err(CliError::Output(err)) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            let _ = writeln!(stderr.lock(), "error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
