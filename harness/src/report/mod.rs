//! Reporters. Every file is written atomically; every string is already redacted.

pub mod atomic;
pub mod console;
pub mod json;
pub mod junit;
pub mod model;
pub mod sanitize;
pub mod transcripts;

use model::RunReport;
use std::path::{Path, PathBuf};

/// Who wrote the report, for the JSON `tool` field.
#[derive(Clone, Copy, Debug)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// Where a run writes its files.
#[derive(Clone, Debug)]
pub struct Outputs {
    pub junit: PathBuf,
    pub json: PathBuf,
    pub transcripts: PathBuf,
}

impl Outputs {
    /// `reports/junit.xml`, `reports/report.json` and `reports/transcripts/` under `dir`.
    pub fn in_dir(dir: &Path) -> Outputs {
        Outputs {
            junit: dir.join("junit.xml"),
            json: dir.join("report.json"),
            transcripts: dir.join("transcripts"),
        }
    }
}

/// Writes transcripts, then JSON, then JUnit. Returns the paths written.
pub fn write_all(report: &RunReport, out: &Outputs, tool: Tool) -> std::io::Result<Vec<PathBuf>> {
    let mut written = transcripts::write(report, &out.transcripts)?;
    let rel = relative_dir(&out.json, &out.transcripts);
    let json = json::render(report, tool, &rel);
    atomic::write_atomic(&out.json, json.as_bytes())?;
    written.push(out.json.clone());
    let xml = junit::render(report, &rel).map_err(std::io::Error::other)?;
    atomic::write_atomic(&out.junit, &xml)?;
    written.push(out.junit.clone());
    Ok(written)
}

/// The transcripts directory as seen from the JSON file, for portable links.
fn relative_dir(json: &Path, transcripts: &Path) -> String {
    let base = json.parent().unwrap_or_else(|| Path::new(""));
    match transcripts.strip_prefix(base) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => transcripts.to_string_lossy().into_owned(),
    }
}
