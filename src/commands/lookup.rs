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
    /// Funders and programmes of concern the text names (issue 20).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    funders: Vec<FunderJson>,
    /// Civilian programmes the text names: not a concern.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    civilian_funders: Vec<crate::funding::FundingNearMiss>,
}

/// A funder of concern named by the query.
#[derive(Debug, Serialize)]
struct FunderJson {
    id: String,
    name: String,
    name_original: Vec<String>,
    category: &'static str,
    country: String,
    risk_level: RiskLevel,
    method: &'static str,
    matched: String,
    listed_as: String,
    sources: Vec<String>,
    as_of: String,
    note: String,
}

/// Funders and civilian programmes a lookup text names.
fn funders_of(
    text: Option<&str>,
) -> Result<(Vec<FunderJson>, Vec<crate::funding::FundingNearMiss>), Error> {
    let Some(text) = text else {
        return Ok((Vec::new(), Vec::new()));
    };
    let m = crate::funding::FundingMatcher::bundled()?;
    let (hits, near) = m.lookup(text);
    let mut out: Vec<FunderJson> = Vec::new();
    for h in hits {
        let e = m.entry(&h);
        if out.iter().any(|f| f.id == e.id) {
            continue;
        }
        out.push(FunderJson {
            id: e.id.clone(),
            name: e.name.clone(),
            name_original: e.name_original.clone(),
            category: e.category.as_str(),
            country: e.country.clone(),
            risk_level: e.level,
            method: h.method,
            matched: h.matched.clone(),
            listed_as: h.listed_as.clone(),
            sources: e.sources.clone(),
            as_of: e.as_of.clone(),
            note: e.note.clone(),
        });
    }
    Ok((out, near))
}

fn render_funders(
    p: &Printer,
    funders: &[FunderJson],
    civilian: &[crate::funding::FundingNearMiss],
) -> String {
    let mut s = String::new();
    for f in funders {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{}  [{}]  {}",
            p.paint(Style::Bold, &f.name),
            f.id,
            p.paint(
                Style::Danger,
                &format!("funder of concern ({})", f.category)
            )
        );
        if !f.name_original.is_empty() {
            let _ = writeln!(s, "  original:    {}", f.name_original.join("; "));
        }
        let _ = writeln!(
            s,
            "  risk level:  {}",
            p.paint(level_style(f.risk_level), f.risk_level.as_str())
        );
        let _ = writeln!(s, "  country:     {}", f.country);
        let _ = writeln!(
            s,
            "  matched:     \"{}\" as {} ({})",
            for_terminal(&f.matched),
            for_terminal(&f.listed_as),
            f.method
        );
        let _ = writeln!(
            s,
            "  sources:     {} (as of {})",
            f.sources.join(" "),
            f.as_of
        );
    }
    for c in civilian {
        let _ = writeln!(
            s,
            "{} \"{}\" is {} [{}]: civilian, not a concern",
            p.paint(Style::Good, "Funder:"),
            for_terminal(&c.matched),
            c.name,
            c.civilian_id
        );
    }
    s
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
    /// The list's level policy ("Level policy: ..." in its note), shown once per list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) level_policy: Option<String>,
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

    let (funders, civilian_funders) = funders_of(args.text.as_deref())?;
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
            funders,
            civilian_funders,
        };
        serde_json::to_writer_pretty(&mut out, &json).map_err(|e| Error::Output(e.into()))?;
        writeln!(out).map_err(Error::Output)?;
    } else {
        let mut text = render_text(list, printer, &query, &hits, &diag, &near);
        text.push_str(&render_funders(printer, &funders, &civilian_funders));
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
                level_policy: first_of_list.then(|| level_policy(&info.note)).flatten(),
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

/// The sentence of a list's note that starts "Level policy:", if any: how
/// being on the list turns into a risk level (written for company lists).
fn level_policy(note: &str) -> Option<String> {
    let start = note.find("Level policy:")?;
    Some(note[start..].trim().to_owned())
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
                                "removed: not in the newest edition ({newest}); dropped or renamed since"
                            )
                        )
                    );
                }
                if let Some(policy) = &m.level_policy {
                    let _ = writeln!(s, "      {policy}");
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
