//! The JSON report, schema `oxconf-report/1` (see `harness/schema/report.schema.json`).

use super::model::{ExpectedNote, RunReport, ScenarioResult};
use super::transcripts::{file_name, has_file};
use super::Tool;
use crate::evidence::Check;
use crate::level::Level;
use crate::suite::RequirementInfo;
use crate::transcript::{Direction, Entry, Field, Payload};
use crate::verdict::VerdictKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// The `schema` value of every JSON report; it changes only when the format breaks readers.
pub const SCHEMA_ID: &str = "oxconf-report/1";

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    tool: ToolDoc,
    started: String,
    duration_ms: u64,
    strict: bool,
    interrupted: Option<&'a str>,
    profile: Option<&'a str>,
    exit_code: i32,
    summary: Summary,
    suites: Vec<SuiteDoc<'a>>,
    requirements: Vec<RequirementDoc>,
    errors: &'a [String],
}

#[derive(Serialize)]
struct ToolDoc {
    name: String,
    version: String,
}

#[derive(Serialize)]
struct Summary {
    total: usize,
    verdicts: BTreeMap<&'static str, usize>,
    expected_failures: usize,
    levels: BTreeMap<&'static str, BTreeMap<&'static str, usize>>,
}

#[derive(Serialize)]
struct SuiteDoc<'a> {
    name: &'a str,
    spec: &'a str,
    role: &'a str,
    target: &'a str,
    setup_error: Option<SetupErrorDoc<'a>>,
    notices: &'a [String],
    scenarios: Vec<ScenarioDoc<'a>>,
}

#[derive(Serialize)]
struct SetupErrorDoc<'a> {
    kind: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct ScenarioDoc<'a> {
    id: &'a str,
    title: &'a str,
    role: &'a str,
    level: Level,
    requirements: &'a [String],
    sections: &'a [String],
    verdict: VerdictKind,
    reason: &'a str,
    expected_failure: Option<&'a ExpectedNote>,
    duration_ms: u64,
    checks: &'a [Check],
    notes: &'a [String],
    transcript_file: Option<String>,
    /// The wire transcript itself, so a saved report carries all the evidence the HTML page
    /// shows (`oxconf report --html`), not only a link to the text file.
    transcript: Vec<EntryDoc<'a>>,
}

/// One transcript entry: text as exchanged, or a binary frame as hex with its named fields.
#[derive(Serialize)]
struct EntryDoc<'a> {
    at_ms: u64,
    direction: Direction,
    channel: &'a str,
    title: &'a str,
    #[serde(flatten)]
    payload: PayloadDoc<'a>,
}

/// Bytes go out as one lowercase hex string: far smaller than a JSON array of numbers.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum PayloadDoc<'a> {
    Text { text: &'a str },
    Binary { hex: String, fields: &'a [Field] },
}

fn entry_doc(e: &Entry) -> EntryDoc<'_> {
    EntryDoc {
        at_ms: e.at_ms,
        direction: e.direction,
        channel: &e.channel,
        title: &e.title,
        payload: match &e.payload {
            Payload::Text { text } => PayloadDoc::Text { text },
            Payload::Binary { bytes, fields } => PayloadDoc::Binary {
                hex: bytes.iter().map(|b| format!("{b:02x}")).collect(),
                fields,
            },
        },
    }
}

#[derive(Serialize)]
struct RequirementDoc {
    id: String,
    /// A verdict, or "not-testable" for a requirement the catalogue marks so that no check
    /// found violated: it is never reported as passed.
    verdict: &'static str,
    scenarios: Vec<String>,
    /// From the catalogue; null when the suite has none or does not hold the id.
    level: Option<Level>,
    section: Option<String>,
    spec: Option<String>,
    testability: Option<String>,
    paraphrase: Option<String>,
}

/// The verdict a requirement entry shows: a not-testable requirement that nothing found
/// violated is `not-testable`, never `pass`.
pub fn requirement_status(verdict: VerdictKind, info: Option<&RequirementInfo>) -> &'static str {
    match (verdict, info) {
        (VerdictKind::Pass | VerdictKind::Warn, Some(i)) if !i.testable() => "not-testable",
        (v, _) => v.as_str(),
    }
}

fn rfc3339(t: std::time::SystemTime) -> String {
    time::OffsetDateTime::from(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

fn scenario_doc<'a>(r: &'a ScenarioResult, transcripts_dir: &str) -> ScenarioDoc<'a> {
    ScenarioDoc {
        id: &r.id,
        title: &r.title,
        role: &r.role,
        level: r.level,
        requirements: &r.requirements,
        sections: &r.sections,
        verdict: r.verdict.kind,
        reason: &r.verdict.reason,
        expected_failure: r.expected_failure.as_ref(),
        duration_ms: r.duration.as_millis() as u64,
        checks: &r.evidence.checks,
        notes: &r.evidence.notes,
        transcript_file: has_file(r).then(|| format!("{}/{}", transcripts_dir, file_name(r))),
        transcript: r.transcript.entries.iter().map(entry_doc).collect(),
    }
}

/// The JSON report of a run, pretty-printed; `transcripts_dir` is how the report links the
/// transcript files (see `report::link_dir`). Never fails: a serialisation error yields a
/// minimal document that names it.
pub fn render(report: &RunReport, tool: Tool, transcripts_dir: &str) -> String {
    let verdicts = VerdictKind::ALL
        .iter()
        .map(|k| (k.as_str(), report.count(*k)))
        .collect();
    let levels = report
        .by_level()
        .into_iter()
        .map(|(level, m)| {
            (
                level.as_str(),
                m.into_iter().map(|(k, n)| (k.as_str(), n)).collect(),
            )
        })
        .collect();
    let doc = Doc {
        schema: SCHEMA_ID,
        tool: ToolDoc {
            name: tool.name.into(),
            version: tool.version.into(),
        },
        started: rfc3339(report.started),
        duration_ms: report.duration.as_millis() as u64,
        strict: report.strict,
        interrupted: report.interrupted.as_deref(),
        profile: report.profile.as_deref(),
        exit_code: report.exit_code(),
        summary: Summary {
            total: report.results().count(),
            verdicts,
            expected_failures: report.expected_failures(),
            levels,
        },
        suites: report
            .suites
            .iter()
            .map(|s| SuiteDoc {
                name: &s.name,
                spec: &s.spec,
                role: &s.role,
                target: &s.target,
                setup_error: s.setup_error.as_ref().map(|e| SetupErrorDoc {
                    kind: e.kind(),
                    message: e.message(),
                }),
                notices: &s.notices,
                scenarios: s
                    .scenarios
                    .iter()
                    .map(|r| scenario_doc(r, transcripts_dir))
                    .collect(),
            })
            .collect(),
        requirements: report
            .requirement_verdicts()
            .into_iter()
            .map(|(id, v)| {
                let info = report.requirements.get(&id);
                RequirementDoc {
                    verdict: requirement_status(v.verdict, info),
                    scenarios: v.scenarios,
                    level: info.map(|i| i.level),
                    section: info.map(RequirementInfo::cited_section),
                    spec: info.map(|i| i.spec.clone()),
                    testability: info.map(|i| i.testability.clone()),
                    paraphrase: info.map(|i| i.paraphrase.clone()),
                    id,
                }
            })
            .collect(),
        errors: &report.errors,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| {
        format!("{{\"schema\":\"{SCHEMA_ID}\",\"error\":\"report could not be serialised: {e}\"}}")
    })
}
