//! Properties of reading and of the round trip: no bytes make the reader
//! panic, and whatever text fupin stores — quotes, commas, a note's line
//! breaks, CJK, cells a spreadsheet would run as formulas — exports, imports
//! into an empty file and exports again as the same bytes.

use std::path::Path;

use proptest::prelude::*;

use super::{Options, run};
use crate::csv_io::Encoding;
use crate::db::audit::Actor;
use crate::db::store::{self, Value};
use crate::export;
use crate::input::layout::Rows;
use crate::input::{Spec, csv as csv_input};
use crate::model::{CADRE, HOUSEHOLD, TOWN, VILLAGE};

fn options(path: &Path) -> Options {
    Options {
        entity: None,
        path: path.to_path_buf(),
        encoding: None,
        sheet: None,
        dry_run: false,
        skip_invalid: false,
        rejects: None,
        ignore_unknown_columns: false,
        missing: None,
        defaults: super::Defaults::default(),
        progress: false,
    }
}

/// Text a household's name (`multiline` false) or note (true) may hold:
/// never empty and without surrounding white space (fupin trims what it
/// reads), and without the control characters fupin refuses on input
/// (`values::refused_char`) — NULs, escapes, bidirectional overrides; a
/// note keeps its tabs and line breaks, `\n` or `\r\n`.
fn stored_text(multiline: bool) -> impl Strategy<Value = String> {
    let chars = prop_oneof![
        3 => proptest::char::range('a', 'z').prop_map(String::from),
        2 => proptest::sample::select(vec![
            '"', ',', '\n', '\r', '\0', '\'', '=', '+', '-', '@', '\t', ';', '龙', '岩', '𬌗', '😀',
            '\u{3000}', '（', ' ', '\u{1b}', '\u{202e}',
        ])
        .prop_map(String::from),
        1 => Just("\r\n".to_string()),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(chars, 1..16)
        .prop_map(|cs| cs.concat())
        .prop_map(move |s| {
            let cs: Vec<char> = s.chars().collect();
            let kept: String = cs
                .iter()
                .enumerate()
                .filter(|&(i, &c)| {
                    let line =
                        c == '\t' || c == '\n' || (c == '\r' && cs.get(i + 1) == Some(&'\n'));
                    !crate::values::is_control(c) || (multiline && line)
                })
                .map(|(_, &c)| c)
                .collect();
            let t = kept.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
            if t.is_empty() {
                "x".to_string()
            } else {
                t.to_string()
            }
        })
}

/// A county with one village and one cadre, ready for households.
fn county(path: &Path) -> anyhow::Result<rusqlite::Connection> {
    let conn = crate::db::create(path, "钟山县", "451122")?;
    let text = |s: &str| Value::Text(s.to_string());
    store::insert(
        &conn,
        &CADRE,
        &[
            text("GB1"),
            text("张三"),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
        ],
    )?;
    store::insert(
        &conn,
        &crate::model::ZONE,
        &[text("ZQ01"), text("钟山镇作战区"), Value::Null, Value::Null],
    )?;
    store::insert(
        &conn,
        &TOWN,
        &[text("451122100"), text("钟山镇"), text("ZQ01")],
    )?;
    store::insert(
        &conn,
        &VILLAGE,
        &[
            text("451122100201"),
            text("新村"),
            text("451122100"),
            text("village"),
            Value::Null,
            Value::Int(0),
            Value::Null,
            Value::Null,
        ],
    )?;
    Ok(conn)
}

/// A valid ID number for the n-th household.
fn id(n: usize) -> String {
    let first = format!(
        "4511221980{:02}{:02}{:03}",
        1 + n / 28 % 12,
        1 + n % 28,
        n % 1000
    );
    let check = crate::values::id_check_digit(&first).unwrap_or('0');
    format!("{first}{check}")
}

fn households_csv(conn: &rusqlite::Connection) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let opts = export::Options {
        encoding: Encoding::Utf8,
        bom: false,
        place: None,
    };
    export::write_entity(conn, &HOUSEHOLD, &mut out, &opts)?;
    Ok(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn no_bytes_make_the_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(mut src) = csv_input::open(&path, None) {
            let mut record = csv::ByteRecord::new();
            while let Ok(Some(_)) = src.next(&mut record) {}
        }
        // The layout finder over the same bytes: a header found or not,
        // never a panic.
        if let Ok(Some((mut rows, _))) = Rows::open(&Spec::csv(&path, None), Some(&HOUSEHOLD)) {
            let mut record = csv::ByteRecord::new();
            while let Ok(Some(_)) = rows.next(&mut record) {}
        }
    }

    #[test]
    fn stored_text_round_trips_through_export_and_import(
        rows in proptest::collection::vec((stored_text(false), stored_text(true)), 1..6),
    ) {
        // English only: the language is one switch for the process, and
        // other tests run beside this one (the Chinese round trip is
        // tested through the binary, tests/cli/trust.rs and export.rs).
        let dir = tempfile::tempdir().unwrap();
        let first = county(&dir.path().join("a.db")).unwrap();
        for (i, (name, note)) in rows.iter().enumerate() {
            let text = |s: &str| Value::Text(s.to_string());
            store::insert(
                &first,
                &HOUSEHOLD,
                &[
                    text(&format!("H{i}")),
                    text("451122100201"),
                    text(name),
                    text(&id(i)),
                    Value::Int(2),
                    text("general"),
                    Value::Null,
                    text("2015-12-31"),
                    Value::Null,
                    text("GB1"),
                    Value::Null,
                    text(note),
                ],
            )
            .unwrap();
        }
        let exported = households_csv(&first).unwrap();
        let file = dir.path().join("households.csv");
        std::fs::write(&file, &exported).unwrap();
        let mut second = county(&dir.path().join("b.db")).unwrap();
        let report =
            run(&mut second, &Actor::new(Some("test".into()), "import"), &options(&file)).unwrap();
        prop_assert!(report.written, "{:?}", report.problems);
        prop_assert_eq!(report.files[0].inserted, rows.len() as u64);
        let again = households_csv(&second).unwrap();
        prop_assert_eq!(String::from_utf8_lossy(&again), String::from_utf8_lossy(&exported));
    }
}
