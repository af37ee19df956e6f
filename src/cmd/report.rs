//! `fupin report`.

use anyhow::{Result, bail};
use clap::Subcommand;

use super::Ctx;

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// "Double clear" (双清零) status as of a date
    DoubleClear,
}

pub fn run(_ctx: &Ctx, _cmd: ReportCmd) -> Result<u8> {
    bail!("reports are not available yet")
}
