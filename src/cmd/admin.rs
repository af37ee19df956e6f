//! `init`, `backup`, `restore` and `completions`.

use std::io::Write;

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::{BackupArgs, CompletionsArgs, InitArgs, RestoreArgs};
use crate::db;
use crate::lang::t;
use crate::say;
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
    if let Some(p) = crate::record::county_code_problem(&code) {
        bail!(
            "--code: {} ({code}); {}",
            p.message,
            p.hint.unwrap_or_default()
        );
    }
    db::create(&ctx.db, name, &code)?;
    say!(
        "{}",
        t(
            &format!("created {} for {name} ({code})", ctx.db.display()),
            &format!("已为{name}（{code}）创建 {}", ctx.db.display()),
        )
    );
    Ok(0)
}

pub fn backup(ctx: &Ctx, args: BackupArgs) -> Result<u8> {
    let conn = ctx.open_read()?;
    db::backup::backup(&conn, &args.file)?;
    let target = args.file.display();
    say!(
        "{}",
        t(
            &format!("backed up to {target}"),
            &format!("已备份到 {target}")
        )
    );
    Ok(0)
}

pub fn restore(ctx: &Ctx, args: RestoreArgs) -> Result<u8> {
    let done = db::backup::restore(&ctx.db, &args.backup)?;
    let (db, backup, n) = (ctx.db.display(), args.backup.display(), done.households);
    say!(
        "{}",
        t(
            &format!("restored {db} from {backup} ({n} households)"),
            &format!("已从 {backup} 恢复 {db}（{n} 户）"),
        )
    );
    if let Some(kept) = done.kept {
        say!(
            "{}",
            t(
                &format!(
                    "the file it replaced is kept as {}; delete it once the restored file is right",
                    kept.display()
                ),
                &format!(
                    "被替换的文件保留为 {}；确认恢复无误后可删除",
                    kept.display()
                ),
            )
        );
    }
    Ok(0)
}

pub fn completions(args: CompletionsArgs) -> Result<u8> {
    let mut cmd = crate::help::command();
    // Written whole, so a closed stdout is an error to pass up, not a panic
    // inside the generator.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "fupin", &mut script);
    let mut out = crate::console::stdout();
    out.write_all(&script)?;
    out.flush()?;
    Ok(0)
}
