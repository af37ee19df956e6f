//! Writes a households CSV (the import contract, as `gen_county` writes it)
//! as a township's ledger workbook: a merged title, the reporting unit, a
//! header in Chinese with 序号, ID numbers as text cells, people as numbers,
//! dates as date cells, and a 合计 row. The benchmark reads it (bench/run.sh).
//!
//! cargo run --release --example csv_to_ledger -- households.csv ledger.xlsx

use std::error::Error;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: csv_to_ledger HOUSEHOLDS.csv LEDGER.xlsx".into());
    };
    let mut reader = csv::Reader::from_path(input)?;
    let header = reader.headers()?.clone();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("{input} has no column {name}"))
    };
    let cols = [
        ("户编号", at("code")?, Kind::Text),
        ("行政村", at("village")?, Kind::Text),
        ("户主姓名", at("head_name")?, Kind::Text),
        ("证件号码", at("id_number")?, Kind::Text),
        ("人数", at("members")?, Kind::Number),
        ("贫困户属性", at("attribute")?, Kind::Attribute),
        ("识别时间", at("registered_on")?, Kind::Date),
        ("脱贫时间", at("lifted_on")?, Kind::Date),
        ("联系电话", at("phone")?, Kind::Text),
    ];

    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("贫困户")?;
    let last_col = cols.len() as u16;
    sheet.merge_range(0, 0, 0, last_col, "建档立卡贫困户花名册", &bold)?;
    sheet.write_string(1, 0, "填报单位：扶贫开发领导小组办公室")?;
    sheet.write_string_with_format(2, 0, "序号", &bold)?;
    for (c, (name, _, _)) in cols.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16 + 1, *name, &bold)?;
    }
    let mut row = 3u32;
    let mut people = 0.0;
    for record in reader.records() {
        let record = record?;
        sheet.write_number(row, 0, f64::from(row - 2))?;
        for (c, (_, i, kind)) in cols.iter().enumerate() {
            let c = c as u16 + 1;
            let value = record.get(*i).unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            match kind {
                Kind::Text => {
                    sheet.write_string(row, c, value)?;
                }
                Kind::Number => {
                    let n: f64 = value.parse()?;
                    people += n;
                    sheet.write_number(row, c, n)?;
                }
                Kind::Attribute => {
                    sheet.write_string(row, c, attribute(value))?;
                }
                Kind::Date => {
                    sheet.write_datetime_with_format(
                        row,
                        c,
                        ExcelDateTime::parse_from_str(value)?,
                        &date,
                    )?;
                }
            }
        }
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "合计", &bold)?;
    sheet.write_number_with_format(row, 5, people, &bold)?;
    book.save(output)?;
    eprintln!("csv_to_ledger: wrote {} households to {output}", row - 3);
    Ok(())
}

enum Kind {
    Text,
    Number,
    Attribute,
    Date,
}

fn attribute(code: &str) -> &str {
    match code {
        "low_income" => "低保贫困户",
        "extreme_poverty" => "特困供养贫困户",
        _ => "一般贫困户",
    }
}
