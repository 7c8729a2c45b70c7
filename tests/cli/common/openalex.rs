//! The recorded OpenAlex works the network tests serve, and the API's paging.

use serde_json::{json, Value};

use super::server::Req;

/// The 20 recorded works (CC0) of tests/fixtures/ingest/openalex-works.jsonl.
pub fn recorded_works() -> Vec<Value> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ingest/openalex-works.jsonl");
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// One works page over `all` as the API pages it: `per_page` (default 25)
/// from the offset the cursor names (`*` or our `c<offset>`), a next cursor
/// on every non-empty page, a null one on the empty page after the end.
pub fn works_page(all: &[Value], r: &Req) -> Vec<u8> {
    let per: usize = r.q("per_page").and_then(|p| p.parse().ok()).unwrap_or(25);
    let offset: usize = match r.q("cursor") {
        Some("*") => 0,
        Some(c) => c.trim_start_matches('c').parse().expect("our cursor"),
        None => panic!("no cursor in {}", r.raw_query),
    };
    let results: Vec<&Value> = all.iter().skip(offset).take(per).collect();
    let next = if results.is_empty() {
        Value::Null
    } else {
        json!(format!("c{}", offset + results.len()))
    };
    serde_json::to_vec(&json!({
        "meta": {"count": all.len(), "per_page": per, "next_cursor": next, "groups_count": null},
        "results": results,
        "group_by": []
    }))
    .unwrap()
}
