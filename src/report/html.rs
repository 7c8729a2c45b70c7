//! `report.html`: one self-contained page (no network, no external assets):
//! summary, coverage, inline SVG charts (papers per year by tier, areas, top
//! partner institutions) and the flagged-paper table with a filter box.
//! Every data value goes through [`esc`].

use std::fmt::Write as _;

use super::model::Report;
use crate::classify::AREA_SLUGS;
use crate::screen::Tier;

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

/// Stands for the CSP until the script (and so its hash) is known.
const CSP_PLACEHOLDER: &str = "\u{0}csp\u{0}";

/// The page's policy: nothing from the network, inline styles, and exactly
/// this page's own script, allowed by its SHA-256 (no 'unsafe-inline').
fn csp(script: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{}'; img-src data:",
        base64(&digest)
    )
}

/// Standard base64 with padding (for the CSP hash).
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The page's one script: the row filter and the decision recorder. Data
/// comes from the DOM (`data-*` attributes, escaped like all text), never
/// spliced into the script, so its hash is the same for every report.
fn script() -> String {
    format!(
        "{SCRIPT_HEAD}var COLUMNS='{}';{SCRIPT_BODY}",
        crate::screen::decisions::COLUMNS.join(",")
    )
}

const SCRIPT_HEAD: &str = "(function(){'use strict';";

const SCRIPT_BODY: &str = r#"
var filter=document.getElementById('filter'),funded=document.getElementById('funded-only'),shown=document.getElementById('shown');
var rows=document.querySelectorAll('table.papers tbody tr');
function applyFilter(){var q=filter.value.toLowerCase(),k=0;rows.forEach(function(r){var s=r.textContent.toLowerCase().indexOf(q)>=0&&(!funded.checked||r.getAttribute('data-funded')==='1');r.style.display=s?'':'none';if(s)k++;});shown.textContent=k+' of '+rows.length+' rows';}
filter.addEventListener('input',applyFilter);funded.addEventListener('change',applyFilter);applyFilter();
var store='coscreen-decisions:'+document.body.getAttribute('data-run');
var me=document.getElementById('reviewer'),status=document.getElementById('decisions-status');
var state={},saved={};
try{saved=JSON.parse(localStorage.getItem(store)||'{}')||{};}catch(e){saved={};}
try{me.value=localStorage.getItem('coscreen-reviewer')||'';}catch(e){}
me.addEventListener('input',function(){try{localStorage.setItem('coscreen-reviewer',me.value);}catch(e){}});
function today(){var d=new Date();return d.getFullYear()+'-'+String(d.getMonth()+1).padStart(2,'0')+'-'+String(d.getDate()).padStart(2,'0');}
function key(b){return b.getAttribute('data-work')+'\t'+b.getAttribute('data-inst');}
function field(b,c){return b.querySelector('.d-'+c);}
function count(){var n=Object.keys(state).length;status.textContent=n+(n===1?' decision':' decisions')+' recorded';}
function save(){try{localStorage.setItem(store,JSON.stringify(saved));}catch(e){}count();}
function edit(b){
  var k=key(b),d=field(b,'decision').value;
  if(!d){delete state[k];saved[k]=null;save();return;}
  var r=field(b,'reviewer');
  if(!r.value.trim()&&me.value.trim()){r.value=me.value.trim();}
  state[k]={decision:d,reviewer:r.value.trim(),note:field(b,'note').value.trim(),expires:field(b,'expires').value,date:today()};
  saved[k]=state[k];save();
}
document.querySelectorAll('.decide').forEach(function(b){
  var k=key(b),s=null;
  if(Object.prototype.hasOwnProperty.call(saved,k)){s=saved[k];}
  else if(b.getAttribute('data-decision')){s={decision:b.getAttribute('data-decision'),reviewer:b.getAttribute('data-reviewer')||'',note:b.getAttribute('data-note')||'',expires:b.getAttribute('data-expires')||'',date:b.getAttribute('data-date')||''};}
  if(s){state[k]=s;field(b,'decision').value=s.decision;field(b,'reviewer').value=s.reviewer;field(b,'note').value=s.note;field(b,'expires').value=s.expires;}
  b.addEventListener('change',function(){edit(b);});
  b.addEventListener('input',function(ev){if(ev.target!==field(b,'decision')){edit(b);}});
});
count();
function cell(v){v=String(v==null?'':v);return /[",\r\n]/.test(v)?'"'+v.replace(/"/g,'""')+'"':v;}
document.getElementById('export').addEventListener('click',function(){
  var keys=Object.keys(state).sort();
  var missing=keys.filter(function(k){return !state[k].reviewer;});
  if(missing.length){status.textContent='A reviewer name is needed for: '+missing.map(function(k){return k.replace('\t',' / ');}).join(', ');return;}
  var lines=[COLUMNS];
  keys.forEach(function(k){var p=k.split('\t'),s=state[k];lines.push([p[0],p[1],s.decision,s.reviewer,s.date,s.note,s.expires].map(cell).join(','));});
  var a=document.createElement('a');
  a.href=URL.createObjectURL(new Blob([lines.join('\n')+'\n'],{type:'text/csv'}));
  a.download='decisions.csv';document.body.appendChild(a);a.click();a.remove();
  status.textContent=keys.length+(keys.length===1?' decision':' decisions')+' exported to decisions.csv';
});
})();"#;

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

    #[test]
    fn issue_21_control_characters_and_long_tokens_are_neutralised_in_html() {
        assert_eq!(
            super::esc("\na\0b\x1bc\u{2028}d\u{61c}e\u{2060}"),
            "\\u{a}a\\u{0}b\\u{1b}c\\u{2028}d\\u{61c}e\\u{2060}"
        );
        // An unbroken 300-character token may break anywhere in a table cell.
        assert!(super::STYLE.contains("td,th{") && super::STYLE.contains("overflow-wrap:anywhere"));
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(super::base64(i.as_bytes()), o);
        }
    }

    #[test]
    fn the_csp_allows_exactly_the_page_script_by_hash() {
        let script = super::script();
        let csp = super::csp(&script);
        assert!(csp.contains("script-src 'sha256-"), "{csp}");
        assert!(!csp.contains("script-src 'unsafe-inline"), "{csp}");
        assert_ne!(
            csp,
            super::csp(&(script + " ")),
            "the hash changes with the script"
        );
        assert!(
            !super::script().contains("</"),
            "no markup can close the script early"
        );
    }
}
