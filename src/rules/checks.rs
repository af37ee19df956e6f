//! The rules themselves: each a small function over a household in a year
//! (with its people and its assessment) or over one of its people, giving
//! the values at fault as the reader should see them, or nothing.

use super::Ctx;
use super::case::{Case, Member, Year};
use crate::values::format_money;

fn yuan(fen: i64) -> String {
    format_money(fen)
}

fn year(case: &Case) -> Option<&Year> {
    case.year.as_ref()
}

// --- One income over the line, two assurances, three guarantees (lifted) ---

pub fn lifted_income_below_line(case: &Case, ctx: &Ctx) -> Option<String> {
    let income = year(case)?.income?;
    (case.lifted() && income <= ctx.income_line_fen()).then(|| {
        ctx.lang.t(
            &format!("income {} ≤ line {}", yuan(income), ctx.line.income_line),
            &format!(
                "人均纯收入 {} 元，未超过标准 {} 元",
                yuan(income),
                ctx.line.income_line
            ),
        )
    })
}

pub fn lifted_food_or_clothing(case: &Case, ctx: &Ctx) -> Option<String> {
    let y = year(case)?;
    let food = y.food_secure == Some(false);
    let clothing = y.clothing_secure == Some(false);
    (case.lifted() && (food || clothing)).then(|| match (food, clothing) {
        (true, true) => ctx.lang.t("food and clothing not secure", "愁吃、愁穿"),
        (true, false) => ctx.lang.t("food not secure", "愁吃"),
        _ => ctx.lang.t("clothing not secure", "愁穿"),
    })
}

pub fn lifted_unsafe_housing(case: &Case, ctx: &Ctx) -> Option<String> {
    let y = year(case)?;
    (case.lifted() && y.unsafe_housing()).then(|| match &y.housing_grade {
        Some(g) if matches!(g.as_str(), "c" | "d") => ctx.lang.t(
            &format!("house graded {}", g.to_uppercase()),
            &format!("住房鉴定为 {} 级危房", g.to_uppercase()),
        ),
        _ => ctx.lang.t("dilapidated house", "危房户"),
    })
}

pub fn lifted_unsafe_water(case: &Case, ctx: &Ctx) -> Option<String> {
    (case.lifted() && year(case)?.safe_water == Some(false))
        .then(|| ctx.lang.t("no safe drinking water", "未解决安全饮水"))
}

pub fn lifted_no_electricity(case: &Case, ctx: &Ctx) -> Option<String> {
    (case.lifted() && year(case)?.electricity == Some(false))
        .then(|| ctx.lang.t("no electricity for living", "未通生活用电"))
}

pub fn lifted_child_out_of_school(case: &Case, m: &Member, ctx: &Ctx) -> Option<String> {
    let age = m.age?;
    (case.lifted() && (6..=15).contains(&age) && m.out_of_school()).then(|| {
        ctx.lang.t(
            &format!("aged {age}, {}", m.schooling.as_deref().unwrap_or_default()),
            &format!("{age} 岁，{}", m.schooling.as_deref().unwrap_or_default()),
        )
    })
}

pub fn lifted_no_medical_insurance(case: &Case, m: &Member, ctx: &Ctx) -> Option<String> {
    (case.lifted() && m.medical_insurance == Some(false)).then(|| {
        ctx.lang.t(
            "not covered by basic medical insurance",
            "未参加基本医疗保险",
        )
    })
}

// --- Income that does not fit the status or is a typing slip ---

/// Twice the line: a household still poor with that income was most
/// likely lifted without the register saying so, or its income mistyped.
pub fn poor_income_far_above(case: &Case, ctx: &Ctx) -> Option<String> {
    let income = year(case)?.income?;
    (case.poor() && income >= 2 * ctx.income_line_fen()).then(|| {
        ctx.lang.t(
            &format!(
                "not lifted, income {} ≥ twice the line {}",
                yuan(income),
                ctx.line.income_line
            ),
            &format!(
                "未脱贫，人均纯收入 {} 元，达到标准 {} 元的两倍",
                yuan(income),
                ctx.line.income_line
            ),
        )
    })
}

pub fn income_out_of_range(case: &Case, ctx: &Ctx) -> Option<String> {
    let income = year(case)?.income?;
    (!(50_000..=3_000_000).contains(&income)).then(|| {
        ctx.lang.t(
            &format!("income {} (below 500 or above 30000)", yuan(income)),
            &format!("人均纯收入 {} 元（低于 500 或高于 30000）", yuan(income)),
        )
    })
}

pub fn wage_income_without_work(case: &Case, ctx: &Ctx) -> Option<String> {
    let wage = year(case)?.wage_income?;
    let working = case.people.iter().any(Member::working);
    match (wage > 0, working) {
        (true, false) => Some(ctx.lang.t(
            &format!("wage income {}, nobody works", yuan(wage)),
            &format!("工资性收入 {} 元，但无人务工", yuan(wage)),
        )),
        (false, true) => Some(ctx.lang.t(
            "a member works, no wage income",
            "有成员务工，但工资性收入为 0",
        )),
        _ => None,
    }
}

// --- The cause against the people ---

pub fn cause_illness_all_healthy(case: &Case, ctx: &Ctx) -> Option<String> {
    (case.cause.as_deref() == Some("illness")
        && !case.people.is_empty()
        && case.people.iter().all(Member::healthy))
    .then(|| {
        ctx.lang
            .t("cause illness, every member 健康", "因病致贫，但成员均健康")
    })
}

pub fn cause_schooling_no_student(case: &Case, ctx: &Ctx) -> Option<String> {
    (case.cause.as_deref() == Some("schooling")
        && !case.people.is_empty()
        && !case.people.iter().any(Member::student))
    .then(|| {
        ctx.lang.t(
            "cause schooling, no member at school",
            "因学致贫，但无在校生",
        )
    })
}

pub fn cause_disability_none_disabled(case: &Case, ctx: &Ctx) -> Option<String> {
    (case.cause.as_deref() == Some("disability")
        && !case.people.is_empty()
        && !case.people.iter().any(Member::disabled))
    .then(|| {
        ctx.lang.t(
            "cause disability, no disabled member",
            "因残致贫，但无残疾成员",
        )
    })
}

// --- People ---

pub fn spouse_same_sex(case: &Case, m: &Member, ctx: &Ctx) -> Option<String> {
    if m.relation != "spouse" {
        return None;
    }
    let head = case.people.iter().find(|p| p.relation == "head")?;
    let (Some(a), Some(b)) = (&head.gender, &m.gender) else {
        return None;
    };
    (a == b).then(|| {
        let g = crate::report::choice_text(ctx.lang, crate::model::GENDERS, b);
        ctx.lang.t(
            &format!("spouse and head both {g}"),
            &format!("配偶与户主同为{g}性"),
        )
    })
}

/// A relation that says the gender (之子, 之女, 之父亲 …) against the gender
/// recorded, and the gender against the ID number's.
pub fn gender_against_relation(_case: &Case, m: &Member, ctx: &Ctx) -> Option<String> {
    let gender = m.gender.as_deref()?;
    let by_relation = match m.relation.as_str() {
        "son" | "son_in_law" | "grandson" | "father" => Some("male"),
        "daughter" | "daughter_in_law" | "granddaughter" | "mother" => Some("female"),
        _ => None,
    };
    let label = |g: &str| crate::report::choice_text(ctx.lang, crate::model::GENDERS, g);
    let relation = crate::report::choice_text(ctx.lang, crate::model::RELATIONS, &m.relation);
    if let Some(expected) = by_relation
        && expected != gender
    {
        return Some(ctx.lang.t(
            &format!("{relation} recorded {}", label(gender)),
            &format!("关系为{relation}，性别为{}", label(gender)),
        ));
    }
    let (_, from_id) = crate::values::id_birth_and_gender(&m.id_number)?;
    (from_id != gender).then(|| {
        ctx.lang.t(
            &format!(
                "{} recorded, the ID number says {}",
                label(gender),
                label(from_id)
            ),
            &format!("性别为{}，身份证号为{}", label(gender), label(from_id)),
        )
    })
}

pub fn working_age_healthy_without_labour(_case: &Case, m: &Member, ctx: &Ctx) -> Option<String> {
    let age = m.age?;
    ((16..=65).contains(&age) && m.healthy() && m.without_labour()).then(|| {
        ctx.lang.t(
            &format!(
                "aged {age}, 健康, {}",
                m.labour.as_deref().unwrap_or_default()
            ),
            &format!(
                "{age} 岁，健康，{}",
                m.labour.as_deref().unwrap_or_default()
            ),
        )
    })
}

pub fn no_labour_but_work_months(_case: &Case, m: &Member, ctx: &Ctx) -> Option<String> {
    let months = m.work_months.filter(|n| *n > 0)?;
    m.without_labour().then(|| {
        ctx.lang.t(
            &format!(
                "{}, {months} months of work",
                m.labour.as_deref().unwrap_or_default()
            ),
            &format!(
                "{}，务工 {months} 个月",
                m.labour.as_deref().unwrap_or_default()
            ),
        )
    })
}

pub fn work_months_over_12(_case: &Case, m: &Member, ctx: &Ctx) -> Option<String> {
    let months = m.work_months.filter(|n| *n > 12)?;
    Some(ctx.lang.t(
        &format!("{months} months of work in a year"),
        &format!("务工时间 {months} 个月"),
    ))
}

pub fn student_over_30(_case: &Case, m: &Member, ctx: &Ctx) -> Option<String> {
    let age = m.age?;
    (age > 30 && m.student()).then(|| {
        ctx.lang.t(
            &format!("aged {age}, {}", m.schooling.as_deref().unwrap_or_default()),
            &format!("{age} 岁，{}", m.schooling.as_deref().unwrap_or_default()),
        )
    })
}

// --- Allowances and certificates ---

pub fn low_income_without_dibao(case: &Case, ctx: &Ctx) -> Option<String> {
    if case.attribute.as_deref() != Some("low_income") {
        return None;
    }
    let anyone = case.people.iter().any(|m| m.dibao == Some(true));
    let paid = case.year.as_ref().and_then(|y| y.dibao_paid).unwrap_or(0) > 0;
    let recorded = case.people.iter().any(|m| m.dibao.is_some()) || case.year.is_some();
    (recorded && (!anyone || (case.year.is_some() && !paid))).then(|| {
        if anyone {
            ctx.lang.t(
                "低保贫困户, no 低保金 in the year",
                "低保贫困户，本年无低保金",
            )
        } else {
            ctx.lang.t(
                "低保贫困户, no member receives 低保",
                "低保贫困户，但无成员享受低保",
            )
        }
    })
}

pub fn extreme_poverty_without_support(case: &Case, ctx: &Ctx) -> Option<String> {
    let y = year(case)?;
    (case.attribute.as_deref() == Some("extreme_poverty") && y.tekun_paid.unwrap_or(0) <= 0).then(
        || {
            ctx.lang.t(
                "特困供养贫困户, no 特困供养金 in the year",
                "特困供养贫困户，本年无特困供养金",
            )
        },
    )
}

pub fn disabled_without_certificate(_case: &Case, m: &Member, ctx: &Ctx) -> Option<String> {
    (m.disabled() && m.disability_certificate.is_none()).then(|| {
        ctx.lang.t(
            "health 残疾, no disability certificate",
            "健康状况为残疾，无残疾人证",
        )
    })
}

pub fn certificate_but_healthy(_case: &Case, m: &Member, ctx: &Ctx) -> Option<String> {
    (m.disability_certificate.is_some() && m.healthy()).then(|| {
        ctx.lang.t(
            "disability certificate, health recorded as healthy",
            "持残疾人证，健康状况为健康",
        )
    })
}
