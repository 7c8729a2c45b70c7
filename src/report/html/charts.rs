//! The page's inline SVG charts: open papers per year by tier, bar charts
//! (areas, partner institutions), the per-university table.

use std::fmt::Write as _;

use super::{esc, TIER_COLOURS};
use crate::report::model::Report;
use crate::screen::Tier;

pub(super) fn year_chart(r: &Report) -> String {
    let years: Vec<u16> = r.years().into_iter().collect();
    let mut s = String::from(
        "<figure id=\"chart-years\"><figcaption>Open flagged papers per year, by tier</figcaption>",
    );
    if years.is_empty() {
        s.push_str("<p class=\"small\">No flagged papers.</p></figure>");
        return s;
    }
    let max = years
        .iter()
        .map(|y| (1..=4).map(|t| r.tier_count(*y, tier(t))).sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1);
    let (w, hgt, bw) = (40 + years.len() as u32 * 34, 200u32, 26u32);
    let _ = write!(
        s,
        "<svg role=\"img\" width=\"{w}\" height=\"{}\" viewBox=\"0 0 {w} {}\">",
        hgt + 30,
        hgt + 30
    );
    for (i, y) in years.iter().enumerate() {
        let x = 30 + i as u32 * 34;
        let mut top = hgt;
        for t in 1..=4u8 {
            let n = r.tier_count(*y, tier(t));
            if n == 0 {
                continue;
            }
            let bh = (n as f64 / max as f64 * (hgt - 10) as f64).round().max(1.0) as u32;
            top -= bh;
            let _ = write!(
                s,
                "<rect x=\"{x}\" y=\"{top}\" width=\"{bw}\" height=\"{bh}\" fill=\"{}\"><title>{y} tier {t}: {n}</title></rect>",
                TIER_COLOURS[usize::from(t - 1)]
            );
        }
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{y}</text>",
            x + bw / 2,
            hgt + 14
        );
    }
    let _ = write!(
        s,
        "<text x=\"0\" y=\"12\" font-size=\"10\">{max}</text></svg>"
    );
    s.push_str("<div class=\"small\">");
    for t in 1..=4u8 {
        let _ = write!(
            s,
            "<span style=\"display:inline-block;width:10px;height:10px;background:{}\"></span> tier {t} ",
            TIER_COLOURS[usize::from(t - 1)]
        );
    }
    s.push_str("</div></figure>");
    s
}

/// Per home university, all years together (the per-year rows are in universities.csv).
pub(super) fn universities(r: &Report) -> String {
    let mut totals: std::collections::BTreeMap<&str, [u64; 4]> = std::collections::BTreeMap::new();
    for u in &r.universities {
        let t = totals.entry(u.university.as_str()).or_default();
        t[0] += u.works;
        t[1] += u.critical_tech;
        t[2] += u.flagged;
        t[3] += u.tiers[0];
    }
    let mut rows: Vec<(&str, [u64; 4])> = totals.into_iter().collect();
    rows.sort_by(|a, b| {
        b.1[2]
            .cmp(&a.1[2])
            .then_with(|| b.1[0].cmp(&a.1[0]))
            .then_with(|| a.0.cmp(b.0))
    });
    let mut s = String::from(
        "<h2>Home universities</h2><table id=\"universities\"><thead><tr><th>University</th><th class=\"num\">Works</th><th class=\"num\">Critical tech</th><th class=\"num\">Flagged (open)</th><th class=\"num\">Tier 1</th></tr></thead><tbody>",
    );
    for (name, t) in rows.iter().take(50) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(name),
            t[0],
            t[1],
            t[2],
            t[3]
        );
    }
    if rows.len() > 50 {
        let _ = write!(
            s,
            "<tr><td colspan=\"5\" class=\"small\">{} more in universities.csv</td></tr>",
            rows.len() - 50
        );
    }
    s.push_str("</tbody></table>");
    s
}

fn tier(n: u8) -> Tier {
    match n {
        1 => Tier::One,
        2 => Tier::Two,
        3 => Tier::Three,
        _ => Tier::Four,
    }
}

pub(super) fn bar_chart(id: &str, caption: &str, rows: &[(String, u64)]) -> String {
    let mut s = format!(
        "<figure id=\"{id}\"><figcaption>{}</figcaption>",
        esc(caption)
    );
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let h = rows.len() as u32 * 20 + 10;
    let _ = write!(
        s,
        "<svg role=\"img\" width=\"520\" height=\"{h}\" viewBox=\"0 0 520 {h}\">"
    );
    for (i, (label, n)) in rows.iter().enumerate() {
        let y = 5 + i as u32 * 20;
        let bw = (*n as f64 / max as f64 * 250.0).round() as u32;
        let short: String = label.chars().take(34).collect();
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{}\" font-size=\"11\">{}</text><rect x=\"230\" y=\"{y}\" width=\"{bw}\" height=\"14\" fill=\"#4575b4\"><title>{}: {n}</title></rect><text x=\"{}\" y=\"{}\" font-size=\"11\">{n}</text>",
            y + 11,
            esc(&short),
            esc(label),
            235 + bw,
            y + 11
        );
    }
    s.push_str("</svg></figure>");
    s
}
