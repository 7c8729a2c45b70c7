//! The answers of `coscreen lookup`: one institution explained (what matched,
//! what was considered and rejected, recognised institutions that are not
//! listed, near misses, funders the text names), and a person's affiliations
//! over time ([`person`]).
//!
//! Consumes the [`RiskList`] and the matcher's public API; produces the
//! answer as values (`lookup --json` serialises them as they are).
//! `output::lookup` renders them for a person at a desk. No I/O.

pub mod person;

use serde::Serialize;

use crate::funding::{FundingMatcher, FundingNearMiss};
use crate::matching::{
    Diagnostics, Hit, InstitutionIds, KnownMention, Matcher, Rejection, Scratch,
};
use crate::risklist::{
    canonical_openalex, canonical_ror, ListKind, RiskEntry, RiskLevel, RiskList,
};

/// How many listed names with a similar spelling a text lookup offers.
const NEAR_MISSES: usize = 5;

/// What the matcher made of one lookup: the query as shown, the hits, why
/// other candidates were rejected, and near misses as (entry, similarity,
/// the similar name).
#[derive(Debug)]
pub(crate) struct Explained {
    pub(crate) query: String,
    pub(crate) hits: Vec<Hit>,
    pub(crate) diag: Diagnostics,
    pub(crate) near: Vec<(usize, f64, String)>,
}

/// Explains a free-text affiliation: hits with their evidence, rejections,
/// and the listed names closest to it that did not match.
pub(crate) fn explain_text(list: &RiskList, text: &str) -> Explained {
    let matcher = Matcher::new(list);
    let mut scratch = Scratch::default();
    let (hits, diag) = matcher.explain(text, &mut scratch);
    let exclude: Vec<usize> = hits.iter().map(|h| h.entry).collect();
    let near = matcher.near_misses(text, &exclude, NEAR_MISSES);
    Explained {
        query: text.to_owned(),
        hits,
        diag,
        near,
    }
}

/// Explains a ROR or OpenAlex id (any spelling): the entries it is, and the
/// known non-listed institution a ROR id names.
pub(crate) fn explain_ids(list: &RiskList, ror: Option<&str>, openalex: Option<&str>) -> Explained {
    let ror = ror.map(canonical_ror);
    let openalex = openalex.map(canonical_openalex);
    let hits = Matcher::new(list).match_ids(InstitutionIds {
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
    Explained {
        query: ror.or(openalex).unwrap_or_default(),
        hits,
        diag,
        near: Vec::new(),
    }
}

/// `lookup --json` output.
#[derive(Debug, Serialize)]
pub(crate) struct LookupJson<'a> {
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
    civilian_funders: Vec<FundingNearMiss>,
}

impl<'a> LookupJson<'a> {
    /// The JSON answer of an explained lookup and the funders its text names.
    pub(crate) fn new(list: &'a RiskList, explained: Explained, funders: Funders) -> Self {
        let near_misses = explained
            .near
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
            .collect();
        Self {
            query: explained.query,
            risk_list_version: list.hash(),
            matches: explained.hits.iter().map(|h| entry_json(list, h)).collect(),
            rejected: explained.diag.rejected,
            known_not_listed: explained.diag.known,
            near_misses,
            funders: funders.of_concern,
            civilian_funders: funders.civilian,
        }
    }
}

/// A funder of concern named by the query.
#[derive(Debug, Serialize)]
pub(crate) struct FunderJson {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) name_original: Vec<String>,
    pub(crate) category: &'static str,
    pub(crate) country: String,
    pub(crate) risk_level: RiskLevel,
    pub(crate) method: &'static str,
    pub(crate) matched: String,
    pub(crate) listed_as: String,
    pub(crate) sources: Vec<String>,
    pub(crate) as_of: String,
    pub(crate) note: String,
}

/// The funders a lookup text names: of concern, and civilian programmes
/// (named so that the advisor sees they were recognised, not missed).
#[derive(Debug, Default)]
pub(crate) struct Funders {
    pub(crate) of_concern: Vec<FunderJson>,
    pub(crate) civilian: Vec<FundingNearMiss>,
}

/// Funders and civilian programmes a lookup text names (none for an id lookup).
pub(crate) fn funders_of(text: Option<&str>) -> Result<Funders, crate::risklist::Error> {
    let Some(text) = text else {
        return Ok(Funders::default());
    };
    let m = FundingMatcher::bundled()?;
    let (hits, civilian) = m.lookup(text);
    let mut of_concern: Vec<FunderJson> = Vec::new();
    for h in hits {
        let e = m.entry(&h);
        if of_concern.iter().any(|f| f.id == e.id) {
            continue;
        }
        of_concern.push(FunderJson {
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
    Ok(Funders {
        of_concern,
        civilian,
    })
}

/// One matched entry as `lookup --json` (and the person lookup) writes it.
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

/// One list membership of a matched entry.
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

/// A listed institution with a name like the query's that did not match.
#[derive(Debug, Serialize)]
struct NearMissJson<'a> {
    id: &'a str,
    name: &'a str,
    risk_level: RiskLevel,
    similar_name: String,
    similarity: f64,
}

/// The memberships of `e` in lists of one kind, in the entry's order.
pub(crate) fn memberships(list: &RiskList, e: &RiskEntry, kind: ListKind) -> Vec<ListJson> {
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

/// The JSON of one hit's entry, with its lists by kind.
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
