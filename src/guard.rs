//! Panics inside the libraries that read and write workbooks: calamine on a
//! damaged file, rust_xlsxwriter when its temporary sheet cannot be written
//! (a full disk). Caught here, each becomes an error naming the file, never
//! a crash with a backtrace hint.

use std::cell::Cell;
use std::sync::Once;

use anyhow::Result;

thread_local! {
    /// Set while a guarded call runs: the panic hook then stays silent.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`; a panic in it is given to `failed` with its message, and the
/// error `failed` makes is returned instead.
pub fn catching<T>(
    f: impl FnOnce() -> Result<T>,
    failed: impl FnOnce(&str) -> anyhow::Error,
) -> Result<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = GUARDED.with(|g| g.replace(true));
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    out.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".to_string());
        Err(failed(&why))
    })
}

/// Whether a guarded call is running on this thread.
pub fn active() -> bool {
    GUARDED.with(Cell::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_error_made_of_its_message() {
        let err = catching::<()>(
            || panic!("index out of bounds"),
            |why| anyhow::anyhow!("failed: {why}"),
        )
        .err()
        .map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("failed: index out of bounds"));
        assert!(!active());
        let ok = catching(|| Ok(7), |_| anyhow::anyhow!("never")).ok();
        assert_eq!(ok, Some(7));
    }
}
