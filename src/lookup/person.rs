//! A person's affiliations over time (an OpenAlex author record), each
//! screened with the matcher, and the years in which the person was at a
//! listed institution: the answer of `lookup --orcid ID | --author ID`.
//! Takes the record's text (fetched by [`crate::net::Session::author`]); no I/O.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::{entry_json, EntryJson};
use crate::ingest::{openalex_short, orcid_short, ror_short};
use crate::matching::{Hit, InstitutionIds, Matcher, Scratch};
use crate::net::NetError;
use crate::risklist::RiskList;

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

/// `lookup --orcid/--author` output (`--json` writes it as it is).
#[derive(Debug, Serialize)]
pub(crate) struct PersonJson<'a> {
    pub(crate) query: String,
    risk_list_version: &'a str,
    pub(crate) author: Option<AuthorJson>,
    pub(crate) affiliations: Vec<AffiliationJson<'a>>,
    /// Years with at least one affiliation at a listed institution.
    pub(crate) listed_years: Vec<u16>,
    /// Years in which a listed affiliation stands beside an unlisted one: a
    /// concurrent (dual) appointment, as `screen` reports for home authors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) concurrent_listed_affiliations: Vec<Concurrent>,
}

/// One year with a listed and an unlisted affiliation at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Concurrent {
    pub(crate) year: u16,
    pub(crate) listed: Vec<String>,
    pub(crate) alongside: Vec<String>,
}

/// The person as OpenAlex names them.
#[derive(Debug, Serialize)]
pub(crate) struct AuthorJson {
    pub(crate) openalex: Option<String>,
    pub(crate) orcid: Option<String>,
    pub(crate) name: String,
    pub(crate) works_count: Option<u64>,
}

/// One institution of the person, with its years and what it matched.
#[derive(Debug, Serialize)]
pub(crate) struct AffiliationJson<'a> {
    pub(crate) institution: String,
    openalex: Option<String>,
    ror: Option<String>,
    pub(crate) country: Option<String>,
    pub(crate) years: Vec<u16>,
    pub(crate) last_known: bool,
    pub(crate) matches: Vec<EntryJson<'a>>,
}

/// The person a lookup asks for: the query as shown and the id the
/// OpenAlex authors endpoint takes (`orcid:…` or `A…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PersonQuery {
    pub(crate) shown: String,
    pub(crate) api_id: String,
}

impl PersonQuery {
    /// From `--orcid` (any spelling, check digit verified) or `--author`;
    /// the error names the flag and the expected form.
    pub(crate) fn new(orcid: Option<&str>, author: Option<&str>) -> Result<Self, String> {
        if let Some(o) = orcid {
            let o = orcid_short(o);
            if !valid_orcid(&o) {
                return Err(format!(
                    "--orcid '{o}' is not a valid ORCID (0000-0000-0000-000X with a correct check digit)"
                ));
            }
            return Ok(Self {
                shown: format!("ORCID {o}"),
                api_id: format!("orcid:{o}"),
            });
        }
        let Some(a) = author else {
            return Err("lookup needs --orcid or --author".into());
        };
        let a = openalex_short(a).to_ascii_uppercase();
        if !(a.starts_with('A') && a.len() > 1 && a[1..].chars().all(|c| c.is_ascii_digit())) {
            return Err(format!(
                "--author '{a}' is not an OpenAlex author id (A followed by digits)"
            ));
        }
        Ok(Self {
            shown: format!("OpenAlex author {a}"),
            api_id: a,
        })
    }
}

/// Checks an ORCID's shape and ISO 7064 11,2 check digit.
fn valid_orcid(id: &str) -> bool {
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

/// Screens the author record `body` (`None`: OpenAlex has no such author)
/// against `list`: every affiliation, most recent first, with its matches.
pub(crate) fn screen<'a>(
    list: &'a RiskList,
    query: &PersonQuery,
    body: Option<&str>,
) -> Result<PersonJson<'a>, NetError> {
    let mut json = PersonJson {
        query: query.shown.clone(),
        risk_list_version: list.hash(),
        author: None,
        affiliations: Vec::new(),
        listed_years: Vec::new(),
        concurrent_listed_affiliations: Vec::new(),
    };
    let Some(body) = body else {
        return Ok(json);
    };
    let raw: RawAuthor = serde_json::from_str(body).map_err(|e| NetError::Malformed {
        api: "OpenAlex",
        url: format!("/authors/{}", query.api_id),
        message: format!("not an author: {e}"),
    })?;
    let matcher = Matcher::new(list);
    let mut scratch = Scratch::default();
    let countries = country_names();
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
    affs.sort_by_key(|(_, years, _)| std::cmp::Reverse(years.iter().max().copied().unwrap_or(0)));
    let mut listed = BTreeSet::new();
    for (inst, mut years, last_known) in affs {
        years.sort_unstable();
        years.dedup();
        let hits = screen_institution(&matcher, &mut scratch, &countries, &inst);
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
    Ok(json)
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

/// Ids first (ROR, OpenAlex id and lineage); the name only when the ids say nothing.
fn screen_institution(
    m: &Matcher,
    scratch: &mut Scratch,
    countries: &HashMap<String, String>,
    inst: &RawInstitution,
) -> Vec<Hit> {
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
    let text = match inst.country_code.as_deref().and_then(|c| countries.get(c)) {
        Some(c) => format!("{name}, {c}"),
        None => name.to_owned(),
    };
    m.match_str(&text, scratch)
}

/// Each country's English short name from the bundled gazetteer
/// (`data/places/countries.csv`), by ISO 3166-1 alpha-2 code: a name match
/// then has the country evidence some entries need, and a namesake abroad
/// is told apart.
fn country_names() -> HashMap<String, String> {
    let (countries, _) = crate::matching::country::gazetteer();
    countries
        .into_iter()
        .filter(|r| r.form == "short" && r.lang == "en")
        .map(|r| (r.code, r.name))
        .collect()
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

    fn named(name: &str, country: &str) -> RawInstitution {
        RawInstitution {
            id: None,
            ror: None,
            display_name: Some(name.into()),
            country_code: Some(country.into()),
            lineage: None,
        }
    }

    #[test]
    fn issue_19_a_name_only_affiliation_gets_its_country_from_the_gazetteer() {
        let list = RiskList::bundled().unwrap();
        let m = Matcher::new(&list);
        let countries = country_names();
        // Every listed country has a name, so no entry loses its evidence.
        for e in list.entries() {
            assert!(
                countries.contains_key(&e.country),
                "{}: {}",
                e.id,
                e.country
            );
        }
        // Names the old hand-written table spelled outside the gazetteer.
        assert_eq!(countries["SY"], "Syrian Arab Republic");
        assert_eq!(countries["MO"], "Macao");
        let ids = |inst: &RawInstitution| -> Vec<String> {
            screen_institution(&m, &mut Scratch::default(), &countries, inst)
                .iter()
                .map(|h| list.entries()[h.entry].id.clone())
                .collect()
        };
        // The entry needs Chinese place evidence; a namesake abroad is not it.
        assert_eq!(
            ids(&named("Southeast University", "CN")),
            ["southeast-university"]
        );
        assert!(ids(&named("Southeast University", "BD")).is_empty());
    }
}
