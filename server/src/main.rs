//! `blueprint-server`: a thin shell over the library. Parses the command line, sets up
//! tracing, and runs `serve`, `migrate` or prints the OpenAPI spec.

use std::process::ExitCode;

use blueprint_server::config::{Cli, Command};
use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Openapi => {
            let spec = blueprint_server::openapi()
                .to_pretty_json()
                .expect("the spec serialises");
            println!("{spec}");
            ExitCode::SUCCESS
        }
        Command::Migrate(config) => {
            match blueprint_server::store::migrate::run(&config.from, &config.to).await {
                Ok(report) => {
                    println!("{report}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("blueprint-server migrate: {error}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve(config) => {
            tracing_subscriber::fmt()
                .with_env_filter(
                    EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info")),
                )
                // Colour only for a terminal; log files and journald get plain text.
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
                .init();
            match blueprint_server::run(*config).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("blueprint-server: {error:#}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
