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

fn screen(input: &Path, extra: &[&str]) -> (tempfile::TempDir, serde_json::Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_coscreen"))
        .arg("screen")
        .arg("--input")
        .arg(input)
        .args(extra)
        .arg("--out")
        .arg(&out)
        .arg("--cache")
        .arg(dir.path().join("cache.sqlite"))
        .arg("-q")
        .env_remove("COSCREEN_OPENALEX_API_KEY")
        .status()
        .unwrap();
    assert!(status.code().is_some_and(|c| c <= 1), "{status:?}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report.json")).unwrap()).unwrap();
    let csv = std::fs::read_to_string(out.join("papers.csv")).unwrap();
    (dir, json, csv)
}

#[test]
fn issue_20_a_home_author_with_a_listed_second_affiliation_is_a_dual_affiliation() {
    // Home: University of Nottingham. Jinming Duan lists Nottingham and UESTC;
    // Shaobing Gao is a foreign co-author at UESTC only.
    let (_d, json, csv) = screen(
        &fx("ingest/dual-affiliation.jsonl"),
        &["--home", "01ee9ar58"],
    );
    let rows = json["home_author_dual_affiliations"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let r = &rows[0];
    assert_eq!(r["author"], "Jinming Duan");
    assert_eq!(r["orcid"], "0000-0002-5108-2128");
    assert_eq!(r["year"], 2017);
    assert_eq!(r["home_affiliations"][0], "University of Nottingham");
    assert_eq!(
        r["listed_id"],
        "university-of-electronic-science-and-technology-of-china"
    );
    assert_eq!(r["papers"][0], "W2623533525");
    assert_eq!(json["summary"]["with_home_author_dual_affiliation"], 1);
    // The paper's row names the author and both institutions; Gao is not a dual affiliation.
    let cell = csv.lines().nth(1).unwrap();
    assert!(cell.contains("Jinming Duan (0000-0002-5108-2128): University of Nottingham + University of Electronic Science and Technology of China"), "{cell}");
    assert!(
        !cell.contains("Shaobing Gao (0000-0003-3774-8832): "),
        "{cell}"
    );
}

#[test]
fn issue_20_the_unedited_work_has_no_dual_affiliation() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fx("ingest/dual-affiliation.jsonl")).unwrap();
    let mut w: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Undo the edit: Duan back to Nottingham only.
    for a in w["authorships"].as_array_mut().unwrap() {
        if a["author"]["display_name"] == "Jinming Duan" {
            a["institutions"].as_array_mut().unwrap().truncate(1);
            a["raw_affiliation_strings"]
                .as_array_mut()
                .unwrap()
                .truncate(1);
        }
    }
    let p = dir.path().join("w.jsonl");
    std::fs::write(&p, format!("{w}\n")).unwrap();
    let (_d, json, _) = screen(&p, &["--home", "01ee9ar58"]);
    assert_eq!(
        json["home_author_dual_affiliations"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // The foreign co-author at UESTC is still a listed partner.
    assert_eq!(json["summary"]["flagged"], 1);
}

#[test]
fn issue_20_a_funder_of_concern_raises_the_tier_and_fills_the_funding_column() {
    let (d, json, csv) = screen(&fx("ingest/wos-funding.txt"), &[]);
    assert_eq!(json["summary"]["funded_by_concern"], 1);
    // The HTML counts it, marks its row for the "funded by a concern only" filter.
    let html = std::fs::read_to_string(d.path().join("out/report.html")).unwrap();
    assert!(html.contains("<strong id=\"funded-count\">1</strong>"));
    assert_eq!(html.matches("data-funded=\"1\"").count(), 1);
    assert!(html.contains("id=\"funded-only\""));
    let p = json["papers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["work_id"] == "WOS:000379696200013")
        .unwrap();
    assert_eq!(p["funding"][0]["funder_id"], "thousand-talents-plan");
    assert_eq!(p["funding"][0]["risk_level"], "medium");
    assert!(p["tier"].is_string());
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(",funding,home_author_dual_affiliation"),
        "{header}"
    );
    let row = csv
        .lines()
        .find(|l| l.starts_with("WOS:000379696200013"))
        .unwrap();
    assert!(row.contains("thousand-talents-plan (talent_programme, medium) <- FX: \"\"Thousand Young Talents Program\"\""), "{row}");
}

#[test]
fn issue_20_a_defence_funder_alone_flags_a_paper_like_a_partner_of_its_level() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("w.jsonl");
    std::fs::write(
        &p,
        r#"{"id":"https://openalex.org/W1","title":"Wetting of rough surfaces","publication_year":2020,"authorships":[{"author":{"display_name":"A"},"raw_affiliation_strings":["Ghent University, Ghent, Belgium"]}],"grants":[{"funder":null,"funder_display_name":"Equipment Pre-Research Foundation","award_id":"61409220104"},{"funder":"https://openalex.org/F4320321001","funder_display_name":"National Natural Science Foundation of China","award_id":null}]}
{"id":"https://openalex.org/W2","title":"Wetting of smooth surfaces","publication_year":2020,"authorships":[{"author":{"display_name":"B"},"raw_affiliation_strings":["Ghent University, Ghent, Belgium"]}],"grants":[{"funder":"https://openalex.org/F4320321001","funder_display_name":"National Natural Science Foundation of China","award_id":null}]}
"#,
    )
    .unwrap();
    let (_d, json, _) = screen(&p, &[]);
    let papers = json["papers"].as_array().unwrap();
    assert_eq!(papers.len(), 1, "the civilian-funded paper is not flagged");
    assert_eq!(papers[0]["work_id"], "W1");
    assert_eq!(papers[0]["tier"], "3");
    assert_eq!(papers[0]["highest_risk_level"], "very_high");
    assert_eq!(papers[0]["funding_near_misses"][0]["civilian_id"], "nsfc");
    // A reviewer's decision on the funder id moves the paper aside, like a partner's.
    let dec = dir.path().join("decisions.csv");
    std::fs::write(
        &dec,
        "work_id,institution_id,decision,reviewer,date,note,expires\nW1,equipment-pre-research-foundation,false_positive,ana,2026-01-05,civil spin-off,\n",
    )
    .unwrap();
    let (_d2, json, csv) = screen(&p, &["--decisions", dec.to_str().unwrap()]);
    assert_eq!(json["papers"].as_array().unwrap().len(), 0);
    assert_eq!(json["decided"][0]["work_id"], "W1");
    assert_eq!(
        json["decided"][0]["funding"][0]["decision"]["reviewer"],
        "ana"
    );
    assert_eq!(json["summary"]["funded_by_concern"], 1);
    assert!(
        csv.contains("(decision: false_positive by ana on 2026-01-05)"),
        "{csv}"
    );
    assert_eq!(json["decisions_unmatched"].as_array().unwrap().len(), 0);
}

fn lookup_json(text: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_coscreen"))
        .args(["lookup", "--json", text, "--cache"])
        .arg(dir.path().join("c.sqlite"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn issue_20_lookup_answers_funder_names_and_calls_civilian_ones_civilian() {
    let j = lookup_json("National Defence Basic Scientific Research Programme");
    assert_eq!(
        j["funders"][0]["id"],
        "national-defense-basic-scientific-research-program"
    );
    assert_eq!(j["funders"][0]["category"], "defence_funder");
    let j = lookup_json("National Natural Science Foundation of China");
    assert!(j.get("funders").is_none(), "{j}");
    assert_eq!(j["civilian_funders"][0]["civilian_id"], "nsfc");
    let j = lookup_json("青年千人计划");
    assert_eq!(j["funders"][0]["id"], "thousand-talents-plan");
}

/// Wilson 95% interval of k successes in n.
fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n, z) = (k as f64, n as f64, 1.96f64);
    let p = k / n;
    let d = 1.0 + z * z / n;
    let c = (p + z * z / (2.0 * n)) / d;
    let h = z * ((p * (1.0 - p) / n) + z * z / (4.0 * n * n)).sqrt() / d;
    (c - h, c + h)
}

/// Scores the matcher on one split of `tests/fixtures/funding/eval.jsonl`:
/// (true positives, false positives, false negatives, items without a listed
/// funder that were flagged, such items), over (item, funder entry) pairs.
#[allow(clippy::print_stderr)] // the measurement is the test's report
fn evaluate(split: &str) -> (usize, usize, usize, usize, usize) {
    let m = FundingMatcher::bundled().unwrap();
    let text = std::fs::read_to_string(fx("funding/eval.jsonl")).unwrap();
    let (mut tp, mut fp, mut fn_, mut neg_flagged, mut negs) = (0, 0, 0, 0, 0);
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["split"] != split {
            continue;
        }
        let t = v["text"].as_str().unwrap();
        let want: Vec<&str> = v["expect"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let (hits, _) = m.lookup(t);
        let mut got: Vec<String> = hits.iter().map(|h| m.entry(h).id.clone()).collect();
        got.sort();
        got.dedup();
        for g in &got {
            if want.contains(&g.as_str()) {
                tp += 1;
            } else {
                fp += 1;
                eprintln!("FP {g}: {t}");
            }
        }
        for w in &want {
            if !got.iter().any(|g| g == w) {
                fn_ += 1;
                eprintln!("FN {w}: {t}");
            }
        }
        if want.is_empty() {
            negs += 1;
            neg_flagged += usize::from(!got.is_empty());
        }
    }
    let (plo, phi) = wilson(tp, tp + fp);
    let (rlo, rhi) = wilson(tp, tp + fn_);
    eprintln!(
        "{split}: precision {tp}/{} = {:.3} [{plo:.3}, {phi:.3}]; recall {tp}/{} = {:.3} [{rlo:.3}, {rhi:.3}]; items without a listed funder flagged: {neg_flagged}/{negs}",
        tp + fp,
        tp as f64 / (tp + fp).max(1) as f64,
        tp + fn_,
        tp as f64 / (tp + fn_).max(1) as f64,
    );
    (tp, fp, fn_, neg_flagged, negs)
}

/// Precision ≥ 0.95, recall ≥ 0.90 and no civilian or unrelated item flagged
/// on one split of the labelled set.
fn assert_meets_the_bar(split: &str) {
    let (tp, fp, fn_, neg_flagged, negs) = evaluate(split);
    assert!(
        negs > 0 && neg_flagged == 0,
        "{neg_flagged} civilian or unrelated items flagged"
    );
    assert!(tp as f64 / (tp + fp) as f64 >= 0.95);
    assert!(tp as f64 / (tp + fn_) as f64 >= 0.90);
}

#[test]
fn issue_20_funding_matcher_meets_the_bar_on_the_dev_split() {
    assert_meets_the_bar("dev");
}

/// Measured once, after the rules were set on the dev split (see docs/FUNDING.md).
#[test]
fn issue_20_funding_matcher_meets_the_bar_on_the_held_out_split() {
    assert_meets_the_bar("heldout");
}

/// A second held-out draw, written after the first was measured and its misses
/// (the CMC Basic Strengthening Program, SAST) were added; measured once.
#[test]
fn issue_20_funding_matcher_meets_the_bar_on_the_second_held_out_split() {
    assert_meets_the_bar("heldout2");
}
