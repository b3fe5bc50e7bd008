//! The interop peer folders (`suites/interop/<peer-id>/`): their manifest (`peer.toml`), their
//! committed expected results (`expected.json`), and the comparison of a run's report with
//! them. Shared by `tests/interop.rs`, which runs each peer, and `oxconf matrix`, which renders
//! the runs; the folder format is described in suites/interop/README.md.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The verdicts a report can give, in the order tables show them.
pub const VERDICTS: [&str; 6] = ["pass", "warn", "fail", "skip", "inconclusive", "error"];

/// `peer.toml`. Unknown keys are refused so a typo never silently drops, say, `serve`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The folder name.
    pub id: String,
    /// The package as its registry names it.
    pub peer: String,
    /// The exact pinned version.
    pub version: String,
    /// PyPI, npm or Debian.
    pub registry: String,
    /// The oxconf suite run against the peer.
    pub suite: String,
    /// The peer's role, in words.
    pub role: String,
    /// Exits 0 when the peer is installed (`sh -c`, in the folder).
    pub check: String,
    /// Started before the run for server peers; `{port}` is a free loopback port.
    #[serde(default)]
    pub serve: Option<String>,
    /// The profile file, with `{port}` and `{dir}` substituted before use.
    pub profile: String,
    /// The expected-results file.
    pub expected: String,
}

/// `expected.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    pub peer: String,
    pub suite: String,
    pub scenarios: BTreeMap<String, ExpectedScenario>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedScenario {
    pub verdict: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requirement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One peer folder, read.
#[derive(Clone, Debug)]
pub struct Peer {
    pub dir: PathBuf,
    pub manifest: Manifest,
}

impl Peer {
    pub fn read(dir: &Path) -> Result<Peer, String> {
        let path = dir.join("peer.toml");
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let manifest: Manifest =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let folder = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if manifest.id != folder {
            return Err(format!(
                "{}: id = {:?} but the folder is {folder:?}",
                path.display(),
                manifest.id
            ));
        }
        Ok(Peer {
            dir: dir.to_path_buf(),
            manifest,
        })
    }

    pub fn expected(&self) -> Result<Expected, String> {
        let path = self.dir.join(&self.manifest.expected);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The profile text with `{port}` and `{dir}` (the folder's absolute path) substituted.
    pub fn profile(&self, port: Option<u16>) -> Result<String, String> {
        let path = self.dir.join(&self.manifest.profile);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let dir = std::path::absolute(&self.dir).map_err(|e| e.to_string())?;
        Ok(substitute(&text, port, &dir.to_string_lossy()))
    }

    /// How to install the peer, for the message of a skipped test.
    pub fn install_hint(&self) -> String {
        let m = &self.manifest;
        let command = match m.registry.as_str() {
            "PyPI" => format!("pip install {}=={}", m.peer, m.version),
            "npm" => format!("npm ci (in {})", self.dir.display()),
            "Debian" => format!("apt-get install -y --no-install-recommends {}", m.peer),
            other => format!("install {} {} from {other}", m.peer, m.version),
        };
        format!(
            "{command}; {} says more",
            self.dir.join("README.md").display()
        )
    }
}

pub fn substitute(profile: &str, port: Option<u16>, dir: &str) -> String {
    let text = profile.replace("{dir}", dir);
    match port {
        Some(p) => text.replace("{port}", &p.to_string()),
        None => text,
    }
}

/// Every folder holding a `peer.toml` directly under `root`, by id.
pub fn discover(root: &Path) -> Result<Vec<Peer>, String> {
    let entries = std::fs::read_dir(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("peer.toml").is_file())
        .collect();
    dirs.sort();
    dirs.iter().map(|d| Peer::read(d)).collect()
}

/// Scenario id -> verdict, from a JSON report (`suites[].scenarios[].id / verdict`).
pub fn verdicts(report: &serde_json::Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let suites = report["suites"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for suite in suites {
        let scenarios = suite["scenarios"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for s in scenarios {
            if let (Some(id), Some(v)) = (s["id"].as_str(), s["verdict"].as_str()) {
                out.insert(id.to_owned(), v.to_owned());
            }
        }
    }
    out
}

/// The reason a report gives for one scenario's verdict (empty when none).
pub fn reason(report: &serde_json::Value, id: &str) -> String {
    let suites = report["suites"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    suites
        .iter()
        .flat_map(|s| {
            s["scenarios"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default()
        })
        .find(|s| s["id"].as_str() == Some(id))
        .and_then(|s| s["reason"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// Problems of an expected file on its own: unknown verdicts, a non-pass without a note, a
/// fail or warn without its requirement.
pub fn lint(expected: &Expected) -> Vec<String> {
    let mut out = Vec::new();
    for (id, e) in &expected.scenarios {
        if !VERDICTS.contains(&e.verdict.as_str()) {
            out.push(format!("{id}: unknown verdict {:?}", e.verdict));
        }
        if e.verdict != "pass" && e.note.as_deref().is_none_or(str::is_empty) {
            out.push(format!("{id}: {} without a note", e.verdict));
        }
        if matches!(e.verdict.as_str(), "fail" | "warn") && e.requirement.is_none() {
            out.push(format!("{id}: {} without a requirement", e.verdict));
        }
    }
    out
}

/// Every difference between the expected verdicts and a run's: missing, extra, different.
pub fn compare(expected: &Expected, actual: &BTreeMap<String, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (id, e) in &expected.scenarios {
        match actual.get(id) {
            None => out.push(format!(
                "missing  {id}: expected {}, not in the report",
                e.verdict
            )),
            Some(v) if *v != e.verdict => {
                out.push(format!("changed  {id}: expected {}, got {v}", e.verdict))
            }
            Some(_) => {}
        }
    }
    for (id, v) in actual {
        if !expected.scenarios.contains_key(id) {
            out.push(format!("extra    {id}: got {v}, not in the expected file"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(items: &[(&str, &str)]) -> Expected {
        Expected {
            peer: "p".into(),
            suite: "s".into(),
            scenarios: items
                .iter()
                .map(|(id, v)| {
                    (
                        id.to_string(),
                        ExpectedScenario {
                            verdict: v.to_string(),
                            ..Default::default()
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn compare_lists_missing_extra_and_changed() {
        let e = expected(&[("a", "pass"), ("b", "fail"), ("c", "pass")]);
        let actual: BTreeMap<String, String> = [("a", "pass"), ("b", "pass"), ("d", "skip")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let diff = compare(&e, &actual);
        assert_eq!(diff.len(), 3, "{diff:?}");
        assert!(diff[0].starts_with("changed  b: expected fail, got pass"));
        assert!(diff[1].starts_with("missing  c"));
        assert!(diff[2].starts_with("extra    d"));
    }

    #[test]
    fn lint_wants_notes_and_requirements() {
        let e = expected(&[("a", "pass"), ("b", "warn"), ("c", "maybe")]);
        let problems = lint(&e);
        assert!(problems.iter().any(|p| p == "b: warn without a note"));
        assert!(problems
            .iter()
            .any(|p| p == "b: warn without a requirement"));
        assert!(problems.iter().any(|p| p.starts_with("c: unknown verdict")));
    }

    #[test]
    fn verdicts_read_the_report_shape() {
        let report = serde_json::json!({"suites": [{"scenarios": [
            {"id": "x/1", "verdict": "pass"}, {"id": "x/2", "verdict": "warn", "reason": "slow"}
        ]}]});
        let v = verdicts(&report);
        assert_eq!(v.get("x/2").map(String::as_str), Some("warn"));
        assert_eq!(reason(&report, "x/2"), "slow");
        assert_eq!(reason(&report, "x/1"), "");
    }

    #[test]
    fn substitutes_port_and_dir() {
        assert_eq!(
            substitute("url = \"http://127.0.0.1:{port}/\" # {dir}", Some(8), "/d"),
            "url = \"http://127.0.0.1:8/\" # /d"
        );
    }

    #[test]
    fn the_committed_peer_folders_read_and_lint_clean() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("suites/interop");
        for peer in discover(&root).unwrap() {
            let e = peer.expected().unwrap();
            assert_eq!(e.peer, peer.manifest.id);
            assert_eq!(e.suite, peer.manifest.suite);
            assert_eq!(lint(&e), Vec::<String>::new(), "{}", peer.manifest.id);
        }
    }
}
