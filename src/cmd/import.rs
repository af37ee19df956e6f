//! `fupin import`.

use anyhow::{Result, bail};
use clap::Args;

use super::Ctx;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Entity, or the file/folder when the entity is left out
    #[arg(value_name = "ENTITY|FILE|DIR")]
    pub first: String,
    /// File or folder, when ENTITY is given
    #[arg(value_name = "FILE|DIR")]
    pub second: Option<String>,
}

pub fn run(_ctx: &Ctx, _args: ImportArgs) -> Result<u8> {
    bail!("import is not available yet")
}
