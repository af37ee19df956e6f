//! Rows left out: counted, reported, and with `--skip-invalid` written to
//! a rejects file the user can correct and import again.

use std::path::PathBuf;

use anyhow::Result;
use csv::ByteRecord;

use super::{FileSummary, Options, Report};
use crate::csv_io::Encoding;
use crate::csv_io::write::CsvOut;
use crate::files::NewFile;
use crate::lang::t;

/// The rejects file, opened on the first rejected row. It holds ID numbers
/// and phones: private, and under its name only once complete.
pub(super) struct Rejects {
    pub(super) path: PathBuf,
    pub(super) header: Vec<String>,
    pub(super) encoding: Encoding,
    pub(super) bom: bool,
    pub(super) out: Option<CsvOut<std::io::BufWriter<NewFile>>>,
}

impl Rejects {
    pub(super) fn write(&mut self, record: &ByteRecord, error: &str) -> Result<()> {
        if self.out.is_none() {
            if let Some(dir) = self.path.parent()
                && !dir.as_os_str().is_empty()
            {
                crate::files::create_private_dir(dir)?;
            }
            let file = NewFile::create(&self.path)?;
            // The cells are the input's own: a `'` there is already the mark.
            let mut out = CsvOut::new(std::io::BufWriter::new(file), self.encoding, self.bom)?
                .cells_as_read();
            let mut header = self.header.clone();
            header.push(t("error", "错误"));
            out.record(&header)?;
            self.out = Some(out);
        }
        if let Some(out) = &mut self.out {
            let mut cells: Vec<String> = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            cells.resize(self.header.len(), String::new());
            cells.push(error.to_string());
            out.record(&cells)?;
        }
        Ok(())
    }

    pub(super) fn finish(self) -> Result<Option<PathBuf>> {
        match self.out {
            Some(out) => {
                let file = out.finish()?.into_inner().map_err(|e| e.into_error())?;
                file.commit()?;
                Ok(Some(self.path))
            }
            None => Ok(None),
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn reject(
    report: &mut Report,
    rejects: &mut Rejects,
    summary: &mut FileSummary,
    opts: &Options,
    file: &str,
    line: u64,
    record: &ByteRecord,
    errors: &[String],
) -> Result<()> {
    for e in errors {
        report.problem(file, line, e.clone());
    }
    skip_row(rejects, summary, opts, record, errors)
}

/// Leaves a bad row out (its problems already said as text), and with
/// `--skip-invalid` keeps it for correction.
pub(super) fn skip_row(
    rejects: &mut Rejects,
    summary: &mut FileSummary,
    opts: &Options,
    record: &ByteRecord,
    errors: &[String],
) -> Result<()> {
    summary.rejected += 1;
    if opts.skip_invalid && !opts.dry_run {
        rejects.write(record, &errors.join("; "))?;
    }
    Ok(())
}
