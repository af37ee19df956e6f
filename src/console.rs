//! Writing to the terminal without panicking.
//!
//! `println!` and `eprintln!` panic when the stream is gone (`fupin … 2>&1 |
//! head -c 10`), which would turn finished work into exit code 101. Here:
//!
//! - [`say!`] writes a message line to stderr and ignores a closed stream:
//!   a message nobody can read must not undo the work it reports; control
//!   characters quoted in it are escaped (`\u{1b}`).
//! - [`put!`] writes a line to stdout and returns `io::Result<()>`; a reader
//!   that went away (broken pipe) counts as success, other errors are
//!   returned. Data written with `write!` to a locked stdout and passed up
//!   with `?` stops at a broken pipe instead, and `main` exits 0 quietly.
//!
//! [`say!`]: crate::say
//! [`put!`]: crate::put

use std::fmt::Arguments;
use std::io::{self, ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::lang::t;

/// A line on stderr, like `eprintln!`, that never panics.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::console::say_line(format_args!($($arg)*))
    };
}

/// A line on stdout, like `println!`, that returns `io::Result<()>` instead
/// of panicking; a broken pipe counts as written.
#[macro_export]
macro_rules! put {
    ($($arg:tt)*) => {
        $crate::console::put_line(format_args!($($arg)*))
    };
}

/// Whatever a message quotes from a file or a flag (a header, a sheet's
/// name, a value) reaches the terminal with its control characters
/// escaped, never acted on.
pub fn say_line(args: Arguments) {
    let text = crate::values::escape_controls_in_message(&args.to_string());
    let _ = writeln!(io::stderr().lock(), "{text}");
}

pub fn put_line(args: Arguments) -> io::Result<()> {
    let mut out = stdout();
    quiet_pipe(writeln!(out, "{args}").and_then(|()| out.flush()))
}

/// Set when file descriptor 1 was closed as the process started
/// (`fupin export households >&-`). The standard library then puts
/// `/dev/null` there, so every write would seem to succeed and the data
/// would be lost with exit 0.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Tells [`stdout`] that standard output was closed before fupin started;
/// `main` asks the operating system before the standard library starts.
pub fn stdout_was_closed() {
    STDOUT_CLOSED.store(true, Ordering::Relaxed);
}

/// Standard output for data, locked. A write that cannot reach it fails
/// with "could not write to standard output: …" (a closed descriptor, a
/// full disk); a reader that went away (broken pipe) is passed on as it
/// is, for [`quiet_pipe`] and [`is_broken_pipe`] to let through.
pub fn stdout() -> Stdout {
    Stdout {
        lock: io::stdout().lock(),
    }
}

pub struct Stdout {
    lock: io::StdoutLock<'static>,
}

impl Stdout {
    fn check(&self) -> io::Result<()> {
        if STDOUT_CLOSED.load(Ordering::Relaxed) {
            return Err(lost(io::Error::other(t(
                "it was closed before fupin started",
                "fupin 启动前它已被关闭",
            ))));
        }
        Ok(())
    }
}

/// The error of a write to stdout, saying where it went wrong.
fn lost(e: io::Error) -> io::Error {
    if e.kind() == ErrorKind::BrokenPipe {
        return e;
    }
    let text = t(
        &format!("could not write to standard output: {e}"),
        &format!("无法写入标准输出：{e}"),
    );
    io::Error::new(e.kind(), text)
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.check()?;
        self.lock.write(buf).map_err(lost)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.check()?;
        self.lock.write_all(buf).map_err(lost)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.check()?;
        self.lock.flush().map_err(lost)
    }
}

/// A write to a reader that has gone away (`fupin … | head`) is not a
/// failure of the command.
pub fn quiet_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// True when `err` is, somewhere in its chain, a write to a closed pipe.
/// The CSV and JSON writers wrap the I/O error without exposing it as a
/// source, so they are asked directly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let kind = if let Some(io) = e.downcast_ref::<io::Error>() {
            Some(io.kind())
        } else if let Some(csv) = e.downcast_ref::<csv::Error>() {
            match csv.kind() {
                csv::ErrorKind::Io(io) => Some(io.kind()),
                _ => None,
            }
        } else if let Some(json) = e.downcast_ref::<serde_json::Error>() {
            json.io_error_kind()
        } else {
            None
        };
        kind == Some(ErrorKind::BrokenPipe)
    })
}
