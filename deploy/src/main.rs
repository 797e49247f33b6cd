//! `kubeplay`: the command line shell around `kubeplay_core` (parse, run, exit status).

mod chart;
mod cli;
mod cluster;
mod commands;
mod inputs;
mod report;

use clap::Parser;
use commands::{CliError, Outcome};
use std::process::ExitCode;

/// The analysis makes many small strings; mimalloc serves them faster than glibc (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Ok(Outcome::Exit(code)) => ExitCode::from(code),
        // The reader went away (`kubeplay render | head`): nothing is wrong with the inputs.
        Err(CliError::BrokenPipe) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
