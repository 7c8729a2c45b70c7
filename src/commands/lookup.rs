//! `coscreen lookup`: one institution, explained for a person at a desk.

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use crate::cli::LookupArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::matching::{
    Diagnostics, Hit, InstitutionIds, KnownMention, Matcher, Rejection, Scratch,
};
use crate::output::sanitize::for_terminal;
use crate::output::{Printer, Style};
use crate::risklist::{
    canonical_openalex, canonical_ror, ListKind, Relation, RiskEntry, RiskLevel, RiskList,
};

/// `lookup --json` output.
#[derive(Debug, Serialize)]
struct LookupJson<'a> {
    query: String,
    risk_list_version: &'a str,
    matches: Vec<EntryJson<'a>>,
    rejected: Vec<Rejection>,
    known_not_listed: Vec<KnownMention>,
    near_misses: Vec<NearMissJson<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct EntryJson<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) name_original: &'a str,
    pub(crate) country: &'a str,
    pub(crate) risk_level: RiskLevel,
    pub(crate) own_level: Option<RiskLevel>,
    pub(crate) parents: Vec<&'a str>,
    pub(crate) ror: Option<&'a str>,
    pub(crate) openalex: Option<&'a str>,
    pub(crate) method: &'static str,
    /// `self`, `part` or `affiliate`.
    pub(crate) relation: &'static str,
    pub(crate) score: f64,
    pub(crate) matched: String,
    pub(crate) evidence: String,
    pub(crate) designations: Vec<ListJson>,
    pub(crate) assessments: Vec<ListJson>,
    pub(crate) watchlists: Vec<ListJson>,
    pub(crate) categories: &'a [String],
    pub(crate) note: &'a str,
    pub(crate) sources: &'a [String],
}

#[derive(Debug, Serialize)]
pub(crate) struct ListJson {
    /// Set when the entry is absent from the newest edition of an annual list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) not_in_newest_edition: Option<String>,
    pub(crate) list: String,
    pub(crate) name: String,
    pub(crate) detail: Option<String>,
    pub(crate) date: String,
    pub(crate) date_meaning: String,
    pub(crate) url: String,
}

#[derive(Debug, Serialize)]
struct NearMissJson<'a> {
    id: &'a str,
    name: &'a str,
    risk_level: RiskLevel,
    similar_name: String,
    similarity: f64,
}

pub(crate) fn run(
    args: &LookupArgs,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    let matcher = Matcher::new(list);
    let mut scratch = Scratch::default();
    let (query, hits, diag, near) = if let Some(text) = &args.text {
        let (hits, diag) = matcher.explain(text, &mut scratch);
        let exclude: Vec<usize> = hits.iter().map(|h| h.entry).collect();
        let near = matcher.near_misses(text, &exclude, 5);
        (text.clone(), hits, diag, near)
    } else {
        let ror = args.ror.as_deref().map(canonical_ror);
        let openalex = args.openalex.as_deref().map(canonical_openalex);
        let hits = matcher.match_ids(InstitutionIds {
            ror: ror.as_deref(),
            openalex: openalex.as_deref(),
            lineage: &[],
        });
        let mut diag = Diagnostics::default();
        if let Some(r) = &ror {
            if let Some(k) = list.known().iter().find(|k| &k.ror == r) {
                diag.known.push(KnownMention {
                    name: k.name.clone(),
                    ror: k.ror.clone(),
                    country: k.country.clone(),
                });
            }
        }
        let query = ror.or(openalex).unwrap_or_default();
        (query, hits, diag, Vec::new())
    };

    let mut out = std::io::stdout().lock();
    if args.json {
        let json = LookupJson {
            query,
            risk_list_version: list.hash(),
            matches: hits.iter().map(|h| entry_json(list, h)).collect(),
            rejected: diag.rejected,
            known_not_listed: diag.known,
            near_misses: near
                .iter()
                .map(|(i, sim, n)| {
                    let e = &list.entries()[*i];
                    NearMissJson {
                        id: &e.id,
                        name: &e.name,
                        risk_level: e.risk_level,
                        similar_name: n.clone(),
                        similarity: (sim * 100.0).round() / 100.0,
                    }
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut out, &json).map_err(|e| Error::Output(e.into()))?;
        writeln!(out).map_err(Error::Output)?;
    } else {
        let text = render_text(list, printer, &query, &hits, &diag, &near);
        out.write_all(text.as_bytes()).map_err(Error::Output)?;
    }
    out.flush().map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}

fn memberships(list: &RiskList, e: &RiskEntry, kind: ListKind) -> Vec<ListJson> {
    let mut flagged: Vec<&str> = Vec::new();
    e.memberships
        .iter()
        .filter_map(|m| {
            let info = list.list_info(&m.list);
            // Say it once per list, on its first membership.
            let first_of_list = !flagged.contains(&m.list.as_str());
            flagged.push(&m.list);
            (info.kind == kind).then(|| ListJson {
                not_in_newest_edition: (first_of_list && list.dropped_from_newest(e, &m.list))
                    .then(|| list.newest_edition(&m.list).unwrap_or_default().to_owned()),
                list: m.list.clone(),
                name: info.name.clone(),
                detail: m.detail.clone(),
                date: m.date.raw.clone(),
                date_meaning: info.date_meaning.clone(),
                url: info.url.clone(),
            })
        })
        .collect()
}

pub(crate) fn entry_json<'a>(list: &'a RiskList, h: &Hit) -> EntryJson<'a> {
    let e = &list.entries()[h.entry];
    EntryJson {
        id: &e.id,
        name: &e.name,
        name_original: &e.name_original,
        country: &e.country,
        risk_level: e.risk_level,
        own_level: e.own_level,
        parents: list
            .ancestors(h.entry)
            .into_iter()
            .map(|a| list.entries()[a].id.as_str())
            .collect(),
        ror: e.ror.as_deref(),
        openalex: e.openalex.as_deref(),
        method: h.method.as_str(),
        relation: h.relation.as_str(),
        score: h.score,
        matched: h.matched.clone(),
        evidence: h.evidence.clone(),
        designations: memberships(list, e, ListKind::Designation),
        assessments: memberships(list, e, ListKind::Assessment),
        watchlists: memberships(list, e, ListKind::Watchlist),
        categories: &e.categories,
        note: &e.note,
        sources: &e.sources,
    }
}

pub(crate) fn level_style(l: RiskLevel) -> Style {
    match l {
        RiskLevel::VeryHigh | RiskLevel::High => Style::Danger,
        RiskLevel::Medium => Style::Warn,
        RiskLevel::Low => Style::Dim,
    }
}

fn render_text(
    list: &RiskList,
    p: &Printer,
    query: &str,
    hits: &[Hit],
    diag: &Diagnostics,
    near: &[(usize, f64, String)],
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {}",
        p.paint(Style::Bold, "Query:"),
        for_terminal(query)
    );
    if hits.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            p.paint(Style::Good, "No entry of the risk list matches.")
        );
        let _ = writeln!(
            s,
            "  (No match is not a clearance: check the spelling and the near misses below.)"
        );
    }
    for h in hits {
        let e = &list.entries()[h.entry];
        let _ = writeln!(s);
        let orig = if e.name_original.is_empty() {
            String::new()
        } else {
            format!(" ({})", e.name_original)
        };
        let _ = writeln!(s, "{}{}  [{}]", p.paint(Style::Bold, &e.name), orig, e.id);
        let mut level = p.paint(level_style(e.risk_level), e.risk_level.as_str());
        if e.own_level != Some(e.risk_level) {
            level.push_str(" (inherited from a parent entry)");
        }
        let _ = writeln!(s, "  risk level:  {level}");
        let place = if e.city.is_empty() {
            e.country.clone()
        } else {
            format!("{}, {}", e.city, e.country)
        };
        let _ = writeln!(s, "  country:     {place}");
        let chain: Vec<&str> = list
            .ancestors(h.entry)
            .into_iter()
            .map(|a| list.entries()[a].name.as_str())
            .collect();
        if !chain.is_empty() {
            let _ = writeln!(s, "  part of:     {}", chain.join(" -> "));
        }
        if let Some(r) = &e.ror {
            let _ = writeln!(s, "  ROR:         {r}");
        }
        if let Some(o) = &e.openalex {
            let _ = writeln!(s, "  OpenAlex:    {o}");
        }
        let _ = writeln!(
            s,
            "  matched:     {} ({}, score {:.2})",
            for_terminal(&h.evidence),
            h.method.as_str(),
            h.score
        );
        let relation = match h.relation {
            Relation::Entry => "self (the entry itself)",
            Relation::Part => "part (a unit of the entry)",
            Relation::Affiliate => "affiliate (affiliated with the entry, not part of it)",
        };
        let _ = writeln!(s, "  relation:    {relation}");
        for (title, kind) in [
            ("designations (legal lists)", ListKind::Designation),
            ("assessments (analysts' ratings)", ListKind::Assessment),
            ("office watchlists", ListKind::Watchlist),
        ] {
            let ms = memberships(list, e, kind);
            if ms.is_empty() {
                continue;
            }
            let _ = writeln!(s, "  {title}:");
            for m in ms {
                let detail = m.detail.map(|d| format!(" [{d}]")).unwrap_or_default();
                let _ = writeln!(
                    s,
                    "    - {}{} — {} ({})",
                    m.name, detail, m.date, m.date_meaning
                );
                if let Some(newest) = &m.not_in_newest_edition {
                    let _ = writeln!(
                        s,
                        "      {}",
                        p.paint(
                            Style::Warn,
                            &format!(
                                "not in the newest edition ({newest}): dropped or renamed since"
                            )
                        )
                    );
                }
                if !m.url.is_empty() {
                    let _ = writeln!(s, "      {}", m.url);
                }
            }
        }
        if !e.categories.is_empty() {
            let _ = writeln!(s, "  facts:       {}", e.categories.join("; "));
        }
        if !e.note.is_empty() {
            let _ = writeln!(s, "  note:        {}", p.paint(Style::Warn, &e.note));
        }
        let _ = writeln!(s, "  sources:");
        for src in &e.sources {
            let _ = writeln!(s, "    {src}");
        }
    }
    if !diag.rejected.is_empty() {
        let _ = writeln!(s, "\n{}", p.paint(Style::Bold, "Considered and rejected:"));
        for r in &diag.rejected {
            let _ = writeln!(
                s,
                "  - {} [{}] via '{}': {}",
                r.name,
                r.id,
                for_terminal(&r.matched),
                r.reason
            );
        }
    }
    if !diag.known.is_empty() {
        let _ = writeln!(
            s,
            "\n{}",
            p.paint(
                Style::Bold,
                "Recognised institutions that are not on the list:"
            )
        );
        for k in &diag.known {
            let _ = writeln!(s, "  - {} ({}, {})", k.name, k.country, k.ror);
        }
    }
    if !near.is_empty() {
        // With a match, the others are different institutions to keep apart;
        // without one, they are candidates the advisor may have meant.
        let (heading, sign) = if hits.is_empty() {
            (
                "Listed institutions with similar names (is one of these meant?):",
                "~",
            )
        } else {
            ("Near misses (listed, but NOT what the query names):", "≠")
        };
        let _ = writeln!(s, "\n{}", p.paint(Style::Bold, heading));
        for (i, sim, n) in near {
            let e = &list.entries()[*i];
            let _ = writeln!(
                s,
                "  - {} {sign} {} [{}] — {} (similarity {:.2})",
                for_terminal(query),
                e.name,
                e.id,
                p.paint(level_style(e.risk_level), e.risk_level.as_str()),
                sim
            );
            if n != &e.name {
                let _ = writeln!(s, "      closest name: {n}");
            }
        }
    }
    s
}
