use std::io::ErrorKind;
use std::process::ExitCode;

use clap::Parser;
use fupin::cli::Cli;
use fupin::lang::Lang;

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
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let prefix = if fupin::lang::zh() { "错误" } else { "error" };
            eprintln!("{prefix}: {err:#}");
            ExitCode::from(1)
        }
    }
}
