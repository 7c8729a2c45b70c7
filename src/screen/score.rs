//! Scoring one work (pure): which listed institutions co-authored it, with
//! the evidence chain, which critical-technology areas it touches, the tier
//! that combines them, and whether the paper predates each listing.

use serde::Serialize;

use crate::classify::{AreaTag, Classifier};
use crate::funding::{FundingMatcher, FundingNearMiss};
use crate::ingest::Work;
use crate::matching::{Hit, InstitutionIds, Matcher, Scratch};
use crate::risklist::{ListKind, Relation, RiskLevel, RiskList};

/// The priority four areas of Recommendation (EU) 2023/2113.
pub const PRIORITY_AREAS: [&str; 4] = ["semiconductors", "ai", "quantum", "biotech"];

/// The home side of a screen: what is screened, never flagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", content = "id", rename_all = "lowercase")]
pub enum Home {
    /// A ROR id.
    Ror(String),
    /// An OpenAlex institution id (with its lineage).
    Openalex(String),
    /// A country code.
    Country(String),
    /// Not given (offline input screened as a whole).
    Any,
}

impl Home {
    /// `01yqg2h08`, `I204983213` or `BE`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let short = crate::ingest::openalex_short(t);
        if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(Self::Country(t.to_ascii_uppercase()))
        } else if (short.starts_with('I') || short.starts_with('i'))
            && short.len() > 1
            && short[1..].chars().all(|c| c.is_ascii_digit())
        {
            Ok(Self::Openalex(short.to_ascii_uppercase()))
        } else {
            let r = crate::ingest::ror_short(t).to_ascii_lowercase();
            if r.len() == 9 && r.starts_with('0') && r.chars().all(|c| c.is_ascii_alphanumeric()) {
                Ok(Self::Ror(r))
            } else {
                Err(format!(
                    "--home '{s}' is not a ROR id (0xxxxxxxx), an OpenAlex institution id (I…) or a two-letter country code"
                ))
            }
        }
    }
}

/// Paper tiers, most serious first. Documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Tier {
    /// Very high/high partner and a priority-four area.
    #[serde(rename = "1")]
    One,
    /// Very high/high partner and another area; or medium partner and a priority-four area.
    #[serde(rename = "2")]
    Two,
    /// Very high/high partner, no area; or medium partner and another area.
    #[serde(rename = "3")]
    Three,
    /// Medium partner without an area; any low partner.
    #[serde(rename = "4")]
    Four,
}

impl Tier {
    /// Combines the highest partner level with the technology the paper touches.
    pub fn of(level: RiskLevel, priority_area: bool, other_area: bool) -> Self {
        let high = level >= RiskLevel::High;
        match (high, level == RiskLevel::Medium, priority_area, other_area) {
            (true, _, true, _) => Self::One,
            (true, _, false, true) => Self::Two,
            (false, true, true, _) => Self::Two,
            (true, _, false, false) => Self::Three,
            (false, true, false, true) => Self::Three,
            _ => Self::Four,
        }
    }

    /// The next tier down (tier 4 stays 4).
    pub fn below(self) -> Self {
        match self {
            Self::One => Self::Two,
            Self::Two => Self::Three,
            Self::Three | Self::Four => Self::Four,
        }
    }

    /// `1`..`4`.
    pub fn number(self) -> u8 {
        match self {
            Self::One => 1,
            Self::Two => 2,
            Self::Three => 3,
            Self::Four => 4,
        }
    }

    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Self::One => "listed partner (very high/high) + priority technology",
            Self::Two => "listed partner + critical technology",
            Self::Three => "listed partner",
            Self::Four => "lower-level partner",
        }
    }
}

/// How one listing relates to the paper's year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AsOf {
    /// List id.
    pub list: String,
    /// List name.
    pub list_name: String,
    /// `designation`, `assessment` or `watchlist`.
    pub kind: &'static str,
    /// Rating or edition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The listing date as the data has it.
    pub date: String,
    /// `before_listing`, `listing_year`, `after_listing` or `undated`.
    pub paper_is: &'static str,
}

/// One reason a partner was found on a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Co-author as the source names them (empty when the address has no author).
    pub author: String,
    /// ORCID, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
    /// The raw affiliation string, when the match came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_affiliation: Option<String>,
    /// The institution the source resolved, when the match came from an id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_institution: Option<String>,
    /// `ror`, `openalex`, `lineage`, `name`, `alias`, `acronym`, `fuzzy`…
    pub method: &'static str,
    /// What matched.
    pub matched: String,
    /// The matcher's explanation.
    pub detail: String,
    /// `self`, `part` or `affiliate` (see [`Relation`]).
    pub relation: Relation,
}

/// One listed partner institution on one paper.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// Entry id.
    pub entry_id: String,
    /// Entry name.
    pub entry_name: String,
    /// Country.
    pub country: String,
    /// Effective risk level.
    pub risk_level: RiskLevel,
    /// Every listing, with the paper's year against it.
    pub listings: Vec<AsOf>,
    /// Why it matched (one per co-author and string or id).
    pub evidence: Vec<Evidence>,
    /// `ids and string`, `ids only` (the raw strings say nothing of it) or `string only`.
    pub support: &'static str,
    /// The closest relation any evidence shows: `self` (the entry itself),
    /// `part`, or `affiliate` (only an affiliated organisation: its own
    /// class, scored one tier below, filtered by `screen --affiliates`).
    pub relation: Relation,
    /// A reviewer's decision that applies, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<super::decisions::Applied>,
}

/// A funding body or programme of concern that paid for a paper (issue 20).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FundingFlag {
    /// Funder entry id (`data/risk-funders.csv`).
    pub funder_id: String,
    /// Its name.
    pub funder_name: String,
    /// `defence_funder` or `talent_programme`.
    pub category: &'static str,
    /// Country.
    pub country: String,
    /// Risk level: scored like a listed partner of this level.
    pub risk_level: RiskLevel,
    /// Official sources of the entry.
    pub sources: Vec<String>,
    /// Why: one per field and matched text.
    pub evidence: Vec<crate::funding::FundingHit>,
    /// A reviewer's decision that applies (keyed by the funder id), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<super::decisions::Applied>,
}

/// A home-side author who also lists a listed institution on the same paper:
/// a dual appointment, not a foreign co-author (issue 20).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DualAffiliation {
    /// Author as the source names them.
    pub author: String,
    /// ORCID, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orcid: Option<String>,
    /// OpenAlex author id, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    /// The home institution(s) the author lists on this paper.
    pub home_affiliation: Vec<String>,
    /// The listed entry id.
    pub listed_id: String,
    /// The listed entry name.
    pub listed_name: String,
    /// The listed affiliation as the paper gives it (string or resolved institution).
    pub listed_affiliation: String,
}

/// One screened work.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PaperResult {
    /// Source id.
    pub work_id: String,
    /// Source.
    pub source: &'static str,
    /// DOI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// Year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// Title.
    pub title: String,
    /// Home institutions on the paper (per-university reports).
    pub home: Vec<String>,
    /// Listed partners.
    pub flags: Vec<Flag>,
    /// Funders and programmes of concern that paid for it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub funding: Vec<FundingFlag>,
    /// Civilian programmes in its funding data that share words with listed ones (not flags).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub funding_near_misses: Vec<FundingNearMiss>,
    /// Home-side authors who also list a listed institution on it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub home_author_dual_affiliations: Vec<DualAffiliation>,
    /// Critical-technology areas with evidence.
    pub areas: Vec<AreaTag>,
    /// Tier from the undecided flags (None: nothing open).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// Highest level among the undecided flags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highest_risk_level: Option<RiskLevel>,
    /// Affiliation strings on the paper.
    #[serde(skip)]
    pub strings: u32,
    /// Strings neither resolved by the source nor matched (for coverage).
    #[serde(skip)]
    pub unresolved: Vec<String>,
    /// Affiliation strings longer than the matcher screens
    /// ([`crate::matching::MAX_SCREENED`]): only their start was screened.
    #[serde(skip)]
    pub truncated: u32,
    /// The source resolved institutions on the work and none is on the home
    /// side: the work is outside the screen (counted, not flagged).
    #[serde(skip)]
    pub outside_home: bool,
}

impl PaperResult {
    /// Whether anything is flagged: a listed partner or a funder of concern.
    pub fn is_flagged(&self) -> bool {
        !self.flags.is_empty() || !self.funding.is_empty()
    }

    /// Recomputes tier and highest level from the flags without a standing
    /// decision; a funder of concern counts like a listed partner of its level.
    pub fn rescore(&mut self) {
        let open: Vec<&Flag> = self
            .flags
            .iter()
            .filter(|f| f.decision.as_ref().is_none_or(|d| !d.active))
            .collect();
        let funding: Vec<RiskLevel> = self
            .funding
            .iter()
            .filter(|f| f.decision.as_ref().is_none_or(|d| !d.active))
            .map(|f| f.risk_level)
            .collect();
        self.highest_risk_level = open
            .iter()
            .map(|f| f.risk_level)
            .chain(funding.iter().copied())
            .max();
        let priority = self.areas.iter().any(|a| PRIORITY_AREAS.contains(&a.area));
        let other = self.areas.iter().any(|a| !PRIORITY_AREAS.contains(&a.area));
        // An affiliate's flag scores one tier below the same flag on the
        // entry itself; funders count at their own level.
        self.tier = open
            .iter()
            .map(|f| {
                let t = Tier::of(f.risk_level, priority, other);
                if f.relation == Relation::Affiliate {
                    t.below()
                } else {
                    t
                }
            })
            .chain(funding.iter().map(|&l| Tier::of(l, priority, other)))
            .min();
    }
}

/// Takes the flags that only an affiliate supports (relation `affiliate`)
/// off a paper, for `screen --affiliates count|ignore`, and rescores it;
/// returns how many were taken.
pub fn drop_affiliate_flags(p: &mut PaperResult) -> u64 {
    take_affiliate_flags(p).len() as u64
}

/// Takes the flags whose only evidence is an affiliate's off `p` (rescored
/// when any) and returns them.
pub fn take_affiliate_flags(p: &mut PaperResult) -> Vec<Flag> {
    // Most papers have none: no allocation for them (bulk runs).
    if !p.flags.iter().any(|f| f.relation == Relation::Affiliate) {
        return Vec::new();
    }
    let (taken, kept): (Vec<Flag>, Vec<Flag>) = std::mem::take(&mut p.flags)
        .into_iter()
        .partition(|f| f.relation == Relation::Affiliate);
    p.flags = kept;
    p.rescore();
    taken
}

fn is_home(home: &Home, inst: &crate::ingest::Institution) -> bool {
    match home {
        Home::Ror(r) => inst.ror.as_deref() == Some(r.as_str()),
        Home::Openalex(i) => {
            inst.id.as_deref() == Some(i.as_str()) || inst.lineage.iter().any(|l| l == i)
        }
        Home::Country(c) => inst.country.as_deref() == Some(c.as_str()),
        Home::Any => false,
    }
}

/// Screens one work. Returns the result (flags may be empty) for aggregation.
pub fn screen_work(
    work: &Work,
    home: &Home,
    matcher: &Matcher,
    funding: &FundingMatcher,
    classifier: &Classifier,
    scratch: &mut Scratch,
) -> PaperResult {
    let list: &RiskList = matcher.list();
    let mut duals: Vec<DualAffiliation> = Vec::new();
    let mut flags: Vec<Flag> = Vec::new();
    let mut home_names: Vec<String> = Vec::new();
    let mut strings = 0u32;
    let mut unresolved = Vec::new();
    let mut truncated = 0u32;
    let home_entry = |i: usize| {
        let e = &list.entries()[i];
        match home {
            Home::Ror(r) => e.ror.as_deref() == Some(r.as_str()),
            Home::Openalex(o) => e.openalex.as_deref() == Some(o.as_str()),
            _ => false,
        }
    };
    for a in &work.authorships {
        let mut id_hits: Vec<(Hit, String)> = Vec::new();
        let mut own_home: Vec<String> = Vec::new();
        for inst in &a.institutions {
            if is_home(home, inst) {
                if !home_names.contains(&inst.name) {
                    home_names.push(inst.name.clone());
                }
                if !own_home.contains(&inst.name) {
                    own_home.push(inst.name.clone());
                }
            }
            for h in matcher.match_ids(InstitutionIds {
                ror: inst.ror.as_deref(),
                openalex: inst.id.as_deref(),
                lineage: &inst.lineage,
            }) {
                id_hits.push((h, inst.name.clone()));
            }
        }
        let mut str_hits: Vec<(Hit, String)> = Vec::new();
        for raw in &a.raw_affiliations {
            strings += 1;
            let hits = matcher.match_str(raw, scratch);
            truncated += u32::from(scratch.truncated().is_some());
            if hits.is_empty() && a.institutions.is_empty() {
                unresolved.push(raw.clone());
            }
            for h in hits {
                str_hits.push((h, raw.clone()));
            }
        }
        let mut add = |hit: &Hit, ev: Evidence, from_id: bool| {
            if home_entry(hit.entry) {
                return;
            }
            let e = &list.entries()[hit.entry];
            let f = match flags.iter_mut().position(|f| f.entry_id == e.id) {
                Some(i) => &mut flags[i],
                None => {
                    flags.push(Flag {
                        entry_id: e.id.clone(),
                        entry_name: e.name.clone(),
                        country: e.country.clone(),
                        risk_level: e.risk_level,
                        listings: listings(list, hit.entry, work.year),
                        evidence: Vec::new(),
                        support: "",
                        relation: ev.relation,
                        decision: None,
                    });
                    flags.last_mut().expect("just pushed")
                }
            };
            f.support = match (f.support, from_id) {
                ("", true) => "ids only",
                ("", false) => "string only",
                ("ids only", false) | ("string only", true) => "ids and string",
                (s, _) => s,
            };
            f.relation = f.relation.min(ev.relation);
            if !f.evidence.contains(&ev) {
                f.evidence.push(ev);
            }
        };
        for (h, inst_name) in &id_hits {
            add(
                h,
                Evidence {
                    author: a.name.clone(),
                    orcid: a.orcid.clone(),
                    raw_affiliation: None,
                    resolved_institution: Some(inst_name.clone()),
                    method: h.method.as_str(),
                    matched: h.matched.clone(),
                    detail: h.evidence.clone(),
                    relation: h.relation,
                },
                true,
            );
        }
        // A home author who also lists a listed institution: a dual appointment.
        if !own_home.is_empty() {
            let listed = id_hits
                .iter()
                .map(|(h, inst)| (h, inst))
                .chain(str_hits.iter().map(|(h, raw)| (h, raw)));
            for (h, what) in listed {
                if home_entry(h.entry) {
                    continue;
                }
                let e = &list.entries()[h.entry];
                let d = DualAffiliation {
                    author: a.name.clone(),
                    orcid: a.orcid.clone(),
                    author_id: a.author_id.clone(),
                    home_affiliation: own_home.clone(),
                    listed_id: e.id.clone(),
                    listed_name: e.name.clone(),
                    listed_affiliation: what.clone(),
                };
                if !duals
                    .iter()
                    .any(|x| x.author == d.author && x.listed_id == d.listed_id)
                {
                    duals.push(d);
                }
            }
        }
        for (h, raw) in &str_hits {
            add(
                h,
                Evidence {
                    author: a.name.clone(),
                    orcid: a.orcid.clone(),
                    raw_affiliation: Some(raw.clone()),
                    resolved_institution: None,
                    method: h.method.as_str(),
                    matched: h.matched.clone(),
                    detail: h.evidence.clone(),
                    relation: h.relation,
                },
                false,
            );
        }
    }
    flags.sort_by(|a, b| {
        b.risk_level
            .cmp(&a.risk_level)
            .then_with(|| a.entry_id.cmp(&b.entry_id))
    });
    let (hits, funding_near_misses) = funding.match_work(work);
    let mut funding_flags: Vec<FundingFlag> = Vec::new();
    for h in hits {
        let e = funding.entry(&h);
        match funding_flags.iter_mut().find(|f| f.funder_id == e.id) {
            Some(f) => f.evidence.push(h),
            None => funding_flags.push(FundingFlag {
                funder_id: e.id.clone(),
                funder_name: e.name.clone(),
                category: e.category.as_str(),
                country: e.country.clone(),
                risk_level: e.level,
                sources: e.sources.clone(),
                evidence: vec![h],
                decision: None,
            }),
        }
    }
    funding_flags.sort_by(|a, b| {
        b.risk_level
            .cmp(&a.risk_level)
            .then_with(|| a.funder_id.cmp(&b.funder_id))
    });
    let areas = if flags.is_empty() && funding_flags.is_empty() && work.title.is_empty() {
        Vec::new()
    } else {
        classifier.classify_parts(
            &work.title,
            &work.abstract_text,
            &work.keywords,
            work.topics
                .iter()
                .map(|t| (t.id.as_str(), t.name.as_str(), t.field.as_deref())),
        )
    };
    let resolved_any = work.authorships.iter().any(|a| !a.institutions.is_empty());
    let outside_home = !matches!(home, Home::Any) && resolved_any && home_names.is_empty();
    let mut r = PaperResult {
        work_id: work.id.clone(),
        source: work.source.as_str(),
        doi: work.doi.clone(),
        year: work.year,
        title: work.title.clone(),
        home: home_names,
        flags,
        funding: funding_flags,
        funding_near_misses,
        home_author_dual_affiliations: duals,
        areas,
        tier: None,
        highest_risk_level: None,
        strings,
        unresolved,
        truncated,
        outside_home,
    };
    r.rescore();
    r
}

fn listings(list: &RiskList, entry: usize, year: Option<u16>) -> Vec<AsOf> {
    let e = &list.entries()[entry];
    e.memberships
        .iter()
        .map(|m| {
            let info = list.list_info(&m.list);
            let paper_is = match (year, m.date.year) {
                (Some(y), Some(l)) if y < l => "before_listing",
                (Some(y), Some(l)) if y == l => "listing_year",
                (Some(_), Some(_)) => "after_listing",
                _ => "undated",
            };
            AsOf {
                list: m.list.clone(),
                list_name: info.name.clone(),
                kind: match info.kind {
                    ListKind::Designation => "designation",
                    ListKind::Assessment => "assessment",
                    ListKind::Watchlist => "watchlist",
                },
                detail: m.detail.clone(),
                date: m.date.raw.clone(),
                paper_is,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_combine_level_and_technology() {
        use RiskLevel::*;
        assert_eq!(Tier::of(VeryHigh, true, false), Tier::One);
        assert_eq!(Tier::of(High, false, true), Tier::Two);
        assert_eq!(Tier::of(Medium, true, false), Tier::Two);
        assert_eq!(Tier::of(High, false, false), Tier::Three);
        assert_eq!(Tier::of(Medium, false, true), Tier::Three);
        assert_eq!(Tier::of(Medium, false, false), Tier::Four);
        assert_eq!(Tier::of(Low, true, true), Tier::Four);
    }

    #[test]
    fn home_ids_are_recognised() {
        assert_eq!(Home::parse("be"), Ok(Home::Country("BE".into())));
        assert_eq!(
            Home::parse("https://ror.org/00cv9y106"),
            Ok(Home::Ror("00cv9y106".into()))
        );
        assert_eq!(
            Home::parse("https://openalex.org/I32597200"),
            Ok(Home::Openalex("I32597200".into()))
        );
        assert!(Home::parse("Ghent").is_err());
    }
}
