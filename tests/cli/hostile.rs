//! Damaged and hostile workbooks: truncated, byte-mutated and zip bombs are
//! refused with the file's name, never a crash.

use std::io::Write;
use std::path::Path;
use std::process::Output;

use crate::common::TestEnv;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(name);
    std::fs::read(path).expect("fixture")
}

/// A small .xlsx household ledger.
fn small_xlsx(env: &TestEnv) -> Vec<u8> {
    let path = env.path("small.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("贫困户").expect("sheet name");
    let rows = [
        ["户编号", "乡镇", "行政村", "户主姓名", "证件号码", "人数"],
        ["H1", "钟山镇", "新村", "张三", "11010519491231002X", "4"],
        ["H2", "钟山镇", "新村", "李四", "110105194912310037", "2"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *cell).expect("cell");
        }
    }
    book.save(&path).expect("save xlsx");
    std::fs::read(path).expect("read xlsx")
}

/// The address space a hostile file may cost: a file that makes fupin
/// allocate without bound ends the process (an abort, exit 134) instead of
/// passing unseen.
const MEMORY_MIB: u64 = 1024;

/// `fupin ARGS` as [`TestEnv::run`] runs it, within [`MEMORY_MIB`].
fn run_within_memory(env: &TestEnv, args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_fupin"));
    cmd.current_dir(env.dir.path())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("FUPIN_DB")
        .env_remove("COLUMNS")
        // One malloc arena per thread would reserve address space that is
        // never used, and count against the limit.
        .env("MALLOC_ARENA_MAX", "2")
        .arg("--db")
        .arg(env.db())
        .args(args);
    let bytes = MEMORY_MIB << 20;
    // SAFETY: setrlimit is async-signal-safe and touches nothing the
    // parent shares.
    unsafe {
        cmd.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().expect("run fupin")
}

/// Runs `fupin import` on `bytes` saved as `name` within [`MEMORY_MIB`];
/// returns the exit code after checking it is not a crash and that a
/// refusal names the file.
fn import(env: &TestEnv, name: &str, bytes: &[u8], what: &str) -> i32 {
    std::fs::write(env.path(name), bytes).expect("write");
    let out = run_within_memory(env, &["import", name, "--dry-run"]);
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        code == 0 || code == 1,
        "{name} {what}: exit {code}\nstderr: {stderr}"
    );
    if code == 1 {
        assert!(stderr.contains(name), "{name} {what}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name} {what}: {stderr}");
    }
    code
}

/// Truncations every 97 bytes and at a few telling lengths, and a few
/// deterministic byte changes.
fn damage(env: &TestEnv, name: &str, good: &[u8]) {
    let mut lengths: Vec<usize> = (0..good.len()).step_by(97).collect();
    lengths.extend([1, 8, 511, 512, 513, good.len() - 1]);
    for len in lengths {
        let code = import(env, name, &good[..len], &format!("cut at {len}"));
        assert_eq!(code, 1, "{name} cut at {len} was read");
    }
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..40 {
        let mut bytes = good.to_vec();
        for _ in 0..1 + i % 3 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = (seed >> 33) as usize % bytes.len();
            bytes[at] = [0x00, 0xFF, 0x7F, bytes[at] ^ 0x10][(seed >> 20) as usize % 4];
        }
        import(env, name, &bytes, &format!("mutation {i}"));
    }
}

#[test]
fn truncated_or_changed_xls_is_refused_not_a_crash() {
    let env = TestEnv::new();
    damage(&env, "broken.xls", &fixture("ledger.xls"));
}

#[test]
fn truncated_or_changed_ods_is_refused_not_a_crash() {
    let env = TestEnv::new();
    damage(&env, "broken.ods", &fixture("ledger.ods"));
}

#[test]
fn truncated_or_changed_xlsx_is_refused_not_a_crash() {
    let env = TestEnv::new();
    let good = small_xlsx(&env);
    damage(&env, "broken.xlsx", &good);
}

/// A zip named .xlsx with one member of `mib` MiB of zeros.
fn bomb(env: &TestEnv, name: &str, mib: usize) {
    let file = std::fs::File::create(env.path(name)).expect("create");
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    zip.start_file("xl/worksheets/sheet1.xml", options)
        .expect("member");
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..mib {
        zip.write_all(&zeros).expect("write");
    }
    zip.finish().expect("finish");
}

#[test]
fn a_zip_bomb_is_refused_before_unpacking() {
    let env = TestEnv::new();
    bomb(&env, "bomb.xlsx", 300);
    let err = env.fails(&["import", "bomb.xlsx"], 1);
    assert!(err.contains("bomb.xlsx"), "{err}");
    assert!(err.contains("256 MiB"), "{err}");

    bomb(&env, "dense.xlsx", 2);
    let err = env.fails(&["import", "dense.xlsx"], 1);
    assert!(err.contains("dense.xlsx"), "{err}");
    assert!(err.contains("100 times"), "{err}");
}

#[test]
fn an_xls_header_claiming_more_than_the_file_is_refused() {
    let env = TestEnv::new();
    let mut bytes = fixture("ledger.xls");
    // The number of FAT sectors, far beyond the file's length.
    bytes[44..48].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
    std::fs::write(env.path("claims.xls"), &bytes).unwrap();
    let err = env.fails(&["import", "claims.xls"], 1);
    assert!(err.contains("claims.xls: the workbook is damaged"), "{err}");
}

/// `good` with each member's text changed by `edit`, stored unpacked.
fn rewrite(good: &[u8], edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    use std::io::Read;
    let mut old = zip::ZipArchive::new(std::io::Cursor::new(good)).expect("a zip");
    let mut new = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..old.len() {
        let mut member = old.by_index(i).expect("member");
        let name = member.name().map(|n| n.to_string()).expect("name");
        let mut text = String::new();
        member.read_to_string(&mut text).expect("xml text");
        new.start_file(name.as_str(), stored).expect("start");
        new.write_all(edit(&name, text).as_bytes()).expect("write");
    }
    new.finish().expect("finish").into_inner()
}

#[test]
fn a_sheet_beyond_excel_or_a_huge_cell_is_refused_with_the_limit() {
    let env = TestEnv::new();
    let good = small_xlsx(&env);
    let sheet = "xl/worksheets/sheet1.xml";
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "wide.xlsx",
            rewrite(&good, |name, xml| {
                if name == sheet {
                    xml.replace(r#"r="F3""#, r#"r="XFE3""#)
                } else {
                    xml
                }
            }),
            "it has more than 16384 columns",
        ),
        (
            "long.xlsx",
            rewrite(&good, |name, xml| {
                if name == sheet {
                    xml.replace(r#"r="A3""#, r#"r="A1048577""#)
                } else {
                    xml
                }
            }),
            "it has more than 1048576 rows",
        ),
        (
            "huge.xlsx",
            rewrite(&good, |name, xml| {
                if name.ends_with("sharedStrings.xml") {
                    xml.replace("张三", &"x".repeat((1 << 20) + 1))
                } else {
                    xml
                }
            }),
            "a cell is longer than 1 MiB",
        ),
    ];
    for (name, bytes, limit) in cases {
        std::fs::write(env.path(name), bytes).unwrap();
        let err = env.fails(&["import", name], 1);
        assert!(
            err.contains(&format!("{name}, sheet 贫困户: {limit}")),
            "{err}"
        );
    }
}

/// Two changed bytes used to make calamine ask for hundreds of gigabytes,
/// which ends a process without a word: a sheet declared 2 billion rows
/// high, and a cell at row and column 65,280.
#[test]
fn an_xls_sheet_beyond_its_rows_or_columns_is_refused_before_reading() {
    let env = TestEnv::new();
    let good = fixture("ledger.xls");
    let dims = good
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .expect("a DIMENSIONS record");
    let mut tall = good.clone();
    tall[dims + 4 + 7] = 0x7F;
    let label = good
        .windows(4)
        .position(|w| w == [0xFD, 0x00, 0x0A, 0x00])
        .expect("a LABELSST record");
    let mut far = good.clone();
    far[label + 5] = 0xFF;
    far[label + 7] = 0xFF;
    for (name, bytes) in [("tall.xls", tall), ("far.xls", far)] {
        std::fs::write(env.path(name), bytes).unwrap();
        let err = env.fails(&["import", name], 1);
        assert!(
            err.contains(&format!("{name}: the workbook is damaged")),
            "{err}"
        );
        assert!(err.contains("256 columns"), "{err}");
    }
}

/// An .ods file writes a run of equal rows once with a repeat count;
/// calamine expands every repeat when it opens the file, so 4 KB repeating
/// one row a million times took 1.9 GB. It is measured first.
#[test]
fn an_ods_repeating_a_row_a_million_times_is_refused_before_expanding() {
    let env = TestEnv::new();
    crate::county::places(&env);
    let good = fixture("ledger.ods");
    let bomb = rewrite(&good, |name, xml| {
        if name != "content.xml" {
            return xml;
        }
        xml.split("<table:table-row>")
            .enumerate()
            .map(|(i, part)| match i {
                0 => part.to_string(),
                3 => format!(r#"<table:table-row table:number-rows-repeated="1000000">{part}"#),
                _ => format!("<table:table-row>{part}"),
            })
            .collect()
    });
    let code = import(&env, "repeats.ods", &bomb, "repeated a million times");
    assert_eq!(code, 1);
    let out = run_within_memory(&env, &["import", "repeats.ods"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("repeats.ods, sheet 贫困户: its repeated rows and cells spread to"),
        "{err}"
    );
    assert_eq!(env.count("SELECT count(*) FROM households"), 0);

    // The file as LibreOffice saved it, a repeat of a few rows included,
    // is read.
    let few = rewrite(&good, |name, xml| {
        if name == "content.xml" {
            xml.replacen(
                "<table:table-row>",
                r#"<table:table-row table:number-rows-repeated="3">"#,
                1,
            )
        } else {
            xml
        }
    });
    assert_eq!(import(&env, "few.ods", &few, "a title repeated"), 0);
    env.ok(&["import", "few.ods"]);
    assert_eq!(env.count("SELECT count(*) FROM households"), 2);
}

/// A damaged workbook is answered for the kind its name claims: an .ods
/// is not told what an .xlsx lacks.
#[test]
fn a_damaged_ods_is_named_as_an_ods() {
    let env = TestEnv::new();
    let file = std::fs::File::create(env.path("bad.ods")).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).expect("member");
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("write");
    zip.finish().expect("finish");
    let err = env.fails(&["import", "bad.ods"], 1);
    assert!(
        err.contains("cannot read bad.ods as a workbook (as .ods:"),
        "{err}"
    );
    assert!(!err.contains("_rels"), "{err}");
}
