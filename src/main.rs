use std::process::ExitCode;

use clap::Parser;
use fupin::cli::Cli;
use fupin::console::is_broken_pipe;
use fupin::lang::Lang;
use fupin::say;

fn main() -> ExitCode {
    // Chosen before parsing so that even usage errors could follow it.
    Lang::from_env().set();
    let cli = Cli::parse();
    if let Some(lang) = cli.lang {
        lang.set();
    }
    match fupin::cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // `fupin export households | head` closing the pipe is not an error.
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let prefix = if fupin::lang::zh() { "错误" } else { "error" };
            // A closed stderr loses the message, never the exit code.
            say!("{prefix}: {err:#}");
            ExitCode::from(1)
        }
    }
}
