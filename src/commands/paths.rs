//! Pre-run checks of the report paths (`--junit`, `--json`, the transcripts directory): a
//! run that cannot write its reports should say so before it starts, not after. The checks
//! never truncate or replace what is there.

use std::fs::OpenOptions;
use std::path::{Component, Path, PathBuf};

/// What is at a report path now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Missing,
    Regular,
    /// A character device, FIFO or socket (e.g. /dev/null): written in place, never replaced.
    Special,
}

/// What `path` is (following symlinks, as the write will).
pub fn target(path: &Path) -> Result<Target, String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(format!("{}: is a directory", path.display())),
        Ok(m) if m.is_file() => Ok(Target::Regular),
        Ok(_) => Ok(Target::Special),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Target::Missing),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates the directory if needed and proves a file can be created in it (a probe file,
/// removed again), as the atomic write will do.
pub fn check_dir(dir: &Path, what: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("{what}: cannot create directory {}: {e}", dir.display()))?;
    let probe = dir.join(format!(".oxconf-write-check.{}", std::process::id()));
    match OpenOptions::new().write(true).create_new(true).open(&probe) {
        Ok(f) => {
            drop(f);
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(format!(
            "{what}: cannot write in directory {}: {e}",
            dir.display()
        )),
    }
}

/// Checks that a report can be written at `path` without touching what is there.
pub fn check_file(path: &Path, flag: &str) -> Result<Target, String> {
    let what = format!("{flag} {}", path.display());
    let t = target(path).map_err(|e| format!("{flag}: {e}"))?;
    match t {
        // Written in place; opening a FIFO here would block, so it is taken as it is.
        Target::Special => {}
        Target::Regular => {
            // Opened for writing without truncation: permission is checked, content kept.
            OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| format!("{what}: cannot write: {e}"))?;
            check_dir(&parent_of(path), &what)?;
        }
        Target::Missing => check_dir(&parent_of(path), &what)?,
    }
    Ok(t)
}

/// Resolves `.` and `..` without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The file a path names, as far as it can be known: canonical when it exists, else its
/// canonical directory joined with its name, else the lexically normalised absolute path.
pub fn identity(path: &Path) -> PathBuf {
    let abs = std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let abs = lexical(&abs);
    if let Ok(c) = abs.canonicalize() {
        return c;
    }
    if let (Some(dir), Some(name)) = (abs.parent(), abs.file_name()) {
        if let Ok(d) = dir.canonicalize() {
            return d.join(name);
        }
    }
    abs
}

/// Checks both report paths before a run; returns what the JSON target is.
pub fn check_reports(junit: &Path, json: &Path) -> Result<Target, String> {
    let junit_target = check_file(junit, "--junit")?;
    let json_target = check_file(json, "--json")?;
    if identity(junit) == identity(json) {
        // Both reports into one character device (/dev/null) loses nothing; anything else
        // would leave one report overwritten by the other.
        let both_special = junit_target == Target::Special && json_target == Target::Special;
        if !both_special {
            return Err(format!(
                "--junit and --json name the same file ({}): give each report its own path",
                json.display()
            ));
        }
    }
    Ok(json_target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_resolves_dots() {
        assert_eq!(lexical(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }

    #[test]
    fn same_file_after_normalisation_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("r.xml");
        let b = dir.path().join("sub/../r.xml");
        std::fs::create_dir_all(dir.path().join("sub")).expect("mkdir");
        let err = check_reports(&a, &b).expect_err("same file");
        assert!(err.contains("same file"), "{err}");
    }

    #[test]
    fn an_existing_report_is_not_truncated_by_the_check() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("junit.xml");
        std::fs::write(&a, "keep").expect("write");
        check_reports(&a, &dir.path().join("r.json")).expect("writable");
        assert_eq!(std::fs::read_to_string(&a).expect("read"), "keep");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("readdir")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn dev_null_is_accepted() {
        check_reports(Path::new("/dev/null"), Path::new("/dev/null")).expect("null device");
    }
}
