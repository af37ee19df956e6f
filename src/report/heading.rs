//! A column heading broken into lines between its words, and shortened
//! where room is short: the terminal's tables and the workbook's forms
//! both print headings narrower than they are written.

use super::sheet::{char_width, display_width};
use crate::lang::Lang;

/// A heading on as many lines as it needs to be narrow, broken only
/// between words: before its unit (户籍人口 / （人）), at spaces, and
/// between the halves of a four- or five-character Chinese term (建档 /
/// 立卡, 贫困 / 发生率), which are compounds of two words.
fn heading_lines(label: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for part in label.split_inclusive(' ') {
        let part = part.trim();
        let (word, unit) = match part.find('（') {
            // Half-width brackets save two columns a heading.
            Some(at) if at > 0 => (
                &part[..at],
                Some(part[at..].replace('（', "(").replace('）', ")")),
            ),
            _ => (part, None),
        };
        // A year before a Chinese word is a word of its own: 2019年 / 脱贫.
        if let Some(at) = word.find('年')
            && at > 0
            && word[..at].bytes().all(|b| b.is_ascii_digit())
            && word.len() > at + '年'.len_utf8()
        {
            let split = at + '年'.len_utf8();
            lines.push(word[..split].to_string());
            lines.extend(heading_lines(&word[split..]));
            if let Some(unit) = unit {
                lines.push(unit);
            }
            continue;
        }
        // A span of time is a word of its own too: 超6个月 / 未消除.
        if let Some(split) = after_a_span(word) {
            lines.extend(heading_lines(&word[..split]));
            lines.extend(heading_lines(&word[split..]));
            if let Some(unit) = unit {
                lines.push(unit);
            }
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        let chinese = chars.iter().all(|c| char_width(*c) == 2);
        if chinese && chars.len() >= 4 {
            lines.extend(chinese_words(&chars));
        } else if !word.is_empty() {
            lines.push(word.to_string());
        }
        if let Some(unit) = unit {
            lines.push(unit);
        }
    }
    lines
}

/// Words of the reports' Chinese headings that the rule of two
/// characters would cut: 有驻村 / 工作队 / 的村, not 有驻 / 村工 / 作队 / 的村.
const ZH_WORDS: &[&str] = &[
    "不稳定户",
    "易致贫户",
    "工作队",
    "贫困村",
    "驻村",
    "生活",
    "用电",
    "收入",
    "保障",
    "记录",
    "出列",
    "剔除",
    "自然",
    "减少",
    "边缘",
];

/// A run of Chinese characters as its words: those of [`ZH_WORDS`] whole,
/// a character alone before one joined to it (通 + 生活), and what lies
/// between them in two-character words, the last taking a third
/// (建档 / 立卡 / 贫困户).
fn chinese_words(chars: &[char]) -> Vec<String> {
    fn by_twos(rest: &[char], words: &mut Vec<String>) {
        let mut at = 0;
        while at < rest.len() {
            let take = if rest.len() - at <= 3 {
                rest.len() - at
            } else {
                2
            };
            words.push(rest[at..at + take].iter().collect());
            at += take;
        }
    }
    let mut words = Vec::new();
    let (mut at, mut rest_from) = (0, 0);
    while at < chars.len() {
        let known = ZH_WORDS.iter().find(|w| {
            let n = w.chars().count();
            at + n <= chars.len() && chars[at..at + n].iter().copied().eq(w.chars())
        });
        let Some(known) = known else {
            at += 1;
            continue;
        };
        let rest = &chars[rest_from..at];
        let mut word = String::new();
        if rest.len() == 1 {
            word.push(rest[0]);
        } else {
            by_twos(rest, &mut words);
        }
        word.push_str(known);
        words.push(word);
        at += known.chars().count();
        rest_from = at;
    }
    match &chars[rest_from..] {
        [] => {}
        [one] => match words.last_mut() {
            Some(last) => last.push(*one),
            None => words.push(one.to_string()),
        },
        rest => by_twos(rest, &mut words),
    }
    words
}

/// Where a Chinese heading's span of time (6个月, 30天) ends, when more
/// follows it.
fn after_a_span(word: &str) -> Option<usize> {
    let digits = word.find(|c: char| c.is_ascii_digit())?;
    let rest = &word[digits..];
    let number = rest.find(|c: char| !c.is_ascii_digit())?;
    let after = &rest[number..];
    let unit = ["个月", "天", "日", "周"]
        .iter()
        .find(|u| after.starts_with(**u))?;
    let end = digits + number + unit.len();
    (end < word.len() && word[..digits].chars().all(|c| char_width(c) == 2)).then_some(end)
}

/// Words of English headings that a table too wide for the terminal
/// shortens, and what each stands for in the key under the table. Chinese
/// headings are narrow already: they break between their words instead.
const SHORT_WORDS: &[(&str, &str)] = &[
    ("households", "hh"),
    ("people", "ppl"),
    ("registered", "reg."),
    ("remaining", "rem."),
    ("villages", "vil."),
    ("population", "pop."),
    ("incidence", "inc."),
    ("returned", "ret."),
    ("monitoring", "mon."),
    ("eliminated", "elim."),
    ("elimination", "elim."),
    ("dispatches", "disp."),
    ("progress", "prog."),
    ("secretaries", "secr."),
    ("information", "info."),
    ("officers", "off."),
    ("members", "memb."),
    ("assisted", "asst."),
    ("natural", "nat."),
    ("poverty", "pov."),
];

/// A word of a heading, shortened: "(households)" → "(hh)",
/// "Villages" → "Vil.". The word's brackets and capital stay.
fn short_word(word: &str) -> Option<(String, &'static str, &'static str)> {
    let core = core_of(word);
    let (full, short) = SHORT_WORDS
        .iter()
        .find(|(full, _)| full.eq_ignore_ascii_case(core))?;
    let mut abbr = short.to_string();
    if core.starts_with(|c: char| c.is_ascii_uppercase()) {
        abbr = abbr[..1].to_ascii_uppercase() + &abbr[1..];
    }
    let at = word.find(core).unwrap_or(0);
    let shortened = format!("{}{abbr}{}", &word[..at], &word[at + core.len()..]);
    Some((shortened, short, full))
}

/// A heading's word without its brackets and trailing comma.
fn core_of(word: &str) -> &str {
    word.trim_start_matches('(').trim_end_matches([')', ','])
}

/// Chinese headings a table too wide for the terminal shortens: under a
/// group heading (未脱贫, 2019年脱贫) the paper form's own 户 and 人.
const SHORT_ZH: &[(&str, &str)] = &[
    ("户数（户）", "户"),
    ("人数（人）", "人"),
    ("行政村（个）", "村数"),
];

/// `2019年脱贫` as `2019 脱贫`: the 年 after four digits dropped.
fn without_year_sign(label: &str) -> String {
    let chars: Vec<char> = label.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let year = i >= 4 && chars[i - 4..i].iter().all(char::is_ascii_digit);
        if *c == '年' && year {
            if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
                out.push(' ');
            }
            continue;
        }
        out.push(*c);
    }
    out
}

/// How much of a heading is shortened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shorten {
    /// Nothing: the heading as written.
    No,
    /// What an English count is counted in, households and people:
    /// "(households)" to "(hh)"; the words a reader reads stay whole, as
    /// a printed form wants.
    Units,
    /// Every long English word, and the paper form's 户 and 人 under a
    /// Chinese group: a terminal's table too wide for its screen.
    Words,
}

/// The lines of a heading, shortened as `shorten` says, and the English
/// abbreviations used added to `used`.
pub(super) fn heading(
    label: &str,
    lang: Lang,
    shorten: Shorten,
    used: &mut Vec<(&'static str, &'static str)>,
) -> Vec<String> {
    let words = shorten == Shorten::Words;
    if words && let Some((_, zh)) = SHORT_ZH.iter().find(|(full, _)| *full == label) {
        return vec![zh.to_string()];
    }
    // A year needs no 年 where room is short: 2019 脱贫.
    let label = if words && lang == Lang::Zh {
        without_year_sign(label)
    } else {
        label.to_string()
    };
    heading_lines(&label)
        .into_iter()
        .map(|line| {
            let wanted = lang == Lang::En
                && match shorten {
                    Shorten::No => false,
                    Shorten::Units => ["households", "people"].contains(&core_of(&line)),
                    Shorten::Words => true,
                };
            match short_word(&line) {
                Some((shortened, abbr, full)) if wanted => {
                    if !used.iter().any(|(a, f)| *a == abbr && *f == full) {
                        used.push((abbr, full));
                    }
                    shortened
                }
                _ => line,
            }
        })
        .collect()
}

/// The key to the abbreviations `used`, an entry each: "hh = households".
/// One abbreviation standing for two words is keyed once: "elim. =
/// eliminated/elimination".
pub(super) fn key(used: &[(&'static str, &'static str)]) -> Vec<String> {
    let mut meanings: Vec<(&str, Vec<&str>)> = Vec::new();
    for (abbr, full) in used {
        match meanings.iter_mut().find(|(a, _)| a == abbr) {
            Some((_, fulls)) => fulls.push(full),
            None => meanings.push((abbr, vec![full])),
        }
    }
    meanings
        .iter()
        .map(|(abbr, fulls)| format!("{abbr} = {}", fulls.join("/")))
        .collect()
}

/// A group heading's words packed into lines of at most `width` columns:
/// English words joined by a space, Chinese ones run together.
pub(super) fn pack(words: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in words {
        if let Some(last) = lines.last_mut() {
            let cjk = |c: Option<char>| c.is_some_and(|c| char_width(c) == 2);
            let gap = if cjk(last.chars().last()) && cjk(word.chars().next()) {
                ""
            } else {
                " "
            };
            if display_width(last) + gap.len() + display_width(word) <= width {
                last.push_str(gap);
                last.push_str(word);
                continue;
            }
        }
        lines.push(word.clone());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_of_time_is_a_word_of_a_chinese_heading() {
        assert_eq!(
            heading_lines("超6个月未消除（户）"),
            ["超6个月", "未消除", "(户)"]
        );
        assert_eq!(heading_lines("超30天未走访"), ["超30天", "未走访"]);
        assert_eq!(heading_lines("6个月"), ["6个月"]);
    }

    #[test]
    fn headings_break_between_words_only() {
        assert_eq!(heading_lines("户籍人口（人）"), ["户籍", "人口", "(人)"]);
        assert_eq!(heading_lines("贫困发生率（%）"), ["贫困", "发生率", "(%)"]);
        assert_eq!(heading_lines("发现"), ["发现"]);
        assert_eq!(heading_lines("未出列（个）"), ["未出列", "(个)"]);
        assert_eq!(heading_lines("Progress (%)"), ["Progress", "(%)"]);
        assert_eq!(heading_lines("建档立卡贫困户"), ["建档", "立卡", "贫困户"]);
        assert_eq!(heading_lines("2019年脱贫"), ["2019年", "脱贫"]);
        assert_eq!(
            heading_lines("有驻村工作队的村（个）"),
            ["有驻村", "工作队", "的村", "(个)"]
        );
        assert_eq!(heading_lines("通生活用电"), ["通生活", "用电"]);
        assert_eq!(heading_lines("无收入保障记录"), ["无收入", "保障", "记录"]);
        assert_eq!(heading_lines("未出列贫困村"), ["未出列", "贫困村"]);
        assert_eq!(
            heading_lines("本期剔除及自然减少（户）"),
            ["本期", "剔除", "及自然", "减少", "(户)"]
        );
        assert_eq!(heading_lines("驻村工作队员"), ["驻村", "工作队员"]);
        assert_eq!(heading_lines("脱贫不稳定户"), ["脱贫", "不稳定户"]);
    }

    #[test]
    fn long_english_words_shorten_keeping_brackets_and_capitals() {
        let mut used = Vec::new();
        assert_eq!(
            heading("Population (people)", Lang::En, Shorten::Words, &mut used),
            ["Pop.", "(ppl)"]
        );
        assert_eq!(used, [("pop.", "population"), ("ppl", "people")]);
        assert_eq!(
            heading("Population (people)", Lang::En, Shorten::No, &mut used),
            ["Population", "(people)"]
        );
        assert_eq!(
            heading("户数（户）", Lang::Zh, Shorten::Words, &mut used),
            ["户"]
        );
        assert_eq!(
            heading("户数（户）", Lang::Zh, Shorten::No, &mut used),
            ["户数", "(户)"]
        );
        assert_eq!(used.len(), 2);
    }

    #[test]
    fn group_headings_pack_their_words_into_the_span() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            pack(&words(&["Off", "the", "register", "in", "2020"]), 9),
            ["Off the", "register", "in 2020"]
        );
        assert_eq!(
            pack(&words(&["建档", "立卡", "贫困户"]), 9),
            ["建档立卡", "贫困户"]
        );
    }

    #[test]
    fn a_year_in_a_short_chinese_heading_drops_its_sign() {
        assert_eq!(without_year_sign("2019年脱贫"), "2019 脱贫");
        assert_eq!(without_year_sign("2019年 返贫"), "2019 返贫");
        assert_eq!(without_year_sign("年度"), "年度");
    }
}
