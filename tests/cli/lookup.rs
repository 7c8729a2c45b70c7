//! `coscreen lookup`: the advisor's one-off question.

use crate::common::Env;

#[test]
fn lookup_shows_near_miss_for_nanjing_university() {
    let env = Env::new();
    let run = env.run(&["lookup", "Nanjing University"], "");
    run.assert_exit(0)
        .stdout_contains("Nanjing University (南京大学)  [nanjing-university]")
        .stdout_contains("risk level:  medium")
        .stdout_contains("China Defence Universities Tracker [medium]")
        .stdout_contains("Near misses")
        .stdout_contains("≠ Nanjing University of Science and Technology [nanjing-university-of-science-and-technology] — very_high");
}

#[test]
fn lookup_keeps_designations_and_assessments_apart_with_dates_and_urls() {
    let env = Env::new();
    let out = env
        .run(&["lookup", "Harbin Inst Technol"], "")
        .assert_exit(0)
        .stdout();
    let designations = out
        .find("designations (legal lists):")
        .expect("designations block");
    let assessments = out
        .find("assessments (analysts' ratings):")
        .expect("assessments block");
    let entity = out
        .find("Entity List (15 CFR 744 Supplement No. 4) [85 FR 34495] — 2020-06-05")
        .expect("Entity List line");
    let seven = out
        .find("Seven Sons of National Defence")
        .expect("Seven Sons line");
    assert!(
        designations < entity && entity < assessments && assessments < seven,
        "{out}"
    );
    assert!(out.contains("https://www.bis.gov/entity-list"));
    assert!(out.contains("sources:"));
}

#[test]
fn lookup_explains_a_rejection_by_country() {
    let env = Env::new();
    env.run(
        &[
            "lookup",
            "National Defense University, Washington, DC 20319, USA",
        ],
        "",
    )
    .assert_exit(0)
    .stdout_contains("No entry of the risk list matches.")
    .stdout_contains("Considered and rejected:")
    .stdout_contains("names another country (US)");
}

#[test]
fn lookup_json_by_ror_and_openalex_id() {
    let env = Env::new();
    let by_ror = env.run(&["lookup", "--ror", "01yqg2h08", "--json"], "");
    by_ror.assert_exit(0);
    let j = by_ror.stdout_json();
    assert_eq!(j["query"], "https://ror.org/01yqg2h08");
    assert_eq!(j["matches"][0]["id"], "harbin-institute-of-technology");
    assert_eq!(j["matches"][0]["method"], "ror");
    assert!(j["matches"][0]["designations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["list"] == "us_entity_list"));
    assert!(j["matches"][0]["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["list"] == "seven_sons"));
    let by_oa = env
        .run(&["lookup", "--openalex", "I204983213", "--json"], "")
        .stdout_json();
    assert_eq!(by_oa["matches"][0]["method"], "openalex");
}

#[test]
fn lookup_by_a_non_listed_ror_id_says_so() {
    let env = Env::new();
    // Nanjing University of Information Science and Technology: known, not listed.
    let j = env
        .run(
            &["lookup", "--ror", "https://ror.org/02y0rxk19", "--json"],
            "",
        )
        .assert_exit(0)
        .stdout_json();
    assert_eq!(j["matches"].as_array().unwrap().len(), 0);
    assert_eq!(
        j["known_not_listed"][0]["name"],
        "Nanjing University of Information Science and Technology"
    );
}

#[test]
fn lookup_needs_something_to_look_up() {
    let env = Env::new();
    env.run(&["lookup"], "").assert_exit(2);
}

#[test]
fn without_a_match_similar_names_are_offered_not_contrasted() {
    let env = Env::new();
    env.run(&["lookup", "Northwestern Polytechnical"], "")
        .assert_exit(0)
        .stdout_contains("No entry of the risk list matches.")
        .stdout_contains("is one of these meant?")
        .stdout_contains("Northwestern Polytechnical ~ Northwestern Polytechnical University");
}

#[test]
fn a_bare_short_acronym_abstains_and_says_why() {
    let env = Env::new();
    env.run(&["lookup", "HIT"], "")
        .assert_exit(0)
        .stdout_contains(
            "the acronym is ambiguous without evidence of CN in the affiliation: abstaining",
        );
    env.run(&["lookup", "HIT, Harbin, China"], "")
        .assert_exit(0)
        .stdout_contains("[harbin-institute-of-technology]");
}

mod person {
    use crate::common::server::{Reply, Server};
    use crate::common::Env;

    fn author() -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/api/openalex-author-A5100607102.json"),
        )
        .unwrap()
    }

    fn server() -> Server {
        let body = author();
        Server::start(move |r, _| match r.path.as_str() {
            "/authors/orcid:0000-0003-4056-9069" | "/authors/A5100607102" => {
                Reply::json(body.clone())
            }
            _ => Reply::status(404, r#"{"error":"Not Found"}"#),
        })
    }

    #[test]
    fn an_orcid_shows_the_years_at_a_listed_institution() {
        let s = server();
        let env = Env::new();
        let run = env.run(
            &[
                "lookup",
                "--orcid",
                "https://orcid.org/0000-0003-4056-9069",
                "--openalex-url",
                &s.url,
            ],
            "",
        );
        run.assert_exit(0)
            .stdout_contains("Tao Hong")
            .stdout_contains("2018, 2020–2021")
            .stdout_contains("Harbin Institute of Technology")
            .stdout_contains("LISTED")
            .stdout_contains("At a listed institution in: 2018, 2020–2021")
            .stdout_contains("[last known]");
        assert_eq!(s.requests().len(), 1);
        // Cached: the same question again, even offline, sends nothing.
        let again = env.run(
            &[
                "lookup",
                "--orcid",
                "0000-0003-4056-9069",
                "--offline",
                "--json",
            ],
            "",
        );
        again.assert_exit(0);
        let j = again.stdout_json();
        assert_eq!(j["listed_years"], serde_json::json!([2018, 2020, 2021]));
        assert_eq!(
            j["affiliations"][0]["matches"].as_array().unwrap().len(),
            0,
            "Oxford"
        );
        assert_eq!(j["affiliations"][1]["matches"][0]["method"], "ror");
        assert_eq!(s.requests().len(), 1);
    }

    #[test]
    fn unknown_people_and_bad_ids() {
        let s = server();
        let env = Env::new();
        env.run(&["lookup", "--author", "A1", "--openalex-url", &s.url], "")
            .assert_exit(0)
            .stdout_contains("OpenAlex has no such author");
        env.run(&["lookup", "--orcid", "0000-0003-4056-9068"], "")
            .assert_exit(2)
            .stderr_contains("check digit");
        env.run(&["lookup", "--author", "W123"], "").assert_exit(2);
        env.run(
            &["lookup", "--orcid", "0000-0002-1825-0097", "--offline"],
            "",
        )
        .assert_exit(2)
        .stderr_contains("not in the cache");
    }
}

#[test]
fn issue_15_lookup_flags_huawei_with_the_company_level_policy() {
    let env = Env::new();
    env.run(&["lookup", "Huawei Technologies Co., Ltd., Shenzhen"], "")
        .assert_exit(0)
        .stdout_contains("[huawei-technologies]")
        .stdout_contains("NDAA FY2021 Section 1260H) [2026-06-08] — 2026-06-08")
        .stdout_contains("Level policy: a company on this list is rated high");
}

#[test]
fn issue_15_lookup_says_removed_for_a_company_dropped_from_1260h() {
    let env = Env::new();
    env.run(&["lookup", "Beijing Megvii Technology Co., Ltd."], "")
        .assert_exit(0)
        .stdout_contains("[megvii-technology]")
        .stdout_contains("removed: not in the newest edition (2026-06-08)");
}
