//! `coscreen classify`: one paper from flags or JSON Lines.

use crate::common::Env;

#[test]
fn one_paper_from_flags_gets_areas_with_evidence() {
    let env = Env::new();
    let run = env.run(
        &[
            "classify",
            "--title",
            "Finite-key quantum key distribution over 400 km of fibre",
        ],
        "",
    );
    run.assert_exit(0);
    let line = &run.stdout_jsonl()[0];
    assert_eq!(line["areas"][0]["area"], "quantum");
    assert_eq!(
        line["areas"][0]["evidence"][0],
        "title: quantum key distribution"
    );
    assert_eq!(line["areas"][0]["technologies"][0], "Quantum cryptography");
}

#[test]
fn jsonl_input_keeps_one_line_per_input_line_and_reports_bad_ones() {
    let env = Env::new();
    let file = env.write(
        "papers.jsonl",
        "{\"title\": \"Drone swarms for search and rescue\", \"abstract\": \"Path planning for UAV swarms.\"}\n\
         not json\n\
         {\"title\": \"High quantum yield carbon dots\"}\n",
    );
    let run = env.run(&["classify", "--input", file.to_str().unwrap()], "");
    run.assert_exit(0)
        .stderr_contains("1 input lines could not be classified");
    let lines = run.stdout_jsonl();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["areas"][0]["area"], "robotics");
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .contains("papers.jsonl: line 2:"));
    assert_eq!(
        lines[2]["areas"].as_array().unwrap().len(),
        0,
        "quantum yield is not quantum technology"
    );
}

/// Issue 17: `{"title": "...", "abstract": null}` classifies; `null` is
/// "none" for every optional field, a wrong type is still an error line.
#[test]
fn issue_17_null_fields_read_as_absent() {
    let env = Env::new();
    let file = env.write(
        "nulls.jsonl",
        "{\"title\": \"Quantum key distribution over fibre\", \"abstract\": null}\n\
         {\"title\": null, \"abstract\": \"A qubit is read out; the qubit decays.\", \"keywords\": null, \"topics\": null}\n\
         {\"title\": \"T\", \"topics\": [{\"id\": \"T10020\", \"display_name\": null}]}\n\
         {\"title\": \"T\", \"abstract\": 3}\n",
    );
    let run = env.run(&["classify", "--input", file.to_str().unwrap()], "");
    run.assert_exit(0)
        .stderr_contains("1 input lines could not be classified");
    let lines = run.stdout_jsonl();
    for line in &lines[..3] {
        assert!(line.get("error").is_none(), "{line}");
        assert_eq!(line["areas"][0]["area"], "quantum", "{line}");
    }
    assert!(lines[3]["error"].as_str().unwrap().contains("line 4:"));
}
