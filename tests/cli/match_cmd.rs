//! `coscreen match`: the machine interface.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::common::Env;

#[test]
fn one_json_object_per_line_in_input_order_with_the_contract_fields() {
    let env = Env::new();
    let input = "Harbin Inst Technol, Sch Astronaut, Harbin 150001, Peoples R China\n\
                 Department of Chemistry, University of Cambridge, UK\n\
                 Nanjing University, Nanjing, China\n";
    let run = env.run(&["match"], input);
    run.assert_exit(0);
    let lines = run.stdout_jsonl();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0]["input"],
        "Harbin Inst Technol, Sch Astronaut, Harbin 150001, Peoples R China"
    );
    let m = &lines[0]["matches"][0];
    let mut keys: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "evidence",
            "id",
            "lists",
            "matched",
            "method",
            "name",
            "openalex",
            "relation",
            "risk_level",
            "ror",
            "score"
        ]
    );
    assert_eq!(m["id"], "harbin-institute-of-technology");
    assert_eq!(m["relation"], "self");
    assert_eq!(m["ror"], "https://ror.org/01yqg2h08");
    assert_eq!(m["risk_level"], "very_high");
    assert_eq!(m["method"], "alias");
    assert!(m["lists"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l == "seven_sons"));
    assert!(m["evidence"]
        .as_str()
        .unwrap()
        .starts_with("segment 1 'Harbin Inst Technol'"));
    assert_eq!(lines[1]["matches"].as_array().unwrap().len(), 0);
    assert!(lines[1].get("error").is_none());
    assert_eq!(lines[2]["matches"][0]["id"], "nanjing-university");
}

#[test]
fn bad_lines_become_error_objects_and_nothing_is_dropped() {
    let env = Env::new();
    let mut input = Vec::new();
    input.extend_from_slice(b"Tsinghua University, Beijing\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"Beihang \xff\xfe University\n");
    input.extend_from_slice(b"NUL \0 inside\n");
    input.extend(std::iter::repeat_n(b'x', (1 << 20) + 5));
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"Peking University, Beijing, China");
    let run = env.run(&["match"], &input);
    run.assert_exit(0)
        .stderr_contains("4 of 6 input lines could not be matched");
    let lines = run.stdout_jsonl();
    assert_eq!(lines.len(), 6, "every input line yields an output line");
    assert_eq!(lines[0]["matches"][0]["id"], "tsinghua-university");
    assert_eq!(lines[1]["error"], "empty line");
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("not valid UTF-8"));
    assert!(lines[2]["input"].as_str().unwrap().contains('\u{fffd}'));
    assert!(lines[3]["error"].as_str().unwrap().contains("NUL"));
    assert!(lines[4]["error"].as_str().unwrap().contains("longer than"));
    assert!(
        lines[4]["input"].as_str().unwrap().len() < 1000,
        "the long line is not echoed whole"
    );
    assert_eq!(lines[5]["matches"][0]["id"], "peking-university");
}

/// A long line is cut at the byte limit, here inside "é" (0xC3 0xA9); the
/// next line starts with the orphan 0xA9. Together the two read as valid
/// UTF-8, so the batch-wide UTF-8 check must not hand out either line as a
/// slice: both are errors, and the good lines around them still match.
#[test]
fn a_long_line_cut_inside_a_character_does_not_pass_its_bytes_on() {
    let env = Env::new();
    let mut input = Vec::new();
    input.extend_from_slice(b"Tsinghua University, Beijing\n");
    input.extend(std::iter::repeat_n(b'x', 1 << 20));
    input.extend_from_slice("é tail\n".as_bytes());
    input.extend_from_slice(b"\xa9 Beihang University\n");
    input.extend_from_slice(b"Peking University, Beijing, China\n");
    let run = env.run(&["match"], &input);
    run.assert_exit(0);
    let lines = run.stdout_jsonl();
    assert_eq!(lines.len(), 4, "every input line yields an output line");
    assert_eq!(lines[0]["matches"][0]["id"], "tsinghua-university");
    assert!(lines[1]["error"].as_str().unwrap().contains("longer than"));
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("not valid UTF-8"));
    assert_eq!(lines[3]["matches"][0]["id"], "peking-university");
}

#[test]
fn quiet_hides_the_warning() {
    let env = Env::new();
    let run = env.run(&["match", "-q"], "\n");
    run.assert_exit(0);
    assert_eq!(run.stderr(), "");
    assert_eq!(run.stdout_jsonl().len(), 1);
}

#[test]
fn input_file_and_thread_count_do_not_change_the_output() {
    let env = Env::new();
    let text: String = (0..5000)
        .map(|i| match i % 4 {
            0 => format!("Dept {i}, Harbin Engineering University, Harbin, China\n"),
            1 => format!("Lab {i}, Northwestern University, Evanston, IL, USA\n"),
            2 => format!("Group {i}, Beijing University of Technology, Beijing, China\n"),
            _ => format!("Unit {i}, National University of Defense Technology, Changsha, China\n"),
        })
        .collect();
    let file = env.write("in.txt", &text);
    let one = env.run(
        &["match", "--threads", "1", "--input", file.to_str().unwrap()],
        "",
    );
    let many = env.run(&["match", "--threads", "4"], &text);
    one.assert_exit(0);
    many.assert_exit(0);
    assert_eq!(one.stdout(), many.stdout());
    assert_eq!(one.stdout().lines().count(), 5000);
}

#[test]
fn a_missing_input_file_is_a_usage_error_naming_it() {
    let env = Env::new();
    env.run(&["match", "--input", "no-such-file.txt"], "")
        .assert_exit(2)
        .stderr_contains("coscreen: error: cannot read no-such-file.txt");
}

#[test]
fn a_closed_pipe_downstream_is_success() {
    let env = Env::new();
    let text = "Harbin Institute of Technology, Harbin, China\n".repeat(200_000);
    let file = env.write("big.txt", &text);
    let mut child = env
        .cmd(&["match", "--input", file.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here, like `| head -1`.
    let out = child.wait_with_output().unwrap();
    assert!(first.contains("harbin-institute-of-technology"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn verbose_logs_why_a_string_matched_on_stderr_only() {
    let env = Env::new();
    let run = env.run(&["match", "-v"], "Beihang University, Beijing\n");
    run.assert_exit(0).stderr_contains(
        "coscreen: debug: beihang-university: segment 1 'Beihang University' -> alias",
    );
    assert_eq!(run.stdout_jsonl().len(), 1, "logs never go to stdout");
}
