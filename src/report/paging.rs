//! Where a printed workbook form's pages break. Left to Excel or
//! LibreOffice, a page ends wherever the rows run out of room: a 乡镇小计
//! opens the next page away from its villages, or the 合计 row and the
//! sign-off print alone on a last page. The form knows which rows belong
//! with the row before them, so it sets the print scale and the breaks
//! itself (a fit-to-width scale would make Excel ignore manual breaks).

/// The printable part of an A4 page under the forms' margins, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Page {
    pub width: f64,
    pub height: f64,
}

/// The forms' margins, in inches: left, right, top, bottom, header, footer.
pub const MARGINS: (f64, f64, f64, f64, f64, f64) = (0.4, 0.4, 0.5, 0.6, 0.3, 0.3);

const A4_POINTS: (f64, f64) = (595.0, 842.0);

impl Page {
    pub fn a4(landscape: bool) -> Page {
        let (w, h) = if landscape {
            (A4_POINTS.1, A4_POINTS.0)
        } else {
            A4_POINTS
        };
        let (left, right, top, bottom, _, _) = MARGINS;
        Page {
            width: w - (left + right) * 72.0,
            height: h - (top + bottom) * 72.0,
        }
    }
}

/// Points a column of `chars` Excel width units prints at. A unit is the
/// default font's digit with 5 pixels of padding per column (stored as
/// 0.71 of a unit); Excel rounds Calibri's digit to 7 pixels, LibreOffice
/// keeps Carlito's 7.44 and prints the same column 6 % wider. The wider
/// one is taken, so that the form fits the page in both.
pub fn column_points(chars: f64) -> f64 {
    (chars + 0.72) * 7.45 * 0.75
}

/// The print scale, in per cent, at which columns `widths` (Excel units)
/// fit the page's width. Applications measure text slightly differently,
/// so a little room is left over; Excel accepts 10 to 400.
pub fn scale(widths: &[f64], page: Page) -> u16 {
    let table: f64 = widths.iter().map(|w| column_points(*w)).sum();
    let fit = (page.width * 0.97 / table.max(1.0) * 100.0).floor();
    fit.clamp(10.0, 100.0) as u16
}

/// One worksheet row as printed: its height in points, and whether it must
/// stay on the page of the row before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub height: f64,
    pub keep_with_previous: bool,
}

/// Excel's limit on manual page breaks in a worksheet.
const MOST_BREAKS: usize = 1023;

/// The rows that start a new page (as `set_page_breaks` takes them), for
/// `lines` printed at `scale` per cent on `page`, when the first `repeated`
/// rows (title block and header) print on every page. A row kept with the
/// row before it moves to the next page together with it, back to the
/// first row that may open a page; a page that is one unbroken chain is
/// broken where it runs out of room.
pub fn breaks(lines: &[Line], repeated: usize, scale: u16, page: Page) -> Vec<u32> {
    let head: f64 = lines.iter().take(repeated).map(|l| l.height).sum();
    // An application may draw a row a point taller than it is set, so a
    // page is filled to 98 %.
    let room = page.height * 100.0 / f64::from(scale.max(1)) * 0.98 - head;
    let mut breaks = Vec::new();
    let mut start = repeated;
    let mut used = 0.0;
    let mut r = repeated;
    while r < lines.len() {
        if r > start && used + lines[r].height > room {
            let mut b = r;
            while b > start + 1 && lines[b].keep_with_previous {
                b -= 1;
            }
            if lines[b].keep_with_previous {
                b = r;
            }
            breaks.push(b as u32);
            start = b;
            used = lines[b..r].iter().map(|l| l.height).sum();
            continue;
        }
        used += lines[r].height;
        r += 1;
    }
    breaks.truncate(MOST_BREAKS);
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Vec<Line> {
        vec![
            Line {
                height: 15.0,
                keep_with_previous: false
            };
            n
        ]
    }

    // 100 % on a page of 15-point rows: 18 rows of room after the two
    // repeated ones (0.98 × 320 − 30 = 283.6).
    const PAGE: Page = Page {
        width: 500.0,
        height: 320.0,
    };

    #[test]
    fn rows_fill_a_page_before_it_breaks() {
        let lines = rows(2 + 45);
        assert_eq!(breaks(&lines, 2, 100, PAGE), [2 + 18, 2 + 36]);
        assert_eq!(breaks(&rows(2 + 18), 2, 100, PAGE), Vec::<u32>::new());
        // At half size twice the rows fit.
        assert_eq!(breaks(&lines, 2, 50, PAGE), [2 + 39]);
    }

    #[test]
    fn a_kept_row_takes_the_row_before_it_to_the_next_page() {
        let mut lines = rows(2 + 19);
        // Row 20 (a subtotal) would open page 2: it goes with row 19.
        lines[20].keep_with_previous = true;
        assert_eq!(breaks(&lines, 2, 100, PAGE), [19]);
        // A chain of total, notes and sign-off goes back to its first row's
        // predecessor.
        let mut lines = rows(2 + 25);
        for l in &mut lines[16..] {
            l.keep_with_previous = true;
        }
        assert_eq!(breaks(&lines, 2, 100, PAGE), [15]);
    }

    #[test]
    fn a_chain_longer_than_a_page_breaks_where_it_runs_out() {
        let mut lines = rows(2 + 50);
        for l in &mut lines[3..] {
            l.keep_with_previous = true;
        }
        assert_eq!(breaks(&lines, 2, 100, PAGE), [20, 38]);
    }

    #[test]
    fn tall_rows_take_their_height() {
        let mut lines = rows(2 + 10);
        for l in &mut lines[2..] {
            l.height = 60.0;
        }
        assert_eq!(breaks(&lines, 2, 100, PAGE), [6, 10]);
    }

    #[test]
    fn the_scale_fits_the_columns_to_the_width() {
        let page = Page::a4(false);
        assert!((page.width - 537.4).abs() < 0.01, "{page:?}");
        assert_eq!(scale(&[10.0; 5], page), 100);
        // 20 columns of 10 units: 20 × 59.9 pt = 1198 pt.
        assert_eq!(scale(&[10.0; 20], page), 43);
        assert_eq!(scale(&[10.0; 1000], page), 10);
    }
}
