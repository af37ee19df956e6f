//! A chart as inline SVG for the printed page: no script, no external
//! file. Bars of people remaining per period on the left axis, a line of
//! the incidence on the right one. Several series (towns) are drawn as
//! small multiples, four to a row, on one common scale, so their heights
//! compare.

use std::fmt::Write;

use super::html::escape;
use super::sheet::Chart;

const FONT: &str = "font-family=\"SimSun, 'Noto Serif CJK SC', serif\"";

/// Labels along the bottom: every one when few, else about eight, or four
/// under a small chart, where years side by side run together.
fn label_every(n: usize, many: bool) -> usize {
    n.div_ceil(if many { 4 } else { 8 }).max(1)
}

pub fn chart(chart: &Chart) -> String {
    let many = chart.series.len() > 1;
    let per_row = if many { 4 } else { 1 };
    let (w, h) = if many { (240.0, 160.0) } else { (640.0, 250.0) };
    // Type size: a single chart is drawn smaller on the page.
    let fs = if many { 1.0 } else { 1.3 };
    let rows = chart.series.len().div_ceil(per_row).max(1);
    let total_w = w * per_row as f64;
    let total_h = h * rows as f64 + 44.0;
    let scale = chart.scale();
    let (bars_max, line_max) = (scale.bars_max, scale.line_max);
    let steps = scale.steps.max(1);
    let (f14, f12, f11, f9) = (14.0 * fs, 12.0 * fs, 11.0 * fs, 9.0 * fs);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"progress-chart {}\" viewBox=\"0 0 {total_w} {total_h}\" role=\"img\" aria-label=\"{}\">",
        if many { "multiples" } else { "single" },
        escape(&chart.title)
    );
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"16\" text-anchor=\"middle\" font-size=\"{f14:.1}\" font-weight=\"bold\" {FONT}>{}</text>",
        total_w / 2.0,
        escape(&chart.title)
    );
    // The legend.
    let _ = writeln!(
        out,
        "<g class=\"legend\" font-size=\"{f11:.1}\" {FONT}><rect x=\"{lx}\" y=\"24\" width=\"12\" height=\"10\" fill=\"#4a6fa5\"/><text x=\"{tx}\" y=\"33\">{bars}</text><line x1=\"{l2}\" y1=\"29\" x2=\"{l3}\" y2=\"29\" stroke=\"#b00000\" stroke-width=\"2\"/><text x=\"{t2}\" y=\"33\">{line}</text></g>",
        lx = total_w / 2.0 - 150.0 * fs,
        tx = total_w / 2.0 - 150.0 * fs + 16.0,
        l2 = total_w / 2.0 + 10.0,
        l3 = total_w / 2.0 + 26.0,
        t2 = total_w / 2.0 + 30.0,
        bars = escape(&chart.bars_label),
        line = escape(&chart.line_label),
    );
    let n = chart.categories.len().max(1);
    for (i, s) in chart.series.iter().enumerate() {
        let ox = (i % per_row) as f64 * w;
        let oy = 44.0 + (i / per_row) as f64 * h;
        let (left, right, top, bottom) = (48.0, 40.0, 22.0, 30.0);
        let pw = w - left - right;
        let ph = h - top - bottom;
        let x0 = ox + left;
        let y0 = oy + top + ph;
        let _ = writeln!(out, "<g class=\"series\">");
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{f12:.1}\" font-weight=\"bold\" {FONT}>{}</text>",
            ox + w / 2.0,
            oy + 14.0,
            escape(&s.name)
        );
        // Axes and their ends.
        let _ = writeln!(
            out,
            "<path d=\"M{x0} {top_y} V{y0} H{x1} V{top_y}\" fill=\"none\" stroke=\"#000\" stroke-width=\"0.8\"/>",
            top_y = y0 - ph,
            x1 = x0 + pw
        );
        // A faint line and both axes' figures at every step.
        for k in 0..=steps {
            let y = y0 - ph * k as f64 / steps as f64;
            if k > 0 {
                let _ = writeln!(
                    out,
                    "<line x1=\"{x0}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#ccc\" stroke-width=\"0.4\"/>",
                    x0 + pw
                );
            }
            let bars = bars_max * k as f64 / steps as f64;
            let line = line_max * k as f64 / steps as f64;
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"{f9:.1}\" {FONT}>{}</text>",
                x0 - 3.0,
                y + 3.0,
                crate::values::thousands(bars.round() as i64)
            );
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{:.1}\" font-size=\"{f9:.1}\" fill=\"#b00000\" {FONT}>{line:.1}%</text>",
                x0 + pw + 3.0,
                y + 3.0
            );
        }
        let slot = pw / n as f64;
        for (k, v) in s.bars.iter().enumerate() {
            let bh = *v as f64 / bars_max * ph;
            let _ = writeln!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#4a6fa5\"><title>{}: {v}</title></rect>",
                x0 + k as f64 * slot + slot * 0.15,
                y0 - bh,
                slot * 0.7,
                bh,
                escape(chart.categories.get(k).map(String::as_str).unwrap_or(""))
            );
        }
        let points: Vec<String> = s
            .line
            .iter()
            .enumerate()
            .filter_map(|(k, v)| {
                v.map(|v| {
                    format!(
                        "{:.1},{:.1}",
                        x0 + (k as f64 + 0.5) * slot,
                        y0 - v / line_max * ph
                    )
                })
            })
            .collect();
        if !points.is_empty() {
            let _ = writeln!(
                out,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"#b00000\" stroke-width=\"1.6\"/>",
                points.join(" ")
            );
        }
        let every = label_every(n, many);
        for (k, c) in chart.categories.iter().enumerate() {
            // The last period is always labelled; a regular label too near
            // it would print over it.
            let last = k + 1 == n;
            if last || (k % every == 0 && n - 1 - k >= every.div_ceil(2)) {
                let _ = writeln!(
                    out,
                    "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{f9:.1}\" {FONT}>{}</text>",
                    x0 + (k as f64 + 0.5) * slot,
                    y0 + 12.0,
                    escape(c)
                );
            }
        }
        let _ = writeln!(out, "</g>");
    }
    let _ = writeln!(out, "</svg>");
    out
}
