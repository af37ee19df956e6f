//! clap's usage errors in Chinese: an unknown argument (with clap's
//! suggestion), a missing required one, a value not allowed (with the
//! allowed words), an unknown command. Other errors keep clap's words.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The text of a usage error in the current language, ready for stderr
/// (help and version go to stdout unchanged).
pub fn render(err: &clap::Error) -> String {
    if !crate::lang::zh() {
        return err.render().to_string();
    }
    chinese(err).unwrap_or_else(|| err.render().to_string())
}

fn text(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join("、")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join("、"),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn chinese(err: &clap::Error) -> Option<String> {
    let arg = || text(err, ContextKind::InvalidArg).unwrap_or_default();
    let message = match err.kind() {
        ErrorKind::UnknownArgument => {
            let mut m = format!("无法识别的参数 '{}'", arg());
            if let Some(s) = text(err, ContextKind::SuggestedArg) {
                m.push_str(&format!("\n\n  提示：是不是 '{s}'？"));
            }
            m
        }
        ErrorKind::InvalidSubcommand => {
            let mut m = format!(
                "没有命令 '{}'",
                text(err, ContextKind::InvalidSubcommand).unwrap_or_default()
            );
            if let Some(s) = text(err, ContextKind::SuggestedSubcommand) {
                let s = s.replace('、', "' 或 '");
                m.push_str(&format!("\n\n  提示：是不是 '{s}'？"));
            }
            m
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必填参数：{}", arg()),
        ErrorKind::InvalidValue => {
            let value = text(err, ContextKind::InvalidValue).unwrap_or_default();
            let mut m = if value.is_empty() {
                format!("{} 需要一个值", arg())
            } else {
                format!("{} 不接受 '{value}'", arg())
            };
            if let Some(valid) = text(err, ContextKind::ValidValue) {
                m.push_str(&format!("\n  可选：{valid}"));
            }
            if let Some(s) = text(err, ContextKind::SuggestedValue) {
                m.push_str(&format!("\n\n  提示：是不是 '{s}'？"));
            }
            m
        }
        ErrorKind::ArgumentConflict => format!(
            "{} 不能与 {} 同时使用",
            arg(),
            text(err, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            return None;
        }
        _ => return None,
    };
    let usage = text(err, ContextKind::Usage)
        .map(|u| {
            u.replacen("Usage: ", "用法：", 1)
                .replace("[OPTIONS]", "[选项]")
        })
        .map(|u| format!("\n\n{}", u.trim_end()))
        .unwrap_or_default();
    Some(format!("错误：{message}{usage}\n\n更多信息请用 '--help'\n"))
}
