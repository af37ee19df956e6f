//! Help and usage errors in the clerk's language.
//!
//! The command tree is declared once (clap derive, with English doc
//! comments, and the flags of `add`/`update` generated from the model).
//! For Chinese, the finished tree is walked and every text is looked up in
//! one table, [`zh::TEXTS`], keyed by the English text itself — a command
//! added in English shows up as missing there (a test lists it) rather than
//! as a second tree to keep in step. clap's own words (Usage, Options, the
//! default and the allowed values, its errors) are given in Chinese here.

mod errors;
mod zh;

use std::ffi::OsString;

use clap::{Arg, ArgAction, Command, CommandFactory};

use crate::cli::Cli;
use crate::lang::{self, Lang};

pub use errors::render as render_error;

/// Help (or the version) as clap writes it, with the placeholder clap
/// spells in English in Chinese too.
pub fn render_help(shown: &clap::Error) -> String {
    let text = shown.render().to_string();
    if lang::zh() {
        text.replace("[OPTIONS]", "[选项]")
    } else {
        text
    }
}

/// The command tree in the current language.
pub fn command() -> Command {
    let cmd = Cli::command();
    if lang::zh() { localise(cmd, true) } else { cmd }
}

/// The language `--lang` asks for, read from the arguments before they are
/// parsed, so that help and usage errors can be in it. Only the language of
/// help and errors depends on this scan: once the arguments parse, the
/// language is the one clap read. A `--lang` that is the value of another
/// flag (`--note --lang`) can at worst print help in the other language.
pub fn lang_in_args(args: &[OsString]) -> Option<Lang> {
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    let mut found = None;
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let value = if word == "--lang" {
            words.next().map(|w| w.into_owned())
        } else {
            word.strip_prefix("--lang=").map(str::to_string)
        };
        if let Some(v) = value {
            found = match v.trim() {
                "zh" | "中文" => Some(Lang::Zh),
                "en" | "英文" => Some(Lang::En),
                _ => found,
            };
        }
    }
    found
}

/// The Chinese of an English text: whole, else paragraph by paragraph.
/// `None` when the table lacks a paragraph.
pub fn chinese(en: &str) -> Option<String> {
    if let Some(zh) = zh::lookup(en) {
        return Some(zh.to_string());
    }
    let paragraphs: Option<Vec<&str>> = en.split("\n\n").map(zh::lookup).collect();
    paragraphs.map(|p| p.join("\n\n"))
}

const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

fn localise(mut cmd: Command, root: bool) -> Command {
    if let Some(about) = cmd.get_about().map(|s| s.to_string())
        && let Some(zh) = chinese(&about)
    {
        cmd = cmd.about(zh);
    }
    if let Some(long) = cmd.get_long_about().map(|s| s.to_string())
        && let Some(zh) = chinese(&long)
    {
        cmd = cmd.long_about(zh);
    }
    cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助（-h 为摘要）")
                .global(root),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本"),
        );
    }
    cmd = cmd.mut_args(localise_arg);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |sub| localise(sub, false));
    }
    cmd
}

fn localise_arg(mut arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        "参数"
    } else {
        "选项"
    };
    arg = arg.help_heading(heading);
    let mut help = arg
        .get_help()
        .map(|h| h.to_string())
        .map(|h| chinese(&h).unwrap_or(h))
        .unwrap_or_default();
    if let Some(long) = arg.get_long_help().map(|h| h.to_string()) {
        arg = arg.long_help(chinese(&long).unwrap_or(long));
    }
    let shown: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !shown.is_empty() && arg.get_action().takes_values() {
        help.push_str(&format!("［可选：{}］", shown.join("、")));
        arg = arg.hide_possible_values(true);
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && arg.get_action().takes_values() {
        help.push_str(&format!("［默认：{}］", defaults.join("、")));
        arg = arg.hide_default_value(true);
    }
    arg.help(help)
}

/// Every text of the tree with no Chinese in [`zh::TEXTS`], for the test
/// that keeps the table complete.
pub fn untranslated() -> Vec<String> {
    let mut missing = Vec::new();
    lang::with(Lang::En, || walk(&Cli::command(), &mut missing));
    for field in crate::model::ALL.iter().flat_map(|e| e.fields) {
        if field.command_line && chinese(field.help).is_none() {
            missing.push(field.help.to_string());
        }
    }
    missing.sort();
    missing.dedup();
    missing
}

fn walk(cmd: &Command, missing: &mut Vec<String>) {
    let texts = cmd
        .get_about()
        .into_iter()
        .chain(cmd.get_long_about())
        .map(|s| s.to_string())
        .chain(cmd.get_arguments().flat_map(|a| {
            a.get_help()
                .into_iter()
                .chain(a.get_long_help())
                .map(|s| s.to_string())
        }));
    for text in texts {
        if chinese(&text).is_none() && !generated(&text) {
            missing.push(text);
        }
    }
    for sub in cmd.get_subcommands() {
        walk(sub, missing);
    }
}

/// Texts the flag generator writes in the current language itself, the
/// fields' descriptions checked apart.
fn generated(text: &str) -> bool {
    crate::model::ALL
        .iter()
        .flat_map(|e| e.fields)
        .any(|f| text.starts_with(f.help))
        || text.starts_with("Code of the ")
        || text.starts_with("ID of the ")
        || text.starts_with("Accept dates after today")
        || text.starts_with("Record a dispatch held before")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_of_the_tree_has_its_chinese() {
        let missing = untranslated();
        assert!(
            missing.is_empty(),
            "add these to src/help/zh.rs:\n{}",
            missing
                .iter()
                .map(|m| format!("    ({m:?}, \"\"),"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
