//! The JSON report (`oxconf-report/1`) read back, as the HTML page needs it. `run --html`
//! renders its page from the JSON it has just written, so a page built later from a saved
//! report (`oxconf report --html`) shows exactly the same thing.
//!
//! Every field defaults: a report written before a field existed (the transcript entries,
//! say) still loads, and the page shows what it has.

use serde::Deserialize;
use std::collections::BTreeMap;

/// A whole report.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportDoc {
    /// Must be `oxconf-report/1`; checked by `parse`.
    pub schema: String,
    /// Who wrote it.
    pub tool: ToolDoc,
    /// RFC 3339.
    pub started: String,
    /// Wall-clock duration of the run.
    pub duration_ms: u64,
    /// Whether `--strict` was on.
    pub strict: bool,
    /// Why the run stopped early, if it did.
    pub interrupted: Option<String>,
    /// The profile path; `None` for the reference peers.
    pub profile: Option<String>,
    /// The run's exit code.
    pub exit_code: i32,
    /// Per-suite results.
    pub suites: Vec<SuiteDoc>,
    /// Every cited requirement with its catalogue entry.
    pub requirements: Vec<RequirementDoc>,
    /// Problems with the run itself.
    pub errors: Vec<String>,
}

/// The `tool` object.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ToolDoc {
    /// "oxconf".
    pub name: String,
    /// Its version.
    pub version: String,
}

/// One suite.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SuiteDoc {
    /// "oms-server".
    pub name: String,
    /// "MS-OMS".
    pub spec: String,
    /// The SUT's role.
    pub role: String,
    /// What was tested (redacted when written).
    pub target: String,
    /// Why setup failed.
    pub setup_error: Option<SetupErrorDoc>,
    /// Suite-wide warnings.
    pub notices: Vec<String>,
    /// The scenarios.
    pub scenarios: Vec<ScenarioDoc>,
}

/// A suite's setup error.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupErrorDoc {
    /// "unreachable", "local", "other".
    pub kind: String,
    /// The message.
    pub message: String,
}

/// One scenario.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ScenarioDoc {
    /// The scenario id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The SUT role.
    pub role: String,
    /// "MUST", "SHOULD", ...
    pub level: String,
    /// The scenario's requirement ids.
    pub requirements: Vec<String>,
    /// The spec sections it names.
    pub sections: Vec<String>,
    /// "pass", "fail", ...
    pub verdict: String,
    /// The verdict's one-line reason.
    pub reason: String,
    /// The expected-failures entry that excused a failure.
    pub expected_failure: Option<ExpectedDoc>,
    /// How long the body ran.
    pub duration_ms: u64,
    /// Every check.
    pub checks: Vec<CheckDoc>,
    /// Free notes.
    pub notes: Vec<String>,
    /// The wire transcript (absent in older reports).
    pub transcript: Vec<EntryDoc>,
}

/// An expected-failures note.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ExpectedDoc {
    /// The glob.
    pub pattern: String,
    /// Why the failure is expected.
    pub reason: String,
}

/// One check.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckDoc {
    /// What was checked.
    pub what: String,
    /// The requirement ids it is evidence for.
    pub requirements: Vec<String>,
    /// The section it names.
    pub section: String,
    /// The level it was judged at.
    pub level: String,
    /// "pass", "warn", "fail", "info".
    pub outcome: String,
    /// What the rule asks for.
    pub expected: String,
    /// What the SUT did.
    pub actual: String,
    /// Extra context.
    pub note: Option<String>,
}

/// One transcript entry.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct EntryDoc {
    /// Time since the scenario started.
    pub at_ms: u64,
    /// "sent", "received", "local".
    pub direction: String,
    /// "http", "udp", ...
    pub channel: String,
    /// The entry's heading.
    pub title: String,
    /// "text" or "binary".
    pub kind: String,
    /// For text entries.
    pub text: String,
    /// For binary entries: lowercase hex.
    pub hex: String,
    /// For binary entries: the named fields.
    pub fields: Vec<FieldDoc>,
}

/// A named field of a binary frame.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FieldDoc {
    /// Byte offset.
    pub offset: usize,
    /// Length in bytes.
    pub len: usize,
    /// The spec's name for it.
    pub name: String,
    /// The decoded value.
    pub value: String,
}

/// One requirement entry.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequirementDoc {
    /// "OMS-R031".
    pub id: String,
    /// A verdict or "not-testable".
    pub verdict: String,
    /// The scenarios citing it.
    pub scenarios: Vec<String>,
    /// The catalogue level.
    pub level: Option<String>,
    /// "MS-OMS 2.2.4.4".
    pub section: Option<String>,
    /// "MS-OMS".
    pub spec: Option<String>,
    /// "black-box", ...
    pub testability: Option<String>,
    /// The catalogue's paraphrase.
    pub paraphrase: Option<String>,
}

impl ReportDoc {
    /// Reads a JSON report; anything but `oxconf-report/1` is refused with a reason.
    pub fn parse(json: &str) -> Result<ReportDoc, String> {
        let doc: ReportDoc =
            serde_json::from_str(json).map_err(|e| format!("not a JSON report: {e}"))?;
        if doc.schema != super::super::json::SCHEMA_ID {
            return Err(format!(
                "schema is `{}`, expected `{}`",
                doc.schema,
                super::super::json::SCHEMA_ID
            ));
        }
        Ok(doc)
    }

    /// The requirement entries by id.
    pub fn requirement_map(&self) -> BTreeMap<&str, &RequirementDoc> {
        self.requirements
            .iter()
            .map(|r| (r.id.as_str(), r))
            .collect()
    }
}
