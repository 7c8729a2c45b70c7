//! Web of Science exports -> [`Work`]: the tagged "Plain Text" format
//! (`FN`/`VR` header, `PT … ER` records, continuation lines indented three
//! spaces) and the tab-delimited format (a header row of the same two-letter
//! tags). `C1` addresses carry `[Author; Author]` prefixes that say which
//! authors an address belongs to; addresses without a prefix go to an
//! authorship with no name, so no address is lost.

use std::collections::HashMap;

use super::work::{normalize_doi, orcid_short, Authorship, Funding, Source, Work};
use super::RecordError;

/// One record's fields: tag -> values (one per line in the tagged format).
pub type Fields = HashMap<String, Vec<String>>;

/// Builds a work from one record's fields; `line` is where the record starts.
pub fn work_from_fields(f: &Fields, line: u64) -> Result<Work, RecordError> {
    let get = |tag: &str| f.get(tag).map(|v| v.as_slice()).unwrap_or(&[]);
    let joined = |tag: &str| get(tag).join(" ");
    let id = get("UT")
        .first()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| RecordError::new(line, Some("UT"), "missing accession number"))?;
    let year = match get("PY").first().map(|s| s.trim()) {
        None | Some("") => None,
        Some(y) => Some(
            y.parse::<u16>()
                .map_err(|_| RecordError::new(line, Some("PY"), format!("not a year: '{y}'")))?,
        ),
    };
    // Authors: full names (AF) where given, else the short form (AU).
    let full: Vec<String> = split_people(get("AF"));
    let short: Vec<String> = split_people(get("AU"));
    let names = if full.len() >= short.len() && !full.is_empty() {
        full.clone()
    } else {
        short.clone()
    };
    let mut authorships: Vec<Authorship> = names
        .iter()
        .enumerate()
        .map(|(i, n)| Authorship {
            name: n.clone(),
            position: Some(position(i, names.len()).to_owned()),
            ..Authorship::default()
        })
        .collect();
    let find = |who: &str| -> Option<usize> {
        let who = who.trim();
        names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(who))
            .or_else(|| short.iter().position(|n| n.eq_ignore_ascii_case(who)))
            .or_else(|| full.iter().position(|n| n.eq_ignore_ascii_case(who)))
    };
    let mut unassigned: Vec<String> = Vec::new();
    for (people, address) in c1_addresses(get("C1")) {
        if people.is_empty() {
            unassigned.push(address);
            continue;
        }
        let mut placed = false;
        for p in &people {
            if let Some(i) = find(p) {
                push_unique(&mut authorships[i].raw_affiliations, &address);
                placed = true;
            }
        }
        if !placed {
            unassigned.push(address);
        }
    }
    // Reprint (corresponding) addresses: "Name (corresponding author), Address".
    for rp in get("RP").iter().flat_map(|l| l.split(".; ")) {
        if let Some((who, addr)) = rp.split_once("(corresponding author),") {
            let addr = addr.trim().trim_end_matches('.').to_owned() + ".";
            match find(who) {
                Some(i) if authorships[i].raw_affiliations.is_empty() => {
                    authorships[i].raw_affiliations.push(addr);
                }
                Some(_) => {}
                None if !unassigned.contains(&addr) => unassigned.push(addr),
                None => {}
            }
        }
    }
    if !unassigned.is_empty() {
        authorships.push(Authorship {
            raw_affiliations: unassigned,
            ..Authorship::default()
        });
    }
    // ORCIDs: "Surname, Given/0000-0002-…; …".
    for oi in get("OI").iter().flat_map(|l| l.split(';')) {
        if let Some((who, id)) = oi.rsplit_once('/') {
            if let Some(i) = find(who) {
                authorships[i].orcid = Some(orcid_short(id));
            }
        }
    }
    let keywords = ["DE", "ID"]
        .iter()
        .flat_map(|t| get(t).iter())
        .flat_map(|l| l.split(';'))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(Work {
        id,
        source: Source::Wos,
        doi: get("DI").first().and_then(|d| normalize_doi(d)),
        title: joined("TI"),
        year,
        work_type: get("DT")
            .first()
            .cloned()
            .or_else(|| get("PT").first().cloned()),
        abstract_text: joined("AB"),
        keywords,
        topics: Vec::new(),
        authorships,
        funding: funding_agencies(&joined("FU")),
        acknowledgement: joined("FX"),
        unscreened: None,
    })
}

/// `FU`: "Agency A [award1, award2]; Agency B; …". Semicolons inside the
/// brackets do not split; each award in a bracket gives its own entry, so an
/// award id is never separated from its agency.
pub fn funding_agencies(fu: &str) -> Vec<Funding> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let bytes = fu.as_bytes();
    let mut push = |item: &str| {
        let item = item.trim();
        if item.is_empty() {
            return;
        }
        match item.find('[') {
            Some(open) if item.ends_with(']') => {
                let name = item[..open].trim().to_owned();
                let awards: Vec<&str> = item[open + 1..item.len() - 1]
                    .split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .collect();
                if awards.is_empty() {
                    out.push(Funding {
                        funder: name.clone(),
                        ..Funding::default()
                    });
                }
                for a in awards {
                    out.push(Funding {
                        funder: name.clone(),
                        funder_ids: Vec::new(),
                        award_id: Some(a.to_owned()),
                    });
                }
            }
            _ => out.push(Funding {
                funder: item.to_owned(),
                ..Funding::default()
            }),
        }
    };
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b';' if depth == 0 => {
                push(&fu[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    push(&fu[start..]);
    out
}

fn position(i: usize, n: usize) -> &'static str {
    match i {
        0 => "first",
        _ if i + 1 == n => "last",
        _ => "middle",
    }
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_owned());
    }
}

/// Author lists: one per line (tagged) or `; `-separated (tab-delimited).
fn split_people(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| l.split(';'))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Splits `C1` into (authors, address) pairs. Handles one address per line and
/// the tab-delimited `[A; B] Addr 1; [C] Addr 2` form.
pub fn c1_addresses(lines: &[String]) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    for line in lines {
        let mut rest = line.trim();
        if !rest.starts_with('[') {
            // No author prefixes at all: addresses separated by "; ".
            for a in rest.split("; ") {
                let a = a.trim();
                if !a.is_empty() {
                    out.push((Vec::new(), a.to_owned()));
                }
            }
            continue;
        }
        while let Some(open) = rest.find('[') {
            let Some(close) = rest[open..].find(']').map(|c| open + c) else {
                break;
            };
            let people: Vec<String> = rest[open + 1..close]
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            let after = &rest[close + 1..];
            let end = after.find("; [").unwrap_or(after.len());
            let address = after[..end].trim().trim_end_matches(';').trim();
            if !address.is_empty() {
                out.push((people, address.to_owned()));
            }
            rest = &after[end..];
        }
    }
    out
}

/// Incremental reader for the tagged format: feed lines, get finished records.
#[derive(Debug, Default)]
pub struct TaggedParser {
    fields: Fields,
    current: Option<String>,
    start: u64,
    open: bool,
}

impl TaggedParser {
    /// Feeds one line (without its newline); returns a finished record at `ER`.
    pub fn line(&mut self, line_no: u64, line: &str) -> Option<Result<Work, RecordError>> {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            return None;
        }
        if let Some(cont) = line.strip_prefix("   ") {
            if let Some(tag) = &self.current {
                self.fields
                    .entry(tag.clone())
                    .or_default()
                    .push(cont.trim().to_owned());
            }
            return None;
        }
        let (tag, value) = match line.split_at_checked(2) {
            Some((t, v)) => (t, v.trim()),
            None => (line, ""),
        };
        match tag {
            "FN" | "VR" | "EF" => {
                self.current = None;
                None
            }
            "PT" => {
                let unfinished = self.open.then(|| self.unfinished(line_no));
                self.fields.clear();
                self.open = true;
                self.start = line_no;
                self.current = Some("PT".into());
                self.fields.insert("PT".into(), vec![value.to_owned()]);
                unfinished
            }
            "ER" => {
                self.current = None;
                if !self.open {
                    return Some(Err(RecordError::new(
                        line_no,
                        Some("ER"),
                        "record end without a record start (PT)",
                    )));
                }
                self.open = false;
                let fields = std::mem::take(&mut self.fields);
                Some(work_from_fields(&fields, self.start))
            }
            _ => {
                self.current = Some(tag.to_owned());
                self.fields
                    .entry(tag.to_owned())
                    .or_default()
                    .push(value.to_owned());
                None
            }
        }
    }

    /// Call at end of input: an open record is reported, not dropped.
    pub fn finish(&mut self, line_no: u64) -> Option<Result<Work, RecordError>> {
        self.open.then(|| {
            self.open = false;
            self.unfinished(line_no)
        })
    }

    fn unfinished(&self, line_no: u64) -> Result<Work, RecordError> {
        let id = self
            .fields
            .get("UT")
            .and_then(|v| v.first())
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        Err(RecordError::new(
            self.start,
            Some("ER"),
            format!(
                "record{id} starting here has no end (ER) before line {line_no}: truncated export?"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_all(text: &str) -> Vec<Result<Work, RecordError>> {
        let mut p = TaggedParser::default();
        let mut out: Vec<_> = text
            .lines()
            .enumerate()
            .filter_map(|(i, l)| p.line(i as u64 + 1, l))
            .collect();
        out.extend(p.finish(text.lines().count() as u64 + 1));
        out
    }

    const RECORD: &str = "FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Gou, XF\n   Li, XY\n   Wang, SL\nAF Gou, Xianfang\n   Li, Xiaoyan\n   Wang, Shaoliang\nTI Application of Nano Texturing\n   on Silicon\nDE nano texturing; silicon\nC1 [Gou, Xianfang; Li, Xiaoyan] Beijing Univ Technol, Beijing 100124, Peoples R China.\n   [Gou, Xianfang] CECEP Solar, Zhenjiang 212132, Peoples R China.\n   Harbin Inst Technol, Harbin, Peoples R China.\nRP Wang, SL (corresponding author), Beijing Jiaotong Univ, Beijing, Peoples R China.\nOI Li, Xiaoyan/0000-0002-4044-830x\nPY 2018\nDI 10.5755/J01.MS.24.2.17398\nUT WOS:000432989900002\nER\n\nEF\n";

    #[test]
    fn a_tagged_record_maps_addresses_to_authors() {
        let out = parse_all(RECORD);
        assert_eq!(out.len(), 1);
        let w = out[0].as_ref().unwrap();
        assert_eq!(w.id, "WOS:000432989900002");
        assert_eq!(w.title, "Application of Nano Texturing on Silicon");
        assert_eq!(w.year, Some(2018));
        assert_eq!(w.doi.as_deref(), Some("10.5755/j01.ms.24.2.17398"));
        assert_eq!(w.keywords, ["nano texturing", "silicon"]);
        assert_eq!(
            w.authorships.len(),
            4,
            "three authors and the unassigned address"
        );
        assert_eq!(w.authorships[0].name, "Gou, Xianfang");
        assert_eq!(w.authorships[0].raw_affiliations.len(), 2);
        assert_eq!(
            w.authorships[1].raw_affiliations,
            ["Beijing Univ Technol, Beijing 100124, Peoples R China."]
        );
        assert_eq!(
            w.authorships[1].orcid.as_deref(),
            Some("0000-0002-4044-830X")
        );
        // Wang has no C1 address; the reprint address (short name) fills it.
        assert_eq!(
            w.authorships[2].raw_affiliations,
            ["Beijing Jiaotong Univ, Beijing, Peoples R China."]
        );
        assert_eq!(w.authorships[3].name, "");
        assert_eq!(
            w.authorships[3].raw_affiliations,
            ["Harbin Inst Technol, Harbin, Peoples R China."]
        );
    }

    #[test]
    fn a_truncated_record_is_reported_with_its_start_line() {
        let cut = &RECORD[..RECORD.find("UT WOS").unwrap()];
        let out = parse_all(cut);
        assert_eq!(out.len(), 1);
        let e = out[0].as_ref().unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("no end"), "{e}");
    }

    #[test]
    fn tab_delimited_c1_splits_on_bracket_groups() {
        let c1 = vec!["[Gou, X; Li, X] Beijing Univ Technol, Beijing, Peoples R China; [Wang, S] Beijing Jiaotong Univ, Beijing, Peoples R China".to_owned()];
        let a = c1_addresses(&c1);
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].0, ["Gou, X", "Li, X"]);
        assert_eq!(a[0].1, "Beijing Univ Technol, Beijing, Peoples R China");
        assert_eq!(a[1].0, ["Wang, S"]);
    }

    #[test]
    fn a_bad_year_names_the_field() {
        let bad = RECORD.replace("PY 2018", "PY twenty");
        let e = parse_all(&bad).remove(0).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("PY"));
    }
}
