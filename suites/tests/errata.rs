//! Every erratum id the project cites (in code, comments, vectors, catalogues and docs) is
//! defined in `suites/errata/`, and every requirement id an erratum names is in the catalogue.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name == "target" || name == "reports" {
            continue;
        }
        if path.is_dir() {
            walk(&path, out);
        } else if ["rs", "md", "json", "toml"]
            .iter()
            .any(|ext| name.ends_with(&format!(".{ext}")))
        {
            out.push(path);
        }
    }
}

/// `E-OMS-01`-style ids in a text.
fn cited_ids(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(pos) = text[i..].find("E-") {
        let start = i + pos;
        let rest = &text[start + 2..];
        let family: String = rest
            .chars()
            .take_while(|c| c.is_ascii_uppercase())
            .collect();
        let after = start + 2 + family.len();
        if !family.is_empty() && bytes.get(after) == Some(&b'-') {
            let digits: String = text[after + 1..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let preceded_by_word = start > 0 && bytes[start - 1].is_ascii_alphanumeric();
            if !digits.is_empty() && !preceded_by_word && ["OMS", "PS", "CN"].contains(&&*family) {
                out.push(format!("E-{family}-{digits}"));
            }
        }
        i = start + 2;
    }
    out
}

#[test]
fn every_cited_erratum_is_defined() {
    let defined: BTreeSet<String> = oxconf_suites::errata::all()
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut files = Vec::new();
    walk(&repo_root(), &mut files);
    assert!(files.len() > 50, "walked too few files: {}", files.len());
    let mut problems = Vec::new();
    let mut cited = 0;
    for f in files {
        if f.components().any(|c| c.as_os_str() == "errata") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        for id in cited_ids(&text) {
            cited += 1;
            if !defined.contains(&id) {
                problems.push(format!("{}: cites undefined {id}", f.display()));
            }
        }
    }
    assert!(
        cited > 100,
        "found only {cited} citations: is the scanner broken?"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scanner_finds_ids_and_nothing_else() {
    assert_eq!(
        cited_ids("per E-OMS-01 and (E-CN-12); not XE-OMS-1 nor E-FOO-2 nor E-OMS-"),
        vec!["E-OMS-01".to_string(), "E-CN-12".to_string()]
    );
}

#[test]
fn erratum_requirement_ids_are_in_the_catalogue() {
    let catalog = oxconf_suites::catalog();
    let mut problems = Vec::new();
    for e in oxconf_suites::errata::all() {
        for r in &e.affects {
            if r.starts_with("OMS-") && catalog.get(r).is_none() {
                problems.push(format!("{}: affects unknown {r}", e.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
