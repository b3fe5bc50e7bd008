//! Where the reports go, chosen and checked before a run: a run that cannot write its reports
//! says so before it starts, not after. The checks themselves are the harness's
//! (`Outputs::check`): they never create, truncate or replace what is there.

use harness::report::{atomic, same_file, Outputs};
use std::path::{Path, PathBuf};

/// Whether a report path names a character device, FIFO or socket (`/dev/null`): such a
/// target is written in place, and there is no place beside it for a transcripts directory.
pub fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_dir() && !m.is_file())
}

/// The outputs of a run: the transcripts go beside the JSON report unless told otherwise.
pub fn outputs(junit: &Path, json: &Path, transcripts: Option<&Path>) -> Result<Outputs, String> {
    let transcripts = match transcripts {
        Some(d) => d.to_path_buf(),
        None if is_special(json) => PathBuf::from("reports/transcripts"),
        None => json
            .parent()
            .map(|p| p.join("transcripts"))
            .unwrap_or_else(|| "transcripts".into()),
    };
    // Each path on its own first, so the error names the flag as well as the path.
    atomic::check_writable(json).map_err(|e| format!("--json: {e}"))?;
    atomic::check_writable(junit).map_err(|e| format!("--junit: {e}"))?;
    if same_file(junit, json) {
        return Err(format!(
            "--junit and --json name the same file ({}): give each report its own path",
            json.display()
        ));
    }
    let out = Outputs {
        junit: junit.to_path_buf(),
        json: json.to_path_buf(),
        transcripts,
    };
    out.check()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_after_normalisation_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("r.xml");
        let b = dir.path().join("sub/../r.xml");
        std::fs::create_dir_all(dir.path().join("sub")).expect("mkdir");
        let err = outputs(&a, &b, None).expect_err("same file");
        assert!(err.contains("same file"), "{err}");
    }

    #[test]
    fn an_existing_report_is_not_truncated_by_the_check() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("junit.xml");
        std::fs::write(&a, "keep").expect("write");
        outputs(&a, &dir.path().join("r.json"), None).expect("writable");
        assert_eq!(std::fs::read_to_string(&a).expect("read"), "keep");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("readdir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn dev_null_is_accepted_and_transcripts_go_elsewhere() {
        let out =
            outputs(Path::new("/dev/null"), Path::new("/dev/null"), None).expect("null device");
        assert_eq!(out.transcripts, PathBuf::from("reports/transcripts"));
    }
}
