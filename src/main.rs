//! The `gongyi` binary: `serve` (the default), `migrate`, `demo`, `areas load`, `calendar`,
//! `user create|reset-password`.

mod cli;
mod config;

use clap::Parser;

fn main() -> anyhow::Result<()> {
    let cli = cli::Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(cli::run(cli))
}
