use std::process::ExitCode;

use clap::FromArgMatches;
use fupin::cli::Cli;
use fupin::console::is_broken_pipe;
use fupin::lang::Lang;
use fupin::say;

fn main() -> ExitCode {
    fupin::db::tune_sqlite();
    if stdout_at_start::closed() {
        fupin::console::stdout_was_closed();
    }
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
            // Chinese punctuation in Chinese, as the usage errors write it,
            // between the causes too.
            // A closed stderr loses the message, never the exit code.
            if fupin::lang::zh() {
                let causes: Vec<String> = err.chain().map(|e| e.to_string()).collect();
                say!("错误：{}", causes.join("："));
            } else {
                say!("error: {err:#}");
            }
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

/// Whether file descriptor 1 was closed when the process started
/// (`fupin export households >&-`). By the time `main` runs the standard
/// library has opened `/dev/null` in its place, so the question is asked by
/// a function the loader runs before it.
#[cfg(any(target_os = "linux", target_os = "android", target_os = "macos"))]
mod stdout_at_start {
    use std::sync::atomic::{AtomicBool, Ordering};

    static CLOSED: AtomicBool = AtomicBool::new(false);

    extern "C" fn look() {
        // SAFETY: F_GETFD only reads the flags of a descriptor number; it
        // fails (EBADF) when nothing is open there.
        let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } == -1;
        CLOSED.store(closed, Ordering::Relaxed);
    }

    #[used]
    #[cfg_attr(target_os = "macos", unsafe(link_section = "__DATA,__mod_init_func"))]
    #[cfg_attr(not(target_os = "macos"), unsafe(link_section = ".init_array"))]
    static LOOK: extern "C" fn() = look;

    pub fn closed() -> bool {
        CLOSED.load(Ordering::Relaxed)
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "macos")))]
mod stdout_at_start {
    pub fn closed() -> bool {
        false
    }
}
