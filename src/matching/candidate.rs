//! A match before the guards ([`Candidate`]): how it matched, its one-line
//! evidence, and the small readings of the text around a name (hospital
//! words, an affiliate's path, the segment as written) the scan uses.

use super::matcher::{Diagnostics, Hit, Method, Rejection};
use super::normalize::{has_role, Normalized, Role};
use crate::risklist::{Affiliate, Relation, RiskEntry};

/// A match before the guards: nothing allocated, most are turned away.
pub(super) struct Candidate<'i> {
    pub(super) entry: usize,
    pub(super) method: Method,
    pub(super) score: f64,
    /// The name, acronym or compound that matched (display form).
    pub(super) matched: &'i str,
    pub(super) seg: usize,
    pub(super) needs_country: bool,
    pub(super) detail: Detail<'i>,
    pub(super) relation: Relation,
    /// Set when a hospital word around the name made it an affiliate.
    pub(super) hospital: bool,
    /// Set when a key laboratory in another segment of the affiliation made
    /// it a part ("Harbin Inst Technol, State Key Lab Robot & Syst").
    pub(super) lab: bool,
    /// An affiliate name that does not name its entry: it needs the entry
    /// or the affiliate's city in the same affiliation.
    pub(super) corroborate: bool,
}

/// How a candidate matched, written out only for a hit.
pub(super) enum Detail<'i> {
    /// A name or alias (also a compound's parts: `compound` true).
    Name {
        compound: bool,
        /// Read across a comma ("Harbin, Institute of Technology").
        joined: bool,
        /// A postcode before the city of its comma form was passed over
        /// ("China University of Geosciences, 430074 Wuhan").
        postcode: bool,
        /// Read without its parent, which stands elsewhere in the
        /// affiliation ("Russian Acad Sci, Keldysh Inst Appl Math").
        parent: bool,
        /// Read without its parent, with the entry's own city in the
        /// affiliation instead ("Institute of Solid State Physics,
        /// Chernogolovka").
        by_city: bool,
        /// It goes on only by "of" and its own city ("Imam Khomeini
        /// Maritime University of Nowshahr").
        of_city: bool,
    },
    Acronym {
        /// Other listed entries carry the same acronym (HUST): the city
        /// next to it picked this one.
        shared: bool,
        /// Marked strong in the list (it names the entry wherever it stands).
        strong: bool,
    },
    /// A known unit named after the entry: its name, ROR id, the entry's name.
    Unit { ror: &'i str, entry_name: &'i str },
    /// One typo in a generic word, with the similarity.
    Fuzzy { score: f64 },
    /// A listed name's words in another order.
    Reordered,
    /// An organisation of `data/risk-affiliates.csv`, named in full or by
    /// its stem next to its entry's name (`via_stem`).
    Affiliate {
        affiliate: &'i Affiliate,
        index: u32,
        entry_name: &'i str,
        via_stem: bool,
    },
}

impl Candidate<'_> {
    /// `segment N 'text' -> how`, the hit's one-line evidence.
    pub(super) fn evidence(&self, seg_text: &str) -> String {
        use std::fmt::Write;
        let mut e = String::with_capacity(48 + seg_text.len() + 2 * self.matched.len());
        let _ = write!(e, "segment {} '", self.seg + 1);
        e.push_str(seg_text);
        e.push_str("' -> ");
        match self.detail {
            Detail::Name {
                compound,
                joined,
                postcode,
                parent,
                by_city,
                of_city,
            } => {
                e.push_str(if compound {
                    "compound name '"
                } else {
                    "alias '"
                });
                e.push_str(self.matched);
                e.push('\'');
                if joined {
                    e.push_str("; rule: comma inside a name, read as one");
                }
                if postcode {
                    e.push_str("; rule: a postcode before the city passed over");
                }
                if parent {
                    e.push_str("; rule: the name without its parent, which the affiliation names in another segment");
                }
                if of_city {
                    e.push_str("; rule: the name goes on only by its own city (\"... of <city>\")");
                }
                if by_city {
                    e.push_str("; rule: the name without its parent, with the listed institution's own city in the affiliation");
                }
            }
            Detail::Acronym { shared, .. } => {
                e.push_str("acronym '");
                e.push_str(self.matched);
                e.push('\'');
                if shared {
                    e.push_str("; rule: an acronym several listed institutions share, read by the city next to it");
                }
            }
            Detail::Unit { ror, entry_name } => {
                let _ = write!(
                    e,
                    "'{}' ({ror}), a unit named after listed '{entry_name}'",
                    self.matched
                );
            }
            Detail::Reordered => {
                let _ = write!(
                    e,
                    "the words of '{}' in another order; rule: a listed name's words in another order",
                    self.matched
                );
            }
            Detail::Fuzzy { score } => {
                let _ = write!(
                    e,
                    "fuzzy, one typo, similar to '{}' ({score:.2})",
                    self.matched
                );
            }
            Detail::Affiliate {
                affiliate,
                entry_name,
                via_stem,
                ..
            } => {
                if via_stem {
                    e.push_str("named with its entry: ");
                }
                e.push_str(&affiliate_path(affiliate, entry_name));
            }
        }
        if self.lab {
            e.push_str("; a key laboratory named with it in the affiliation: part of it (relation read from the affiliation)");
        }
        if self.hospital {
            let _ = write!(
                e,
                "; a hospital named with it: {} (relation read from the affiliation)",
                if self.relation == Relation::Part {
                    "part of a PLA medical university"
                } else {
                    "affiliated, not the entry itself"
                }
            );
        }
        e
    }
}

pub(super) fn reject(
    diag: &mut Option<&mut Diagnostics>,
    e: &crate::risklist::RiskEntry,
    matched: &str,
    reason: impl FnOnce() -> String,
) {
    // Only `lookup` asks why; `match` must not pay for the sentence.
    if let Some(d) = diag.as_deref_mut() {
        let r = Rejection {
            id: e.id.clone(),
            name: e.name.clone(),
            matched: matched.to_owned(),
            reason: reason(),
        };
        if !d.rejected.contains(&r) {
            d.rejected.push(r);
        }
    }
}

pub(super) fn push_unique(hits: &mut Vec<Hit>, h: Hit) {
    // One hit per entry: the entry itself before a part before an affiliate
    // (the stronger flag), then the stronger method.
    match hits.iter_mut().find(|x| x.entry == h.entry) {
        Some(x) if (h.relation, h.method, -h.score) < (x.relation, x.method, -x.score) => *x = h,
        Some(_) => {}
        None => hits.push(h),
    }
}

/// `'Xiangya Hospital Central South University' → affiliated hospital of
/// Central South University (ROR relationship, https://ror.org/05c1yfj14)`.
pub(super) fn affiliate_path(a: &Affiliate, entry_name: &str) -> String {
    let how = match (a.relation, a.kind.as_str()) {
        (Relation::Affiliate, "hospital") => "affiliated hospital of".to_owned(),
        (Relation::Affiliate, kind) => format!("{kind} affiliated with"),
        (_, kind) => format!("{kind}, part of"),
    };
    format!(
        "'{}' \u{2192} {how} {entry_name} (ROR relationship, {})",
        a.name, a.ror
    )
}

/// How a hospital stands to the entry it is named after: part of a PLA
/// institution (a military medical university's hospitals are PLA units),
/// else affiliated with it.
pub(super) fn hospital_relation(e: &RiskEntry) -> Relation {
    if e.categories.iter().any(|c| c.trim() == "PLA institution") {
        Relation::Part
    } else {
        Relation::Affiliate
    }
}

/// Whether the normalised `city` stands in segment `seg` or one of the few
/// after it in the same affiliation ("..., Chongqing 400038, China").
pub(super) fn city_near(norm: &Normalized, seg: usize, city: &str) -> bool {
    if city.is_empty() {
        return false;
    }
    let chunk = norm.segments[seg].chunk;
    norm.segments[seg..]
        .iter()
        .take(5)
        .take_while(|s| s.chunk == chunk)
        .any(|s| holds_words(&norm.text[s.start as usize..s.end as usize], city))
}

/// Whether `words` stands in a segment's normalised `text` as whole words
/// (between spaces or the text's ends).
fn holds_words(text: &str, words: &str) -> bool {
    text.match_indices(words).any(|(at, _)| {
        let end = at + words.len();
        (at == 0 || text.as_bytes()[at - 1] == b' ')
            && (end == text.len() || text.as_bytes()[end] == b' ')
    })
}

/// Whether one of a parent's normalised `forms` ("ras", "russian acad
/// sci") stands as whole words in another segment of `seg`'s affiliation.
pub(super) fn parent_near(norm: &Normalized, seg: usize, forms: &[String]) -> bool {
    let chunk = norm.segments[seg].chunk;
    norm.segments[chunk as usize..]
        .iter()
        .enumerate()
        .take_while(|(_, s)| s.chunk == chunk)
        .filter(|(i, _)| chunk as usize + i != seg)
        .any(|(_, s)| {
            let text = &norm.text[s.start as usize..s.end as usize];
            forms.iter().any(|f| holds_words(text, f))
        })
}

/// Whether tokens `first..=last` hold the word "hospital".
pub(super) fn has_hospital_word(norm: &Normalized, first: usize, last: usize) -> bool {
    norm.tokens[first..=last]
        .iter()
        .any(|t| norm.token_text(t) == "hosp")
}

/// Whether a hospital names the listed name at `first..=last`: "hospital"
/// within a few words of it in its segment ("Third Affiliated Hospital of Sun
/// Yat-sen University", "Peking University Third Hospital"), or in one of
/// the two segments on either side of the name's in the same affiliation
/// ("The First Affiliated Hospital, X University", "Fudan Univ, Zhongshan
/// Hosp, Dept Cardiol", "Union Hospital, Tongji Medical College, Huazhong
/// University of Science and Technology").
pub(super) fn near_hospital_word(norm: &Normalized, first: usize, last: usize) -> bool {
    const NEAR: usize = 6;
    let seg = norm.tokens[first].seg;
    let hosp = |t: &super::normalize::Token| norm.token_text(t) == "hosp";
    let before = norm.tokens[first.saturating_sub(NEAR)..first]
        .iter()
        .rev()
        .take_while(|t| t.seg == seg)
        .any(hosp);
    let after = norm.tokens[last + 1..]
        .iter()
        .take(NEAR)
        .take_while(|t| t.seg == seg)
        .any(hosp);
    before || after || neighbour_holds(norm, seg as usize, |t| t == "hosp", |_| true)
}

/// Whether one of the two segments on either side of `seg`, in the same
/// affiliation, holds a word `is` picks and a word `with` picks.
pub(super) fn neighbour_holds(
    norm: &Normalized,
    seg: usize,
    is: impl Fn(&str) -> bool,
    with: impl Fn(&str) -> bool,
) -> bool {
    const SPAN: usize = 2;
    let chunk = norm.segments[seg].chunk;
    let lo = seg.saturating_sub(SPAN);
    let hi = (seg + SPAN).min(norm.segments.len().saturating_sub(1));
    (lo..=hi)
        .filter(|&i| i != seg && norm.segments[i].chunk == chunk)
        .any(|i| {
            let toks = norm.segment_tokens(i);
            toks.iter().any(|t| is(norm.token_text(t)))
                && toks.iter().any(|t| with(norm.token_text(t)))
        })
}

/// Whether a key laboratory stands in a segment next to `seg`, in the same
/// affiliation ("State Key Lab ...", "National Laboratory for ...").
pub(super) fn near_key_lab(norm: &Normalized, seg: usize) -> bool {
    use super::wordlists::{has_role, Role};
    neighbour_holds(norm, seg, |t| t == "lab", |t| has_role(t, Role::KeyLab))
}

pub(super) fn segment_original<'s>(input: &'s str, norm: &Normalized, seg: usize) -> &'s str {
    let s = &norm.segments[seg];
    input
        .get(s.orig_start as usize..s.orig_end as usize)
        .unwrap_or("")
        .trim()
}

/// "... of the Russian Academy of Sciences", "... of CAS", "... of China":
/// what follows "of" names a parent or a country, so the name before it is
/// complete ("Kotelnikov Institute of Radio Engineering and Electronics of
/// the Russian Academy of Sciences"). "of Chinese Medicine" is not a parent.
pub(super) fn names_a_parent(norm: &Normalized, at: usize) -> bool {
    let tok = |i: usize| {
        norm.tokens
            .get(i)
            .filter(|t| t.seg == norm.tokens[at].seg)
            .map(|t| norm.token_text(t))
    };
    match tok(at) {
        Some(t) if has_role(t, Role::Parent) => true,
        // "... of the Chinese Academy of Sciences", "... of the Chinese
        // People's Liberation Army".
        Some("china") => {
            matches!(tok(at + 1), Some("acad"))
                || (tok(at + 1) == Some("people") && tok(at + 2) == Some("liberation"))
        }
        Some("people") => matches!(tok(at + 1), Some("liberation" | "republic")),
        _ => false,
    }
}
