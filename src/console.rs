//! Writing to the terminal without panicking.
//!
//! `println!` and `eprintln!` panic when the stream is gone (`fupin … 2>&1 |
//! head -c 10`), which would turn finished work into exit code 101. Here:
//!
//! - [`say!`] writes a message line to stderr and ignores a closed stream:
//!   a message nobody can read must not undo the work it reports.
//! - [`put!`] writes a line to stdout and returns `io::Result<()>`; a reader
//!   that went away (broken pipe) counts as success, other errors are
//!   returned. Data written with `write!` to a locked stdout and passed up
//!   with `?` stops at a broken pipe instead, and `main` exits 0 quietly.
//!
//! [`say!`]: crate::say
//! [`put!`]: crate::put

use std::fmt::Arguments;
use std::io::{self, ErrorKind, Write};

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

pub fn say_line(args: Arguments) {
    let _ = writeln!(io::stderr().lock(), "{args}");
}

pub fn put_line(args: Arguments) -> io::Result<()> {
    let mut out = io::stdout().lock();
    quiet_pipe(writeln!(out, "{args}").and_then(|()| out.flush()))
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
