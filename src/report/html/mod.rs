//! `report.html`: one self-contained page (no network, no external assets):
//! summary, coverage, inline SVG charts (papers per year by tier, areas, top
//! partner institutions) and the flagged-paper table with a filter box.
//! Every data value goes through [`esc`].

use std::fmt::Write as _;

use super::model::Report;
use crate::classify::AREA_SLUGS;
use crate::screen::Tier;

mod charts;
mod script;

use charts::{bar_chart, universities, year_chart};
use script::{csp, script, CSP_PLACEHOLDER};

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
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .4rem;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#f4f4f4}.num{text-align:right}.t1{background:#fbe3e6}.small{font-size:12px;color:#555}.badge{font-size:11px;padding:0 4px;border:1px solid #b36b00;border-radius:3px;color:#b36b00}
.charts{display:flex;flex-wrap:wrap;gap:2rem}figure{margin:0}figcaption{font-weight:600;margin-bottom:.3rem}
input{font:inherit;padding:.3rem;width:24rem}code{font-size:12px}
.decide{margin:.2rem 0 .5rem;font-size:12px}.decide select,.decide input,input.short{font-size:12px;padding:.1rem;width:9rem}
.review{background:#f7f7f2;border:1px solid #ddd;padding:.5rem;margin:.5rem 0}";

/// Renders the page.
pub fn render(r: &Report) -> String {
    let m = &r.manifest;
    let mut h = String::with_capacity(64 * 1024 + r.papers.len() * 2048);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP_PLACEHOLDER}\">\
         <title>coscreen report</title><style>{STYLE}</style></head><body data-run=\"{}\">",
        run_id(r)
    );
    let _ = write!(
        h,
        "<h1>Co-authorship screen</h1><p class=\"small\">{} · risk list {} <code>{}</code> · taxonomy <code>{}</code> · query <code>{}</code> · source {} · generated {}{}</p>",
        esc(&m.tool),
        esc(&m.risk_list_version),
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
        "<h2>Summary</h2><p id=\"summary\">{} works screened; <strong>{}</strong> with an open flag ({}), {} with only reviewed flags; <strong id=\"funded-count\">{}</strong> funded by a funder or talent programme of concern; <strong id=\"dual-count\">{}</strong> with a home author who also lists a listed institution.</p>",
        s.works,
        s.flagged,
        (1..=4)
            .map(|t| format!("tier {t}: {}", s.by_tier.get(&t.to_string()).copied().unwrap_or(0)))
            .collect::<Vec<_>>()
            .join(", "),
        s.decided,
        s.funded_by_concern,
        s.with_home_author_dual_affiliation
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
    if c.unscreened > 0 {
        let _ = write!(
            h,
            "<p id=\"unscreened\"><strong>{} records or inputs were read but not screened</strong>: a clean result does not cover them.</p><ul>",
            c.unscreened
        );
        for (reason, n) in &c.unscreened_reasons {
            let _ = write!(h, "<li>{}: {n}</li>", esc(reason));
        }
        h.push_str("</ul>");
        if !c.source_error_examples.is_empty() {
            h.push_str("<details><summary>Examples</summary><ol>");
            for e in &c.source_error_examples {
                let _ = write!(h, "<li><code>{}</code></li>", esc(e));
            }
            h.push_str("</ol></details>");
        }
    }
    let mut notes: Vec<String> = c.legacy_encoding.clone();
    if c.duplicates_merged > 0 {
        notes.push(format!(
            "{} duplicate works (same DOI or id) merged",
            c.duplicates_merged
        ));
    }
    if c.outside_years > 0 || c.year_unknown > 0 {
        notes.push(format!(
            "{} works outside the year range left out; {} works without a year kept",
            c.outside_years, c.year_unknown
        ));
    }
    if !notes.is_empty() {
        h.push_str("<ul class=\"small\">");
        for n in &notes {
            let _ = write!(h, "<li>{}</li>", esc(n));
        }
        h.push_str("</ul>");
    }
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
        "<h2>Flagged papers</h2><p><input id=\"filter\" type=\"search\" placeholder=\"Filter rows (institution, title, area, year…)\" aria-label=\"filter\"> <label><input id=\"funded-only\" type=\"checkbox\"> funded by a concern only</label> <span id=\"shown\" class=\"small\"></span></p>\
         <div id=\"review\" class=\"review\"><strong>Review</strong> · your name <input id=\"reviewer\" class=\"short\" aria-label=\"your name\" autocomplete=\"name\"> \
         <button id=\"export\" type=\"button\">Export decisions CSV</button> <span id=\"decisions-status\" class=\"small\"></span>\
         <div class=\"small\">Pick a decision under a partner; the page keeps it while open (and in this browser for this run). \
         Export writes the decisions file for <code>coscreen screen --decisions FILE</code>, with the decisions already in this report.</div></div>"
    );
    h.push_str(&papers_table(
        "papers",
        r.papers.iter().map(|p| (p, "open")),
    ));
    let _ = write!(
        h,
        "<h2 id=\"decided-heading\">Decided flags</h2><p class=\"small\">Papers whose flags are all decided: {} (shown so a reviewer can revisit them; an expired decision reopens its flag).</p>",
        r.decided.len()
    );
    h.push_str(&papers_table(
        "decided",
        r.decided.iter().map(|p| (p, "decided")),
    ));
    let script = script();
    let _ = writeln!(h, "<script>{script}</script></body></html>");
    h.replacen(CSP_PLACEHOLDER, &csp(&script), 1)
}

/// Names the run for the browser's saved decisions: the same report reopened
/// (or rebuilt from the same input, list and decisions) keeps them; a report
/// with other flags or decisions starts clean. The date is left out so that
/// reruns stay byte-identical.
fn run_id(r: &Report) -> String {
    use sha2::{Digest, Sha256};
    let m = &r.manifest;
    let mut h = Sha256::new();
    for part in [&m.query, &m.risk_list, &m.taxonomy, &m.source] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for row in r.papers_table().rows {
        for cell in row {
            h.update(cell.as_bytes());
            h.update([0]);
        }
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A flag's decision controls; an applied decision pre-fills them.
fn decide(work_id: &str, f: &crate::screen::score::Flag) -> String {
    let d = f.decision.as_ref();
    let attr = |v: Option<&str>| esc(v.unwrap_or(""));
    let mut s = format!(
        "<div class=\"decide\" data-work=\"{}\" data-inst=\"{}\" data-decision=\"{}\" data-reviewer=\"{}\" data-note=\"{}\" data-expires=\"{}\" data-date=\"{}\">\
         <select class=\"d-decision\" aria-label=\"decision\"><option value=\"\">decision…</option>",
        esc(work_id),
        esc(&f.entry_id),
        attr(d.map(|d| d.decision.as_str())),
        attr(d.map(|d| d.reviewer.as_str())),
        attr(d.map(|d| d.note.as_str())),
        attr(d.and_then(|d| d.expires.as_deref())),
        attr(d.map(|d| d.date.as_str())),
    );
    for v in ["false_positive", "accepted", "escalated"] {
        let _ = write!(s, "<option value=\"{v}\">{}</option>", v.replace('_', " "));
    }
    s.push_str(
        "</select> <input class=\"d-reviewer\" placeholder=\"reviewer\" aria-label=\"reviewer\"> \
         <input class=\"d-note\" placeholder=\"note\" aria-label=\"note\"> \
         <label>expires <input class=\"d-expires\" type=\"date\" aria-label=\"expires\"></label></div>",
    );
    s
}

/// One table of papers (open or decided), with decision controls per flag.
fn papers_table<'p>(
    id: &str,
    papers: impl Iterator<Item = (&'p crate::screen::PaperResult, &'static str)>,
) -> String {
    let mut h = format!(
        "<table id=\"{id}\" class=\"papers\"><thead><tr><th>Tier</th><th>Year</th><th>Work</th><th>Partners (level, lists, as of) and decisions</th><th>Evidence</th><th>Funding of concern</th><th>Areas</th><th>Status</th></tr></thead><tbody>"
    );
    for (p, status) in papers {
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
            let lists = crate::screen::listing::lines(&f.listings);
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
                        esc(d.decision.as_str()),
                        esc(&d.reviewer),
                        esc(&d.date),
                        if d.active { "" } else { " (expired)" }
                    ))
                    .unwrap_or_default()
            );
            partners.push_str(&decide(&p.work_id, f));
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
        let mut funding = String::new();
        for f in &p.funding {
            let how: Vec<String> = f
                .evidence
                .iter()
                .map(|e| format!("{}: “{}” [{}]", e.field, e.matched, e.method))
                .collect();
            let _ = write!(
                funding,
                "<div><strong>{}</strong> · {} · {}<br><span class=\"small\">{}</span></div>",
                esc(&f.funder_name),
                esc(f.category),
                esc(f.risk_level.as_str()),
                esc(&how.join("; "))
            );
        }
        for d in &p.home_author_dual_affiliations {
            let _ = write!(
                evidence,
                "<div><strong>home author with a listed second affiliation</strong>: {} — {} + {}</div>",
                esc(&d.author),
                esc(&d.home_affiliation.join("; ")),
                esc(&d.listed_name)
            );
        }
        let funded = if p.funding.is_empty() { "0" } else { "1" };
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
            "<tr{class} data-funded=\"{funded}\"><td class=\"num\">{tier}</td><td>{}</td><td>{}<br><span class=\"small\">{}{}</span></td><td>{partners}</td><td>{evidence}</td><td>{funding}</td><td>{}</td><td>{status}</td></tr>",
            p.year.map(|y| y.to_string()).unwrap_or_default(),
            esc(&p.title),
            esc(&p.work_id),
            p.doi.as_deref().map(|d| format!(" · doi:{}", esc(d))).unwrap_or_default(),
            areas.join("")
        );
    }
    h.push_str("</tbody></table>");
    h
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

    #[test]
    fn issue_21_control_characters_and_long_tokens_are_neutralised_in_html() {
        assert_eq!(
            super::esc("\na\0b\x1bc\u{2028}d\u{61c}e\u{2060}"),
            "\\u{a}a\\u{0}b\\u{1b}c\\u{2028}d\\u{61c}e\\u{2060}"
        );
        // An unbroken 300-character token may break anywhere in a table cell.
        assert!(super::STYLE.contains("td,th{") && super::STYLE.contains("overflow-wrap:anywhere"));
    }
}
