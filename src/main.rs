use std::process::ExitCode;

use clap::FromArgMatches;
use fupin::cli::Cli;
use fupin::console::is_broken_pipe;
use fupin::lang::Lang;
use fupin::say;

fn main() -> ExitCode {
    // The language is known before parsing, so help and usage errors are
    // in it: the locale, else `--lang` found among the arguments.
    Lang::from_env().set();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(lang) = fupin::help::lang_in_args(&args) {
        lang.set();
    }
    let parsed = fupin::help::command()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => return usage(&err),
    };
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

/// Help and version on stdout (exit 0), a usage error on stderr (exit 2),
/// in the clerk's language.
fn usage(err: &clap::Error) -> ExitCode {
    let code = u8::try_from(err.exit_code()).unwrap_or(2);
    if err.use_stderr() {
        let text = fupin::help::render_error(err);
        fupin::console::say_line(format_args!("{}", text.trim_end()));
    } else {
        let text = fupin::help::render_help(err);
        let _ = fupin::console::put_line(format_args!("{}", text.trim_end()));
    }
    ExitCode::from(code)
}
