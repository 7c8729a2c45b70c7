//! `report.html`: one self-contained page (no network, no external assets):
//! summary, coverage, inline SVG charts (papers per year by tier, areas, top
//! partner institutions) and the flagged-paper table with a filter box.
//! Every data value goes through [`esc`].

use std::fmt::Write as _;

use super::report::Report;
use super::score::Tier;
use crate::classify::AREA_SLUGS;

/// HTML-escapes text for element content and quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if crate::output::sanitize::is_invisible_control(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            _ => out.push(c),
        }
    }
    out
}

const TIER_COLOURS: [&str; 4] = ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0"];

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#222;max-width:80rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .4rem;vertical-align:top;text-align:left}
th{background:#f4f4f4}.num{text-align:right}.t1{background:#fbe3e6}.small{font-size:12px;color:#555}.badge{font-size:11px;padding:0 4px;border:1px solid #b36b00;border-radius:3px;color:#b36b00}
.charts{display:flex;flex-wrap:wrap;gap:2rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}
input{font:inherit;padding:.3rem;width:24rem}code{font-size:12px}";

/// Renders the page.
pub fn render(r: &Report) -> String {
    let m = &r.manifest;
    let mut h = String::with_capacity(64 * 1024 + r.papers.len() * 2048);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
         <title>coscreen report</title><style>{STYLE}</style></head><body>"
    );
    let _ = write!(
        h,
        "<h1>Co-authorship screen</h1><p class=\"small\">{} · risk list <code>{}</code> · taxonomy <code>{}</code> · query <code>{}</code> · source {} · generated {}{}</p>",
        esc(&m.tool),
        esc(&m.risk_list),
        esc(&m.taxonomy),
        esc(&m.query),
        esc(&m.source),
        esc(&m.generated),
        if m.complete { "" } else { " · <strong>INCOMPLETE fetch</strong>" }
    );
    let s = &r.summary;
    let _ = write!(
        h,
        "<h2>Summary</h2><p id=\"summary\">{} works screened; <strong>{}</strong> with an open flag ({}), {} with only reviewed flags.</p>",
        s.works,
        s.flagged,
        (1..=4)
            .map(|t| format!("tier {t}: {}", s.by_tier.get(&t.to_string()).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", "),
        s.decided
    );
    let c = &r.coverage;
    let _ = write!(
        h,
        "<h2>Coverage</h2><p>{} affiliation strings read; {} works without affiliation data; {} strings neither resolved by the source nor matched; {} source errors. <em>{}</em></p>",
        c.affiliation_strings,
        c.works_without_affiliations,
        c.unresolved_strings,
        c.source_errors,
        esc(c.note)
    );
    if !c.top_unresolved.is_empty() {
        h.push_str("<details><summary>Most frequent unresolved strings</summary><ol>");
        for (sv, n) in &c.top_unresolved {
            let _ = write!(h, "<li>{} ({n})</li>", esc(sv));
        }
        h.push_str("</ol></details>");
    }
    h.push_str("<h2>Charts</h2><div class=\"charts\">");
    h.push_str(&year_chart(r));
    h.push_str(&bar_chart(
        "chart-areas",
        "Flagged papers by critical-technology area",
        &AREA_SLUGS
            .iter()
            .map(|a| {
                let n = r
                    .papers
                    .iter()
                    .filter(|p| p.areas.iter().any(|x| x.area == *a))
                    .count() as u64;
                ((*a).to_owned(), n)
            })
            .collect::<Vec<_>>(),
    ));
    h.push_str(&bar_chart(
        "chart-partners",
        "Top partner institutions (open flags)",
        &r.institutions
            .iter()
            .take(12)
            .map(|i| (i.name.clone(), i.open))
            .collect::<Vec<_>>(),
    ));
    h.push_str("</div>");
    h.push_str(&universities(r));
    let _ = write!(
        h,
        "<h2>Flagged papers</h2><p><input id=\"filter\" type=\"search\" placeholder=\"Filter rows (institution, title, area, year…)\" aria-label=\"filter\"> <span id=\"shown\" class=\"small\"></span></p>\
         <table id=\"papers\"><thead><tr><th>Tier</th><th>Year</th><th>Work</th><th>Partners (level, lists, as of)</th><th>Evidence</th><th>Areas</th><th>Status</th></tr></thead><tbody>"
    );
    for (p, status) in r
        .papers
        .iter()
        .map(|p| (p, "open"))
        .chain(r.decided.iter().map(|p| (p, "decided")))
    {
        let tier = p
            .tier
            .map(|t| t.number().to_string())
            .unwrap_or_else(|| "–".into());
        let class = if p.tier == Some(Tier::One) {
            " class=\"t1\""
        } else {
            ""
        };
        let mut partners = String::new();
        let mut evidence = String::new();
        for f in &p.flags {
            let lists: Vec<String> = f
                .listings
                .iter()
                .map(|l| {
                    format!(
                        "{} {} ({})",
                        l.list_name,
                        l.date,
                        l.paper_is.replace('_', " ")
                    )
                })
                .collect();
            let _ = write!(
                partners,
                "<div><strong>{}</strong> · {}<br><span class=\"small\">{}</span>{}</div>",
                esc(&f.entry_name),
                esc(f.risk_level.as_str()),
                esc(&lists.join("; ")),
                f.decision
                    .as_ref()
                    .map(|d| format!(
                        "<br><span class=\"small\">decision: {} by {} on {}{}</span>",
                        esc(&format!("{:?}", d.decision)),
                        esc(&d.reviewer),
                        esc(&d.date),
                        if d.active { "" } else { " (expired)" }
                    ))
                    .unwrap_or_default()
            );
            for e in &f.evidence {
                let what = e
                    .raw_affiliation
                    .as_deref()
                    .map(|r| format!("“{}”", esc(r)))
                    .or_else(|| {
                        e.resolved_institution
                            .as_deref()
                            .map(|i| format!("resolved to {}", esc(i)))
                    })
                    .unwrap_or_default();
                // A small badge for an affiliate's (or part's) evidence.
                let badge = match e.relation {
                    crate::risklist::Relation::Entry => "",
                    crate::risklist::Relation::Part => "<span class=\"badge\">part</span> ",
                    crate::risklist::Relation::Affiliate => {
                        "<span class=\"badge\">affiliate</span> "
                    }
                };
                let _ = write!(
                    evidence,
                    "<div>{badge}{}: {} <span class=\"small\">[{}: {}]</span></div>",
                    esc(if e.author.is_empty() {
                        "(no author)"
                    } else {
                        &e.author
                    }),
                    what,
                    esc(e.method),
                    esc(&e.matched)
                );
            }
        }
        let areas: Vec<String> = p
            .areas
            .iter()
            .map(|a| {
                format!(
                    "<div><strong>{}</strong> <span class=\"small\">{}</span></div>",
                    esc(a.area),
                    esc(&a.evidence.join("; "))
                )
            })
            .collect();
        let _ = write!(
            h,
            "<tr{class}><td class=\"num\">{tier}</td><td>{}</td><td>{}<br><span class=\"small\">{}{}</span></td><td>{partners}</td><td>{evidence}</td><td>{}</td><td>{status}</td></tr>",
            p.year.map(|y| y.to_string()).unwrap_or_default(),
            esc(&p.title),
            esc(&p.work_id),
            p.doi.as_deref().map(|d| format!(" · doi:{}", esc(d))).unwrap_or_default(),
            areas.join("")
        );
    }
    h.push_str("</tbody></table>");
    h.push_str(
        "<script>(function(){var i=document.getElementById('filter'),rows=document.querySelectorAll('#papers tbody tr'),n=document.getElementById('shown');\
         function f(){var q=i.value.toLowerCase(),k=0;rows.forEach(function(r){var s=r.textContent.toLowerCase().indexOf(q)>=0;r.style.display=s?'':'none';if(s)k++;});n.textContent=k+' of '+rows.length+' rows';}\
         i.addEventListener('input',f);f();})();</script></body></html>\n",
    );
    h
}

fn year_chart(r: &Report) -> String {
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
fn universities(r: &Report) -> String {
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

fn bar_chart(id: &str, caption: &str, rows: &[(String, u64)]) -> String {
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

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            super::esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(super::esc("a\u{202e}b"), "a\\u{202e}b");
    }
}
