//! `visit`: cadres' visits to villages and households.

use anyhow::Result;

use super::Ctx;
use super::listing;
use super::records::{self, Filter, ref_arg};
use crate::cli::VisitCmd;
use crate::db::store::Value;
use crate::model::{Kind, VISIT};
use crate::present::Personal;

pub fn run(ctx: &Ctx, cmd: VisitCmd) -> Result<u8> {
    match cmd {
        VisitCmd::Add(f) => records::add(ctx, &VISIT, &f.raw, f.force),
        VisitCmd::Update(f) => records::update(ctx, &VISIT, &f.code, &f.raw, f.force),
        VisitCmd::Remove(a) => records::remove(ctx, &VISIT, &a.id, None),
        VisitCmd::List(a) => {
            let conn = ctx.open_read()?;
            let mut filter = Filter::default();
            if let Some(cadre) = &a.cadre {
                filter.text("cadre = ?", ref_arg(&conn, "cadre", Kind::Cadre, cadre)?);
            }
            if let Some(village) = &a.village {
                let code = ref_arg(&conn, "village", Kind::Village, village)?;
                filter.add(
                    "(village = ? OR household IN (SELECT code FROM households WHERE village = ?))",
                    [Value::from(code.clone()), code.into()],
                );
            }
            if let Some(household) = &a.household {
                filter.text(
                    "household = ?",
                    ref_arg(&conn, "household", Kind::Household, household)?,
                );
            }
            filter.between("visited_on", &a.range)?;
            listing::list(&conn, &VISIT, filter, &a.opts, Personal::Masked, &[])
        }
    }
}
