//! The language of labels, headers and messages (never of the data).
//!
//! It is chosen once per process, from `--lang` or the locale, and read from
//! anywhere through [`t`]: threading it through every parser and error would
//! clutter every signature for one bit of state.

use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[value(alias = "英文")]
    En,
    #[value(alias = "中文")]
    Zh,
}

static CHINESE: AtomicBool = AtomicBool::new(false);

impl Lang {
    /// `LC_ALL`, then `LANG`: `zh*` means Chinese, anything else English.
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LANG"]
            .iter()
            .filter_map(|var| std::env::var(var).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if locale.to_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    pub fn set(self) {
        CHINESE.store(self == Lang::Zh, Ordering::Relaxed);
    }

    pub fn current() -> Lang {
        if CHINESE.load(Ordering::Relaxed) {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// The text in this language, owned: for code that is handed its
    /// language rather than reading the process-wide one.
    pub fn t(self, en: &str, zh: &str) -> String {
        self.pick(en, zh).to_string()
    }

    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }
}

/// The text in the current language.
pub fn t(en: &str, zh: &str) -> String {
    Lang::current().pick(en, zh).to_string()
}

/// True when output should be in Chinese.
pub fn zh() -> bool {
    Lang::current() == Lang::Zh
}

/// Runs `f` with `lang` as the current language, then restores the previous
/// one. JSON output is built this way in English, so scripts see the same
/// keys and values whatever the clerk's locale.
pub fn with<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    let before = Lang::current();
    lang.set();
    let out = f();
    before.set();
    out
}

/// `1 row`, `2 rows`: an English count with its noun in the right number.
pub fn count(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// [`count`] with the figure grouped in thousands, for printed notes.
pub fn count_grouped(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    let word = if n == 1 { one } else { many };
    format!("{} {word}", crate::values::thousands(n))
}
