//! Rows left out: counted, reported, and with `--skip-invalid` written to
//! a rejects file the user can correct and import again.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

use anyhow::Result;
use csv::ByteRecord;

use super::{FileSummary, Options, Report};
use crate::csv_io::Encoding;
use crate::csv_io::write::CsvOut;
use crate::files::NewFile;
use crate::lang::t;

/// The rejects file, opened on the first rejected row. It holds ID numbers
/// and phones: private, and under its name only once complete. A handle:
/// the loads of one file (a person-level file loads households and people)
/// set their rows aside in the same file.
#[derive(Clone)]
pub(super) struct Rejects(Rc<RefCell<RejectsFile>>);

struct RejectsFile {
    path: PathBuf,
    header: Vec<String>,
    encoding: Encoding,
    bom: bool,
    out: Option<CsvOut<std::io::BufWriter<NewFile>>>,
}

impl Rejects {
    pub(super) fn new(path: PathBuf, header: Vec<String>, encoding: Encoding, bom: bool) -> Self {
        Rejects(Rc::new(RefCell::new(RejectsFile {
            path,
            header,
            encoding,
            bom,
            out: None,
        })))
    }

    pub(super) fn write(&self, record: &ByteRecord, error: &str) -> Result<()> {
        let mut this = self.0.borrow_mut();
        let this = &mut *this;
        if this.out.is_none() {
            if let Some(dir) = this.path.parent()
                && !dir.as_os_str().is_empty()
            {
                crate::files::create_private_dir(dir)?;
            }
            let file = NewFile::create(&this.path)?;
            // The cells are the input's own: a `'` there is already the mark.
            let mut out = CsvOut::new(std::io::BufWriter::new(file), this.encoding, this.bom)?
                .cells_as_read();
            let mut header = this.header.clone();
            header.push(t("error", "错误"));
            out.record(&header)?;
            this.out = Some(out);
        }
        if let Some(out) = &mut this.out {
            let mut cells: Vec<String> = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            cells.resize(this.header.len(), String::new());
            cells.push(error.to_string());
            out.record(&cells)?;
        }
        Ok(())
    }

    /// Puts the file under its name, if any row was set aside.
    pub(super) fn finish(&self) -> Result<Option<PathBuf>> {
        let mut this = self.0.borrow_mut();
        match this.out.take() {
            Some(out) => {
                let file = out.finish()?.into_inner().map_err(|e| e.into_error())?;
                file.commit()?;
                Ok(Some(this.path.clone()))
            }
            None => Ok(None),
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn reject(
    report: &mut Report,
    rejects: &Rejects,
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
    rejects: &Rejects,
    summary: &mut FileSummary,
    opts: &Options,
    record: &ByteRecord,
    errors: &[String],
) -> Result<()> {
    summary.rejected += 1;
    if opts.skip_invalid && !opts.dry_run {
        rejects.write(record, &errors.join(&crate::lang::t("; ", "；")))?;
    }
    Ok(())
}
