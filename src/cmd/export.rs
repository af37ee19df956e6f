//! `fupin export`.

use anyhow::{Result, bail};
use clap::Args;

use super::Ctx;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The entity to export
    pub entity: Option<String>,
}

pub fn run(_ctx: &Ctx, _args: ExportArgs) -> Result<u8> {
    bail!("export is not available yet")
}
