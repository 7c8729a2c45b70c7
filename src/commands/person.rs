//! `coscreen lookup --orcid ID | --author ID`: a person's affiliations over
//! time (OpenAlex authors endpoint), each screened with the matcher, and the
//! years in which the person was at a listed institution.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write;

use serde::{Deserialize, Serialize};

use super::lookup::{entry_json, level_style, EntryJson};
use crate::cli::LookupArgs;
use crate::error::Error;
use crate::exit::ExitStatus;
use crate::ingest::{openalex_short, orcid_short, ror_short};
use crate::matching::{Hit, InstitutionIds, Matcher, Scratch};
use crate::output::sanitize::for_terminal;
use crate::output::{Printer, Style};
use crate::risklist::RiskList;
use crate::settings::Settings;

#[derive(Debug, Deserialize)]
struct RawAuthor {
    id: Option<String>,
    orcid: Option<String>,
    display_name: Option<String>,
    works_count: Option<u64>,
    #[serde(default)]
    affiliations: Vec<RawAffiliation>,
    #[serde(default)]
    last_known_institutions: Option<Vec<RawInstitution>>,
}

#[derive(Debug, Deserialize)]
struct RawAffiliation {
    institution: RawInstitution,
    #[serde(default)]
    years: Vec<u16>,
}

#[derive(Debug, Clone, Deserialize)]
struct RawInstitution {
    id: Option<String>,
    ror: Option<String>,
    display_name: Option<String>,
    country_code: Option<String>,
    #[serde(default)]
    lineage: Option<Vec<String>>,
}

#[derive(Debug, Serialize)]
struct PersonJson<'a> {
    query: String,
    risk_list_version: &'a str,
    author: Option<AuthorJson>,
    affiliations: Vec<AffiliationJson<'a>>,
    /// Years with at least one affiliation at a listed institution.
    listed_years: Vec<u16>,
    /// Years in which a listed affiliation stands beside an unlisted one: a
    /// concurrent (dual) appointment, as `screen` reports for home authors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    concurrent_listed_affiliations: Vec<Concurrent>,
}

/// One year with a listed and an unlisted affiliation at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Concurrent {
    year: u16,
    listed: Vec<String>,
    alongside: Vec<String>,
}

/// The years in which listed and unlisted affiliations overlap; input is
/// (institution, years, listed?).
fn concurrent(affs: &[(String, Vec<u16>, bool)]) -> Vec<Concurrent> {
    let years: BTreeSet<u16> = affs
        .iter()
        .filter(|a| a.2)
        .flat_map(|a| a.1.iter().copied())
        .collect();
    years
        .into_iter()
        .filter_map(|y| {
            let at = |listed: bool| -> Vec<String> {
                affs.iter()
                    .filter(|a| a.2 == listed && a.1.contains(&y))
                    .map(|a| a.0.clone())
                    .collect()
            };
            let alongside = at(false);
            (!alongside.is_empty()).then(|| Concurrent {
                year: y,
                listed: at(true),
                alongside,
            })
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct AuthorJson {
    openalex: Option<String>,
    orcid: Option<String>,
    name: String,
    works_count: Option<u64>,
}

#[derive(Debug, Serialize)]
struct AffiliationJson<'a> {
    institution: String,
    openalex: Option<String>,
    ror: Option<String>,
    country: Option<String>,
    years: Vec<u16>,
    last_known: bool,
    matches: Vec<EntryJson<'a>>,
}

/// Checks an ORCID's shape and ISO 7064 11,2 check digit.
pub(crate) fn valid_orcid(id: &str) -> bool {
    let digits: Vec<char> = id.chars().filter(|c| *c != '-').collect();
    if digits.len() != 16 || id.len() != 19 {
        return false;
    }
    let mut total = 0u32;
    for c in &digits[..15] {
        let Some(d) = c.to_digit(10) else {
            return false;
        };
        total = (total + d) * 2;
    }
    let check = (12 - total % 11) % 11;
    let want = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10).unwrap_or('?')
    };
    digits[15] == want
}

pub(crate) fn run(
    args: &LookupArgs,
    settings: &Settings,
    list: &RiskList,
    printer: &Printer,
) -> Result<ExitStatus, Error> {
    let (query, api_id) = if let Some(o) = &args.orcid {
        let o = orcid_short(o);
        if !valid_orcid(&o) {
            return Err(Error::Usage(format!(
                "--orcid '{o}' is not a valid ORCID (0000-0000-0000-000X with a correct check digit)"
            )));
        }
        (format!("ORCID {o}"), format!("orcid:{o}"))
    } else if let Some(a) = &args.author {
        let a = openalex_short(a).to_ascii_uppercase();
        if !(a.starts_with('A') && a.len() > 1 && a[1..].chars().all(|c| c.is_ascii_digit())) {
            return Err(Error::Usage(format!(
                "--author '{a}' is not an OpenAlex author id (A followed by digits)"
            )));
        }
        (format!("OpenAlex author {a}"), a)
    } else {
        return Err(Error::Usage("lookup needs --orcid or --author".into()));
    };
    let body = crate::net::Session::for_lookup(settings)?.author(&api_id)?;
    let matcher = Matcher::new(list);
    let mut scratch = Scratch::default();
    let mut json = PersonJson {
        query,
        risk_list_version: list.hash(),
        author: None,
        affiliations: Vec::new(),
        listed_years: Vec::new(),
        concurrent_listed_affiliations: Vec::new(),
    };
    if let Some(body) = body {
        let raw: RawAuthor = serde_json::from_str(&body).map_err(|e| {
            Error::Net(crate::net::NetError::Malformed {
                api: "OpenAlex",
                url: format!("/authors/{api_id}"),
                message: format!("not an author: {e}"),
            })
        })?;
        let last: Vec<RawInstitution> = raw.last_known_institutions.clone().unwrap_or_default();
        let mut affs: Vec<(RawInstitution, Vec<u16>, bool)> = raw
            .affiliations
            .into_iter()
            .map(|a| {
                let is_last = last
                    .iter()
                    .any(|l| l.id.is_some() && l.id == a.institution.id);
                (a.institution, a.years, is_last)
            })
            .collect();
        for l in &last {
            if !affs.iter().any(|(i, _, _)| i.id.is_some() && i.id == l.id) {
                affs.push((l.clone(), Vec::new(), true));
            }
        }
        // Most recent first.
        affs.sort_by_key(|(_, years, _)| {
            std::cmp::Reverse(years.iter().max().copied().unwrap_or(0))
        });
        let mut listed = BTreeSet::new();
        for (inst, mut years, last_known) in affs {
            years.sort_unstable();
            years.dedup();
            let hits = screen_institution(&matcher, &mut scratch, &inst);
            if !hits.is_empty() {
                listed.extend(years.iter().copied());
            }
            json.affiliations.push(AffiliationJson {
                institution: inst.display_name.clone().unwrap_or_default(),
                openalex: inst.id.as_deref().map(|i| openalex_short(i).to_owned()),
                ror: inst.ror.as_deref().map(|r| ror_short(r).to_owned()),
                country: inst.country_code.clone(),
                years,
                last_known,
                matches: hits.iter().map(|h| entry_json(list, h)).collect(),
            });
        }
        json.listed_years = listed.into_iter().collect();
        let spans: Vec<(String, Vec<u16>, bool)> = json
            .affiliations
            .iter()
            .map(|a| {
                (
                    a.institution.clone(),
                    a.years.clone(),
                    !a.matches.is_empty(),
                )
            })
            .collect();
        json.concurrent_listed_affiliations = concurrent(&spans);
        json.author = Some(AuthorJson {
            openalex: raw.id.as_deref().map(|i| openalex_short(i).to_owned()),
            orcid: raw.orcid.as_deref().map(orcid_short),
            name: raw.display_name.unwrap_or_default(),
            works_count: raw.works_count,
        });
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &json).map_err(|e| Error::Output(e.into()))?;
        writeln!(out).map_err(Error::Output)?;
    } else {
        out.write_all(render(&json, list, printer).as_bytes())
            .map_err(Error::Output)?;
    }
    out.flush().map_err(Error::Output)?;
    Ok(ExitStatus::Success)
}

/// Ids first (ROR, OpenAlex id and lineage); the name only when the ids say nothing.
fn screen_institution(m: &Matcher, scratch: &mut Scratch, inst: &RawInstitution) -> Vec<Hit> {
    let lineage: Vec<String> = inst
        .lineage
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|l| openalex_short(l).to_owned())
        .collect();
    let openalex = inst.id.as_deref().map(openalex_short);
    let ror = inst.ror.as_deref().map(ror_short);
    let hits = m.match_ids(InstitutionIds {
        ror,
        openalex,
        lineage: &lineage,
    });
    if !hits.is_empty() {
        return hits;
    }
    let Some(name) = inst.display_name.as_deref() else {
        return hits;
    };
    let text = match inst.country_code.as_deref().and_then(country_name) {
        Some(c) => format!("{name}, {c}"),
        None => name.to_owned(),
    };
    m.match_str(&text, scratch)
}

/// Country names for the codes the list's entries are in, so name matching
/// has the country evidence some entries need.
fn country_name(cc: &str) -> Option<&'static str> {
    Some(match cc {
        "CN" => "China",
        "HK" => "Hong Kong",
        "MO" => "Macau",
        "TW" => "Taiwan",
        "RU" => "Russia",
        "IR" => "Iran",
        "KP" => "North Korea",
        "BY" => "Belarus",
        "PK" => "Pakistan",
        "SY" => "Syria",
        _ => return None,
    })
}

fn span(years: &[u16]) -> String {
    // 2011, 2012, 2013, 2015 -> "2011–2013, 2015"
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let start = years[i];
        let mut end = start;
        while i + 1 < years.len() && years[i + 1] == end + 1 {
            end += 1;
            i += 1;
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}–{end}")
        });
        i += 1;
    }
    parts.join(", ")
}

fn render(j: &PersonJson, list: &RiskList, p: &Printer) -> String {
    let mut s = String::new();
    let Some(a) = &j.author else {
        let _ = writeln!(s, "{}: OpenAlex has no such author.", j.query);
        return s;
    };
    let _ = writeln!(
        s,
        "{}  (OpenAlex {}{}{})",
        p.paint(Style::Bold, &for_terminal(&a.name)),
        a.openalex.as_deref().unwrap_or("?"),
        a.orcid
            .as_deref()
            .map(|o| format!(", ORCID {o}"))
            .unwrap_or_default(),
        a.works_count
            .map(|n| format!(", {n} works"))
            .unwrap_or_default(),
    );
    let _ = writeln!(
        s,
        "Affiliations over time (the years OpenAlex saw each on the person's papers):"
    );
    for aff in &j.affiliations {
        let years = if aff.years.is_empty() {
            "(no years)".to_owned()
        } else {
            span(&aff.years)
        };
        let last = if aff.last_known { "  [last known]" } else { "" };
        let _ = writeln!(
            s,
            "  {years:<12} {}{}{last}",
            for_terminal(&aff.institution),
            aff.country
                .as_deref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        );
        if aff.matches.is_empty() {
            let _ = writeln!(s, "               not on the risk list");
        }
        for m in &aff.matches {
            let level = list.get(m.id).map(|e| e.risk_level).unwrap_or(m.risk_level);
            let _ = writeln!(
                s,
                "               {} {} ({}): {}",
                p.paint(level_style(level), "LISTED"),
                for_terminal(m.name),
                level.as_str(),
                m.evidence,
            );
            // One line per list, its dates together.
            let mut lists: Vec<(&str, Vec<&str>)> = Vec::new();
            for l in m
                .designations
                .iter()
                .chain(&m.assessments)
                .chain(&m.watchlists)
            {
                match lists.iter_mut().find(|(n, _)| *n == l.name) {
                    Some((_, dates)) => dates.push(&l.date),
                    None => lists.push((&l.name, vec![&l.date])),
                }
            }
            for (name, dates) in lists {
                let _ = writeln!(s, "                 {name}: {}", dates.join(", "));
            }
        }
    }
    if j.listed_years.is_empty() {
        let _ = writeln!(s, "No affiliation on the risk list.");
    } else {
        let _ = writeln!(
            s,
            "{} {}",
            p.paint(Style::Danger, "At a listed institution in:"),
            span(&j.listed_years)
        );
    }
    for c in &j.concurrent_listed_affiliations {
        let _ = writeln!(
            s,
            "{} {}: {} beside {}",
            p.paint(Style::Danger, "Listed affiliation held with another in"),
            c.year,
            for_terminal(&c.listed.join("; ")),
            for_terminal(&c.alongside.join("; "))
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orcid_check_digits() {
        assert!(valid_orcid("0000-0002-1825-0097"));
        assert!(valid_orcid("0000-0002-1694-233X"));
        assert!(!valid_orcid("0000-0002-1825-0098"));
        assert!(!valid_orcid("0000-0002-1825-009"));
    }

    #[test]
    fn issue_20_concurrent_listed_affiliations_are_the_overlapping_years() {
        let affs = vec![
            (
                "University of Oxford".to_owned(),
                vec![2021, 2022, 2023],
                false,
            ),
            (
                "Harbin Institute of Technology".to_owned(),
                vec![2018, 2020, 2021],
                true,
            ),
        ];
        assert_eq!(
            concurrent(&affs),
            vec![Concurrent {
                year: 2021,
                listed: vec!["Harbin Institute of Technology".into()],
                alongside: vec!["University of Oxford".into()],
            }]
        );
        // Successive, not concurrent: nothing.
        let succ = vec![
            ("University of Oxford".to_owned(), vec![2022, 2023], false),
            (
                "Harbin Institute of Technology".to_owned(),
                vec![2018, 2021],
                true,
            ),
        ];
        assert!(concurrent(&succ).is_empty());
    }

    #[test]
    fn year_spans() {
        assert_eq!(span(&[2011, 2012, 2013, 2015]), "2011–2013, 2015");
        assert_eq!(span(&[2020]), "2020");
    }
}
