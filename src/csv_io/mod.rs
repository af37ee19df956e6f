//! The text encodings of CSV files, and CSV as fupin writes it (the
//! export format). Reading files as townships send them is `crate::input`.

pub mod write;

/// A text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030, a superset of GBK and GB2312 (what Chinese Excel writes as "CSV")
    #[value(name = "gb18030", alias = "gbk", alias = "gb2312")]
    Gb18030,
    /// UTF-16 with a byte-order mark (Excel's "Unicode text")
    #[value(name = "utf-16", alias = "utf16")]
    Utf16,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
            Encoding::Utf16 => "utf-16",
        }
    }
}
