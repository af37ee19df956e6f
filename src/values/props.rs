//! Properties of every value parser: no input makes one panic, and what
//! the stored form says reads back as itself.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use super::*;

/// Text of the characters values are made of, and of those that trip
/// parsers: separators, full-width forms, odd spaces, CJK, multi-byte.
fn cell_text() -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        4 => proptest::char::range('0', '9'),
        1 => proptest::sample::select(vec![
            '-', '/', '.', ',', ';', ':', ' ', '+', '(', ')', '\'', 'x', 'X', 'E', 'e', '年',
            '月', '日', '度', '、', '；', '，', '（', '）', '－', '\u{3000}', '\u{00A0}', '\u{FEFF}',
            '０', '９', 'Ｘ', '龙', '😀', 'é', '\t', '\n', '\0',
        ]),
        1 => any::<char>(),
    ];
    proptest::collection::vec(chars, 0..24).prop_map(|cs| cs.into_iter().collect())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        cell_text(),
        any::<String>(),
        proptest::collection::vec(any::<u8>(), 0..40)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

fn date_in(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = NaiveDate> {
    // Day 1–28 exists in every month; the month's length is tried apart.
    (years, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| {
        NaiveDate::from_ymd_opt(y, m, d)
            .or_else(|| NaiveDate::from_ymd_opt(y, m, 28))
            .unwrap_or_default()
    })
}

fn date() -> impl Strategy<Value = NaiveDate> {
    date_in(1900..=9999)
}

/// The 17 digits before an ID number's check character, with a real birth
/// date in `years`.
fn first17_born(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = String> {
    (100_000u32..=999_999, date_in(years), 0u32..=999)
        .prop_map(|(region, birth, seq)| format!("{region}{}{seq:03}", birth.format("%Y%m%d")))
}

fn first17() -> impl Strategy<Value = String> {
    first17_born(1800..=2099)
}

fn mobile() -> impl Strategy<Value = String> {
    (10_000_000_000u64..=19_999_999_999).prop_map(|n| n.to_string())
}

fn landline() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            (10u32..=29).prop_map(|a| format!("0{a}")),
            (300u32..=999).prop_map(|a| format!("0{a}"))
        ],
        prop_oneof![
            (1_000_000u32..=9_999_999).prop_map(|n| n.to_string()),
            (10_000_000u32..=99_999_999).prop_map(|n| n.to_string()),
        ],
    )
        .prop_map(|(area, number)| format!("{area}-{number}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn no_text_makes_a_parser_panic(s in any_text()) {
        let _ = normalize(&s);
        let _ = excel_error(&s);
        let _ = parse_date(&s);
        let _ = is_excel_serial(&s);
        let _ = parse_int(&s, 1, 99);
        let _ = parse_int(&s, 0, i64::MAX);
        let _ = parse_int(&s, i64::MIN, i64::MAX);
        let _ = parse_flag(&s);
        let _ = parse_id_number(&s);
        let _ = is_first_generation_id(&s);
        let _ = id_for_message(&s);
        let _ = id_check_digit(&s);
        let _ = mask_id(&s);
        let _ = parse_phone(&s);
        let _ = mask_phone(&s);
    }

    #[test]
    fn an_id_message_never_shows_more_than_the_list_mask(s in cell_text()) {
        let shown = id_for_message(&s);
        let visible = shown.chars().filter(|&c| c != '*').count();
        // Scientific notation keeps at most the region's digits.
        prop_assert!(visible <= 10 || shown.contains('E'), "{s:?} -> {shown:?}");
    }

    #[test]
    fn a_stored_date_reads_back_as_itself(d in date()) {
        let stored = format_date(d);
        prop_assert_eq!(parse_date(&stored), Ok(d));
        let slashed = format!("{}/{}/{}", d.year(), d.month(), d.day());
        prop_assert_eq!(parse_date(&slashed), Ok(d));
        let chinese = format!("{}年{}月{}日", d.year(), d.month(), d.day());
        prop_assert_eq!(parse_date(&chinese), Ok(d));
        let compact = d.format("%Y%m%d").to_string();
        prop_assert_eq!(parse_date(&compact), Ok(d));
        let with_time = format!("{slashed} 0:00:00");
        prop_assert_eq!(parse_date(&with_time), Ok(d));
    }

    #[test]
    fn a_month_reads_as_its_last_day(d in date()) {
        let month = d.format("%Y-%m").to_string();
        let got = parse_date(&month);
        prop_assert!(got.is_ok(), "{month}");
        let last = got.unwrap_or(d);
        prop_assert_eq!((last.year(), last.month()), (d.year(), d.month()));
        prop_assert!(last.succ_opt().is_some_and(|next| next.day() == 1));
        prop_assert!(last >= d);
    }

    #[test]
    fn an_excel_serial_is_days_after_1899_12_30(n in 10_000u32..=99_999) {
        let day = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default()
            + chrono::Days::new(u64::from(n));
        prop_assert!(is_excel_serial(&n.to_string()));
        prop_assert_eq!(parse_date(&n.to_string()), Ok(day));
        prop_assert_eq!(parse_date(&format!("{n}.0")), Ok(day));
    }

    #[test]
    fn a_valid_id_reads_back_as_itself(f in first17(), lower in any::<bool>()) {
        let check = id_check_digit(&f).unwrap_or('?');
        let id = format!("{f}{check}");
        prop_assert_eq!(parse_id_number(&id), Ok(id.clone()));
        let typed = if lower { id.to_lowercase() } else { format!("'{id}") };
        prop_assert_eq!(parse_id_number(&typed), Ok(id.clone()));
        prop_assert!(!is_first_generation_id(&id));
        prop_assert_eq!(id_for_message(&id), mask_id(&id));
    }

    #[test]
    fn a_wrong_check_digit_is_caught_and_masked(f in first17(), wrong in proptest::sample::select(vec!['0','1','2','3','4','5','6','7','8','9','X'])) {
        let right = id_check_digit(&f).unwrap_or('?');
        prop_assume!(wrong != right);
        let id = format!("{f}{wrong}");
        let p = parse_id_number(&id);
        let expected = format!("should be {right}");
        prop_assert!(p.as_ref().is_err_and(|p| p.message.contains(&expected)), "{:?}", p);
        prop_assert_eq!(id_for_message(&id), mask_id(&id));
    }

    #[test]
    fn a_first_generation_id_becomes_its_second_generation_form(f in first17_born(1900..=1999)) {
        let fifteen = format!("{}{}", &f[..6], &f[8..]);
        let check = id_check_digit(&f).unwrap_or('?');
        prop_assert!(is_first_generation_id(&fifteen));
        prop_assert_eq!(parse_id_number(&fifteen), Ok(format!("{f}{check}")));
    }

    #[test]
    fn a_stored_phone_reads_back_as_itself(
        numbers in proptest::collection::vec(prop_oneof![mobile(), landline()], 1..4)
    ) {
        let stored = numbers.join("/");
        prop_assert_eq!(parse_phone(&stored), Ok(stored.clone()));
        let spoken = numbers.join("、");
        prop_assert_eq!(parse_phone(&spoken), Ok(stored.clone()));
        let masked = mask_phone(&stored);
        prop_assert_eq!(masked.split('/').count(), numbers.len());
        prop_assert_eq!(masked.chars().count(), stored.chars().count());
    }

    #[test]
    fn a_number_in_range_reads_back_as_itself(n in -1_000_000i64..=1_000_000) {
        prop_assert_eq!(parse_int(&n.to_string(), -1_000_000, 1_000_000), Ok(n));
        prop_assert_eq!(parse_int(&format!("{n}.0"), -1_000_000, 1_000_000), Ok(n));
    }

    #[test]
    fn a_flag_reads_back_as_itself(b in any::<bool>()) {
        let stored = if b { "1" } else { "0" };
        prop_assert_eq!(parse_flag(stored), Ok(b));
    }

    #[test]
    fn normalize_is_idempotent(s in any_text()) {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once.clone());
    }
}
