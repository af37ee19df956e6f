//! `init`, `backup` and `completions`.

use anyhow::{Context, Result, bail};

use super::Ctx;
use crate::cli::{BackupArgs, Cli, CompletionsArgs, InitArgs};
use crate::db;
use crate::lang::t;
use crate::values::normalize;

pub fn init(ctx: &Ctx, args: InitArgs) -> Result<u8> {
    let name = args.county.trim();
    let code = normalize(&args.code);
    if name.is_empty() || code.is_empty() {
        bail!(
            "{}",
            t(
                "--county and --code must not be empty",
                "--county 和 --code 不能为空"
            )
        );
    }
    db::create(&ctx.db, name, &code)?;
    eprintln!(
        "{}",
        t(
            &format!("created {} for {name} ({code})", ctx.db.display()),
            &format!("已为{name}（{code}）创建 {}", ctx.db.display()),
        )
    );
    Ok(0)
}

pub fn backup(ctx: &Ctx, args: BackupArgs) -> Result<u8> {
    let conn = ctx.open()?;
    if args.file.exists() {
        bail!(
            "{}",
            t(
                &format!(
                    "{} already exists; choose a new file name",
                    args.file.display()
                ),
                &format!("{} 已存在；请换一个文件名", args.file.display()),
            )
        );
    }
    let target = args.file.to_string_lossy().to_string();
    // VACUUM INTO writes a consistent, compacted copy while others may read.
    conn.execute("VACUUM INTO ?1", [&target])
        .with_context(|| format!("failed to write the backup to {target}"))?;
    eprintln!(
        "{}",
        t(
            &format!("backed up to {target}"),
            &format!("已备份到 {target}")
        )
    );
    Ok(0)
}

pub fn completions(args: CompletionsArgs) -> Result<u8> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(args.shell, &mut cmd, "fupin", &mut std::io::stdout());
    Ok(0)
}
