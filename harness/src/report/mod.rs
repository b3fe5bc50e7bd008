//! Reporters. Every file is written atomically; every string is already redacted.

pub mod atomic;
pub mod console;
pub mod html;
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
    /// The tool's name ("oxconf").
    pub name: &'static str,
    /// The tool's version (the CLI passes its `CARGO_PKG_VERSION`).
    pub version: &'static str,
}

/// Where a run writes its files.
#[derive(Clone, Debug)]
pub struct Outputs {
    /// The JUnit XML report.
    pub junit: PathBuf,
    /// The JSON report (schema `oxconf-report/1`).
    pub json: PathBuf,
    /// The directory that receives one transcript file per scenario (created if needed).
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

impl Outputs {
    /// Checks, before a run starts, that every output can be written, without creating,
    /// truncating or replacing anything; and that the JUnit and JSON reports do not share a
    /// path (one would overwrite the other). Each error names the path.
    pub fn check(&self) -> Result<(), String> {
        if same_file(&self.junit, &self.json) {
            return Err(format!(
                "the JUnit and JSON reports would both be written to {}: give them different paths",
                self.junit.display()
            ));
        }
        atomic::check_writable(&self.json)?;
        atomic::check_writable(&self.junit)?;
        atomic::check_dir_writable(&self.transcripts).map_err(|e| {
            format!(
                "{}: transcripts cannot be written: {e}",
                self.transcripts.display()
            )
        })
    }
}

/// Whether two report paths designate the same file (lexically, or once links are followed),
/// so that one report would overwrite the other. `/dev/null` may take both: nothing is lost.
pub fn same_file(a: &Path, b: &Path) -> bool {
    let same = absolute(a) == absolute(b)
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        );
    same && !is_null_device(a)
}

fn is_null_device(p: &Path) -> bool {
    std::fs::canonicalize(p).is_ok_and(|c| c == Path::new("/dev/null"))
}

/// Writes transcripts, then JSON, then JUnit. Returns the paths written. Each report links the
/// transcripts as seen from its own directory (see `link_dir`).
pub fn write_all(report: &RunReport, out: &Outputs, tool: Tool) -> std::io::Result<Vec<PathBuf>> {
    let mut written = transcripts::write(report, &out.transcripts)?;
    let json = json::render(report, tool, &link_dir(&out.json, &out.transcripts));
    atomic::write_atomic(&out.json, json.as_bytes())?;
    written.push(out.json.clone());
    let xml = junit::render(report, &link_dir(&out.junit, &out.transcripts))
        .map_err(std::io::Error::other)?;
    atomic::write_atomic(&out.junit, &xml)?;
    written.push(out.junit.clone());
    Ok(written)
}

/// How a report file names the transcripts directory: relative to the report's own directory
/// when the transcripts lie below it (the default layout, portable when the directory is
/// archived), and an absolute path otherwise, so a link works wherever the report was put.
pub fn link_dir(report_file: &Path, transcripts: &Path) -> String {
    let file = absolute(report_file);
    let base = file.parent().unwrap_or_else(|| Path::new("/"));
    let dir = absolute(transcripts);
    match dir.strip_prefix(base) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => dir.to_string_lossy().into_owned(),
    }
}

/// `p` made absolute against the current directory, with `.` and `..` resolved lexically.
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_below_the_report_and_absolute_elsewhere() {
        assert_eq!(
            link_dir(
                Path::new("reports/junit.xml"),
                Path::new("reports/transcripts")
            ),
            "transcripts"
        );
        assert_eq!(
            link_dir(
                Path::new("/ci/out/junit.xml"),
                Path::new("/ci/out/./t/../tr")
            ),
            "tr"
        );
        assert_eq!(
            link_dir(
                Path::new("/ci/junit.xml"),
                Path::new("/srv/reports/transcripts")
            ),
            "/srv/reports/transcripts"
        );
        let rel = link_dir(Path::new("/dev/null"), Path::new("reports/transcripts"));
        assert!(Path::new(&rel).is_absolute(), "{rel}");
    }

    #[test]
    fn one_path_for_both_reports_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let x = dir.path().join("x");
        let out = Outputs {
            junit: x.clone(),
            json: dir.path().join("./x"),
            transcripts: dir.path().join("t"),
        };
        let err = out.check().unwrap_err();
        assert!(err.contains("both"), "{err}");
        assert!(!x.exists());
        let ok = Outputs::in_dir(&dir.path().join("reports"));
        ok.check().unwrap();
        assert!(!dir.path().join("reports").exists());
    }
}
