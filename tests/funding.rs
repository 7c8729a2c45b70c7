//! Funding signals on recorded data: each reader's funding fields (issue 20)
//! and the matcher over them.

use std::path::{Path, PathBuf};

use coscreen::funding::FundingMatcher;
use coscreen::ingest::input::{read_inputs, Item};
use coscreen::ingest::Work;

fn fx(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn works(path: &Path) -> Vec<Work> {
    let mut out = Vec::new();
    read_inputs(&[path.to_path_buf()], None, &mut |item| {
        match item {
            Item::Work(w) => out.push(*w),
            Item::Error(e) => panic!("{e}"),
            Item::Doi { .. } => {}
        }
        Ok(())
    })
    .unwrap();
    out
}

#[test]
fn issue_20_wos_fu_keeps_each_agency_with_its_awards_and_fx_as_text() {
    let ws = works(&fx("ingest/wos-funding.txt"));
    assert_eq!(ws.len(), 5);
    let drdo = ws.iter().find(|w| w.id == "WOS:000593744700003").unwrap();
    assert_eq!(drdo.funding.len(), 1);
    assert!(drdo.funding[0]
        .funder
        .starts_with("Defence Materials and Stores R&D Establishment (DRDO)"));
    assert_eq!(
        drdo.funding[0].award_id.as_deref(),
        Some("TR/0569/CARS/111 (DRM 557)")
    );
    assert!(drdo
        .acknowledgement
        .starts_with("The work was funded by the Defence Materials"));
    let zj = ws.iter().find(|w| w.id == "WOS:000379696200013").unwrap();
    let awards: Vec<&str> = zj
        .funding
        .iter()
        .filter(|f| f.funder.starts_with("Zhejiang Provincial"))
        .filter_map(|f| f.award_id.as_deref())
        .collect();
    assert_eq!(awards, ["LY14F040005", "LR16F040002"]);
    assert!(zj.acknowledgement.contains("Thousand Young Talents"));
}

#[test]
fn issue_20_openalex_grants_and_crossref_funders_are_read() {
    let ws = works(&fx(
        "api/openalex-works-filter-openalex-or-cursor-page1.json",
    ));
    let jsps = ws
        .iter()
        .flat_map(|w| &w.funding)
        .find(|f| f.funder == "Japan Society for the Promotion of Science")
        .expect("a grant of the recorded page");
    assert_eq!(jsps.funder_ids, ["F4320334764"]);
    assert_eq!(jsps.award_id.as_deref(), Some("18K13235, 20K20132"));
    let cr = works(&fx("api/crossref-work-10.1136_jclinpath-2020-206745.json"));
    let f = &cr[0].funding[0];
    assert_eq!(f.funder, "National Key Research and Development Program");
    assert_eq!(f.funder_ids, ["10.13039/501100012166"]);
    assert_eq!(
        f.award_id.as_deref(),
        Some("2017YFC0906500 and 2016YFC1000301")
    );
    // A work without grants has no funding (null and [] are absent, not an error).
    let old = works(&fx("api/openalex-work-W2741809807.json"));
    assert!(old[0].funding.is_empty());
}

#[test]
fn issue_20_openalex_awards_and_funders_of_the_current_api_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.jsonl");
    std::fs::write(
        &p,
        r#"{"id":"https://openalex.org/W1","funders":[{"id":"https://openalex.org/F4320328844","display_name":"China Electronics Technology Group Corporation"},{"id":"https://openalex.org/F4320321001","display_name":"National Natural Science Foundation of China"}],"awards":[{"id":"https://openalex.org/G1","funder_award_id":"62071234","funder_id":"https://openalex.org/F4320321001","funder_display_name":"National Natural Science Foundation of China"}]}
"#,
    )
    .unwrap();
    let w = &works(&p)[0];
    assert_eq!(w.funding.len(), 2, "{:?}", w.funding);
    assert_eq!(w.funding[0].award_id.as_deref(), Some("62071234"));
    assert_eq!(w.funding[1].funder_ids, ["F4320328844"]);
}

#[test]
fn issue_20_scopus_funding_details_and_texts_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("scopus.csv");
    std::fs::write(
        &p,
        "Authors,Title,Year,EID,Funding Details,Funding Text 1,Funding Text 2\n\
         \"Li, X.\",T,2021,2-s2.0-1,\"National Natural Science Foundation of China, NSFC, (61875123); Equipment Pre-Research Foundation, (61409220104)\",This work was supported by the Equipment Pre-Research Foundation.,And the NSFC.\n",
    )
    .unwrap();
    let w = &works(&p)[0];
    assert_eq!(w.funding.len(), 2);
    assert_eq!(
        w.funding[0].funder,
        "National Natural Science Foundation of China, NSFC"
    );
    assert_eq!(w.funding[1].award_id.as_deref(), Some("61409220104"));
    assert_eq!(
        w.acknowledgement,
        "This work was supported by the Equipment Pre-Research Foundation. And the NSFC."
    );
}

#[test]
fn issue_20_the_wos_fixture_flags_the_talent_programme_and_not_foreign_defence_funders() {
    let m = FundingMatcher::bundled().unwrap();
    let ws = works(&fx("ingest/wos-funding.txt"));
    let mut flagged = Vec::new();
    for w in &ws {
        let (hits, _) = m.match_work(w);
        for h in hits {
            flagged.push((w.id.clone(), m.entry(&h).id.clone(), h.field));
        }
    }
    flagged.dedup();
    assert_eq!(
        flagged,
        [
            (
                "WOS:000379696200013".to_owned(),
                "thousand-talents-plan".to_owned(),
                "FU"
            ),
            (
                "WOS:000379696200013".to_owned(),
                "thousand-talents-plan".to_owned(),
                "FX"
            )
        ]
    );
    // The civilian programmes of the same record are near misses.
    let zj = ws.iter().find(|w| w.id == "WOS:000379696200013").unwrap();
    let (_, near) = m.match_work(zj);
    assert!(near.iter().any(|n| n.civilian_id == "nsfc"));
}
