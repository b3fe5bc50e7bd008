//! `oxconf report --html OUT REPORT.json...`: the HTML page from saved JSON reports, so a CI
//! job (or a comparison of several implementations) can build it after the runs.

use super::exit;
use crate::cli::ReportArgs;
use crate::{complain, say};
use harness::report::{atomic, html, same_file, Outputs};
use std::path::Path;

/// Refuses an HTML path that would overwrite one of the run's other reports, or that cannot
/// be written; nothing is created by the check.
pub fn check_html_path(path: &Path, outputs: &Outputs) -> Result<(), String> {
    if same_file(path, &outputs.json) || same_file(path, &outputs.junit) {
        return Err(format!(
            "{} is also the JSON or JUnit report: give the HTML page its own path",
            path.display()
        ));
    }
    atomic::check_writable(path)
}

/// Reads every report (all must load), renders the page and writes it atomically.
pub fn run(args: &ReportArgs) -> i32 {
    let mut inputs = Vec::new();
    for path in &args.reports {
        if same_file(path, &args.html) {
            complain!(
                "oxconf: --html {} would overwrite one of its own inputs",
                args.html.display()
            );
            return exit::USAGE;
        }
        match html::load(path) {
            Ok(i) => inputs.push(i),
            Err(e) => {
                complain!("oxconf: {e}");
                return exit::USAGE;
            }
        }
    }
    let page = match html::render(&inputs) {
        Ok(p) => p,
        Err(e) => {
            complain!("oxconf: {e}");
            return exit::FAILURES;
        }
    };
    match atomic::write_atomic(&args.html, page.as_bytes()) {
        Ok(()) => {
            say!(
                "HTML report: {} ({} report{})",
                args.html.display(),
                inputs.len(),
                if inputs.len() == 1 { "" } else { "s" }
            );
            exit::OK
        }
        Err(e) => {
            complain!("oxconf: {}: {e}", args.html.display());
            exit::LOCAL
        }
    }
}
