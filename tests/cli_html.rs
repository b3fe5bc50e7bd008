//! `oxconf run --html` and `oxconf report --html` as a user runs them: the page is written
//! beside the other reports, a saved JSON report gives the same page, several reports give the
//! matrix, and bad inputs are refused before anything is written.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oxconf"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("oxconf runs")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A notif-decoder profile whose decoder is the reference one with two protocol faults on.
fn faulty_profile(dir: &Path) -> String {
    let bin = env!("CARGO_BIN_EXE_oxconf");
    let body = format!(
        "suite = \"notif-decoder\"\n[target]\ndecode = \"'{bin}' mock notif-decoder --fault counts-swapped --fault accepts-trailing-bytes\"\n"
    );
    std::fs::write(dir.join("faulty.toml"), body).expect("profile");
    "faulty.toml".into()
}

#[test]
fn run_writes_the_page_and_report_rebuilds_it_from_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = faulty_profile(dir.path());
    let out = run(
        &[
            "run",
            "-q",
            "--suite",
            "notif-decoder",
            "--profile",
            &profile,
            "--html",
            "reports/index.html",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("HTML reports/index.html"),
        "{}",
        text(&out.stdout)
    );
    let page = read(&dir.path().join("reports/index.html"));
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("id=\"notif-decoder&#x2f;invalid&#x2f;trailing-bytes\""));
    assert!(
        page.contains("class=\"hexdump\""),
        "binary frames are dumped"
    );

    let again = run(
        &["report", "--html", "again.html", "reports/report.json"],
        dir.path(),
    );
    assert_eq!(again.status.code(), Some(0), "{}", text(&again.stderr));
    assert_eq!(
        read(&dir.path().join("again.html")),
        page,
        "the same page from the JSON"
    );

    let reference = run(
        &[
            "run",
            "-q",
            "--suite",
            "notif-decoder",
            "--json",
            "reference.json",
            "--junit",
            "r.xml",
        ],
        dir.path(),
    );
    assert_eq!(
        reference.status.code(),
        Some(0),
        "{}",
        text(&reference.stderr)
    );
    let both = run(
        &[
            "report",
            "--html",
            "both.html",
            "reference.json",
            "reports/report.json",
        ],
        dir.path(),
    );
    assert_eq!(both.status.code(), Some(0), "{}", text(&both.stderr));
    let matrix = read(&dir.path().join("both.html"));
    assert!(matrix.contains("<th class=\"impl\">reference</th><th class=\"impl\">faulty</th>"));
}

#[test]
fn bad_inputs_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("not.json"),
        "{\"schema\": \"something-else/2\"}",
    )
    .expect("w");
    let out = run(&["report", "--html", "x.html", "not.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("something-else/2"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["report", "--html", "x.html", "missing.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("missing.json"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["report", "--html", "not.json", "not.json"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(2),
        "its own input is never overwritten"
    );
    assert!(!dir.path().join("x.html").exists());

    let out = run(
        &[
            "run",
            "--suite",
            "notif-decoder",
            "--html",
            "reports/report.json",
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "the HTML page may not replace the JSON report"
    );
    assert!(
        text(&out.stderr).contains("--html"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("reports").exists(), "nothing ran");
}
