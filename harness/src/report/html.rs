//! The HTML report: one static, self-contained page (all CSS and JS inline, nothing fetched)
//! with the run's summary, requirement coverage per spec, and one collapsible entry per
//! scenario holding all of its evidence: verdict, requirements with the catalogue's words,
//! expected against actual for every check, and the wire transcript (SOAP re-indented, binary
//! frames as annotated hex dumps). Given several reports it adds a scenarios × implementations
//! matrix.
//!
//! The page is rendered from JSON reports (`doc::ReportDoc`), never from the run in memory,
//! so `oxconf report --html` from saved files is exactly as rich as `oxconf run --html`.
//! Everything in a report may come from the SUT: the template engine escapes every value
//! (auto-escaping is on for the whole template), the script carries no data, and a
//! Content-Security-Policy allows only the page's own script, by hash.

mod doc;
mod hexdump;
mod pretty;

pub use doc::ReportDoc;

use super::model::RunReport;
use super::Tool;
use base64::Engine as _;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

const TEMPLATE: &str = include_str!("html/page.html");
const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

/// Verdict columns, in the console summary's order.
const VERDICTS: [&str; 6] = ["pass", "warn", "fail", "skip", "inconclusive", "error"];
/// Requirement states, worst first, as the coverage bars stack them.
const REQUIREMENT_STATES: [&str; 7] = [
    "fail",
    "error",
    "inconclusive",
    "warn",
    "pass",
    "not-testable",
    "skip",
];

/// One report to show, with the name its column carries in the matrix.
pub struct Input {
    /// The report.
    pub doc: ReportDoc,
    /// Where it came from, to name it when its profile does not ("peer-a.json").
    pub source: Option<String>,
}

/// The page for one run, built from its JSON rendering so it matches `oxconf report --html`.
pub fn render_run(report: &RunReport, tool: Tool) -> Result<String, String> {
    let json = super::json::render(report, tool, ".");
    let doc = ReportDoc::parse(&json)?;
    render(&[Input { doc, source: None }])
}

/// Writes `render_run`'s page atomically.
pub fn write_run(report: &RunReport, tool: Tool, path: &Path) -> std::io::Result<()> {
    let page = render_run(report, tool).map_err(std::io::Error::other)?;
    super::atomic::write_atomic(path, page.as_bytes())
}

/// The page for one or more reports (several: with the matrix).
pub fn render(inputs: &[Input]) -> Result<String, String> {
    if inputs.is_empty() {
        return Err("no report to show".into());
    }
    let names = implementation_names(inputs);
    let multi = inputs.len() > 1;
    let reports: Vec<ReportView> = inputs
        .iter()
        .zip(&names)
        .enumerate()
        .map(|(i, (input, name))| {
            let prefix = if multi {
                format!("r{}:", i + 1)
            } else {
                String::new()
            };
            report_view(&input.doc, name, prefix)
        })
        .collect();
    let matrix = multi.then(|| matrix(&reports));
    let suites: Vec<String> = {
        let mut s: Vec<String> = reports
            .iter()
            .flat_map(|r| r.suites.iter().map(|s| s.name.clone()))
            .collect();
        dedup_in_order(&mut s);
        s
    };
    let generator = inputs
        .iter()
        .map(|i| format!("{} {}", i.doc.tool.name, i.doc.tool.version))
        .next()
        .unwrap_or_default();
    let script_hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SCRIPT));
    let page = Page {
        title: if multi {
            format!("oxconf: {} implementations compared", reports.len())
        } else {
            format!("oxconf report: {}", reports[0].name)
        },
        generator,
        multi,
        reports,
        matrix,
        suites,
        verdicts: VERDICTS.to_vec(),
        levels: vec!["MUST", "STRUCTURE", "SHOULD", "MAY"],
        style: STYLE,
        script: SCRIPT,
        script_hash,
    };
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("page.html", TEMPLATE)
        .map_err(|e| format!("HTML template: {e}"))?;
    let tmpl = env
        .get_template("page.html")
        .map_err(|e| format!("HTML template: {e}"))?;
    tmpl.render(minijinja::value::Serde(&page))
        .map_err(|e| format!("HTML report could not be rendered: {e}"))
}

/// Loads a saved JSON report for `render`.
pub fn load(path: &Path) -> Result<Input, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc = ReportDoc::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Input {
        doc,
        source: path.file_name().map(|n| n.to_string_lossy().into_owned()),
    })
}

#[derive(Serialize)]
struct Page {
    title: String,
    generator: String,
    multi: bool,
    reports: Vec<ReportView>,
    matrix: Option<Matrix>,
    suites: Vec<String>,
    verdicts: Vec<&'static str>,
    levels: Vec<&'static str>,
    style: &'static str,
    script: &'static str,
    script_hash: String,
}

#[derive(Serialize)]
struct ReportView {
    name: String,
    prefix: String,
    started: String,
    duration: String,
    strict: bool,
    profile: Option<String>,
    interrupted: Option<String>,
    exit_code: i32,
    errors: Vec<String>,
    tool: String,
    totals: Counts,
    suites: Vec<SuiteView>,
    levels: Vec<LevelRow>,
    coverage: Vec<SpecCoverage>,
    scenarios: Vec<ScenarioView>,
}

/// Counts per verdict, in `VERDICTS` order, with the total.
#[derive(Serialize)]
struct Counts {
    cells: Vec<usize>,
    total: usize,
}

impl Counts {
    fn of<'a>(verdicts: impl Iterator<Item = &'a str>) -> Counts {
        let mut cells = vec![0; VERDICTS.len()];
        let mut total = 0;
        for v in verdicts {
            total += 1;
            if let Some(i) = VERDICTS.iter().position(|k| *k == v) {
                cells[i] += 1;
            }
        }
        Counts { cells, total }
    }
}

#[derive(Serialize)]
struct SuiteView {
    name: String,
    spec: String,
    role: String,
    target: String,
    setup_error: Option<String>,
    notices: Vec<String>,
    counts: Counts,
}

#[derive(Serialize)]
struct LevelRow {
    level: String,
    counts: Counts,
}

#[derive(Serialize)]
struct SpecCoverage {
    spec: String,
    total: usize,
    /// One stacked segment per state with requirements in it.
    bar: Vec<BarSegment>,
    cells: Vec<RequirementCell>,
}

#[derive(Serialize)]
struct BarSegment {
    state: &'static str,
    count: usize,
    /// Width in percent, one decimal, for the inline style.
    width: String,
}

#[derive(Serialize)]
struct RequirementCell {
    id: String,
    state: String,
    tip: String,
}

#[derive(Serialize)]
struct ScenarioView {
    anchor: String,
    id: String,
    title: String,
    suite: String,
    role: String,
    level: String,
    verdict: String,
    reason: String,
    expected_failure: Option<String>,
    duration: String,
    requirement_ids: String,
    requirements: Vec<RequirementRef>,
    sections: Vec<String>,
    checks: Vec<CheckView>,
    notes: Vec<String>,
    transcript: Vec<EntryView>,
}

#[derive(Serialize)]
struct RequirementRef {
    id: String,
    state: String,
    level: String,
    section: String,
    paraphrase: String,
}

#[derive(Serialize)]
struct CheckView {
    outcome: String,
    what: String,
    expected: String,
    actual: String,
    level: String,
    requirements: String,
    section: String,
    note: Option<String>,
}

#[derive(Serialize)]
struct EntryView {
    at: String,
    direction: String,
    arrow: &'static str,
    channel: String,
    title: String,
    kind: &'static str,
    segs: Vec<pretty::Seg>,
    /// The text as exchanged, when `segs` re-indented it.
    raw: Option<String>,
    size: String,
    dump: Option<hexdump::Dump>,
    /// Failing or erroring scenarios open their transcript entries.
    open: bool,
}

#[derive(Serialize)]
struct Matrix {
    columns: Vec<String>,
    rows: Vec<MatrixRow>,
}

#[derive(Serialize)]
struct MatrixRow {
    id: String,
    suite: String,
    level: String,
    requirement_ids: String,
    verdicts: String,
    /// Whether the implementations disagree.
    differs: bool,
    cells: Vec<Option<MatrixCell>>,
}

#[derive(Serialize)]
struct MatrixCell {
    verdict: String,
    anchor: String,
    reason: String,
}

/// Column names: the profile's file stem, else the report file's name, else the targets;
/// repeated names get a number so every column is told apart.
fn implementation_names(inputs: &[Input]) -> Vec<String> {
    let mut names: Vec<String> = inputs
        .iter()
        .map(|i| {
            if let Some(p) = &i.doc.profile {
                let stem = Path::new(p)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.clone());
                return stem;
            }
            if inputs.len() > 1 {
                if let Some(src) = &i.source {
                    return src.trim_end_matches(".json").to_string();
                }
            }
            "reference peers".to_string()
        })
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for n in &names {
        *seen.entry(n.clone()).or_default() += 1;
    }
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for n in names.iter_mut() {
        if seen.get(n.as_str()).copied().unwrap_or(0) > 1 {
            let k = used.entry(n.clone()).or_default();
            *k += 1;
            *n = format!("{n} #{k}");
        }
    }
    names
}

fn dedup_in_order(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

/// "850 ms", "12.3 s", "4 min 05 s".
fn human(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{} min {:02} s", ms / 60_000, (ms / 1000) % 60)
    }
}

/// "2026-12-03T14:05:52.6143Z" as "2026-12-03 14:05:52 UTC"; anything else as it is.
fn readable_time(rfc3339: &str) -> String {
    let ok = rfc3339.len() >= 20
        && rfc3339.ends_with('Z')
        && rfc3339.as_bytes().get(10) == Some(&b'T')
        && rfc3339.is_char_boundary(19);
    if ok {
        format!("{} {} UTC", &rfc3339[..10], &rfc3339[11..19])
    } else {
        rfc3339.to_string()
    }
}

fn bytes_human(n: usize) -> String {
    if n < 1024 {
        format!("{n} B")
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

fn rank(outcome: &str) -> u8 {
    match outcome {
        "fail" => 0,
        "warn" => 1,
        "info" => 2,
        _ => 3,
    }
}

fn report_view(doc: &ReportDoc, name: &str, prefix: String) -> ReportView {
    let reqs = doc.requirement_map();
    let all = || doc.suites.iter().flat_map(|s| s.scenarios.iter());
    let suites = doc
        .suites
        .iter()
        .map(|s| SuiteView {
            name: s.name.clone(),
            spec: s.spec.clone(),
            role: s.role.clone(),
            target: s.target.clone(),
            setup_error: s
                .setup_error
                .as_ref()
                .map(|e| format!("{}: {}", e.kind, e.message)),
            notices: s.notices.clone(),
            counts: Counts::of(s.scenarios.iter().map(|r| r.verdict.as_str())),
        })
        .collect();
    let levels = ["MUST", "STRUCTURE", "SHOULD", "MAY"]
        .iter()
        .map(|l| LevelRow {
            level: (*l).to_string(),
            counts: Counts::of(all().filter(|r| r.level == *l).map(|r| r.verdict.as_str())),
        })
        .filter(|row| row.counts.total > 0)
        .collect();
    let mut scenarios = Vec::new();
    for s in &doc.suites {
        for r in &s.scenarios {
            scenarios.push(scenario_view(r, &s.name, &prefix, &reqs));
        }
    }
    ReportView {
        name: name.to_string(),
        prefix,
        started: readable_time(&doc.started),
        duration: human(doc.duration_ms),
        strict: doc.strict,
        profile: doc.profile.clone(),
        interrupted: doc.interrupted.clone(),
        exit_code: doc.exit_code,
        errors: doc.errors.clone(),
        tool: format!("{} {}", doc.tool.name, doc.tool.version),
        totals: Counts::of(all().map(|r| r.verdict.as_str())),
        suites,
        levels,
        coverage: coverage(doc),
        scenarios,
    }
}

fn coverage(doc: &ReportDoc) -> Vec<SpecCoverage> {
    let mut by_spec: BTreeMap<String, Vec<&doc::RequirementDoc>> = BTreeMap::new();
    for r in &doc.requirements {
        let spec = r
            .spec
            .clone()
            .unwrap_or_else(|| "not in a catalogue".to_string());
        by_spec.entry(spec).or_default().push(r);
    }
    by_spec
        .into_iter()
        .map(|(spec, reqs)| {
            let total = reqs.len();
            let bar = REQUIREMENT_STATES
                .iter()
                .map(|state| {
                    let count = reqs.iter().filter(|r| r.verdict == *state).count();
                    BarSegment {
                        state,
                        count,
                        width: format!("{:.1}", 100.0 * count as f64 / total.max(1) as f64),
                    }
                })
                .filter(|b| b.count > 0)
                .collect();
            let cells = reqs
                .iter()
                .map(|r| RequirementCell {
                    id: r.id.clone(),
                    state: r.verdict.clone(),
                    tip: format!(
                        "{} {}: {}{}",
                        r.id,
                        r.verdict,
                        r.section.as_deref().unwrap_or("no catalogue entry"),
                        r.paraphrase
                            .as_deref()
                            .map(|p| format!(" — {p}"))
                            .unwrap_or_default()
                    ),
                })
                .collect();
            SpecCoverage {
                spec,
                total,
                bar,
                cells,
            }
        })
        .collect()
}

fn scenario_view(
    r: &doc::ScenarioDoc,
    suite: &str,
    prefix: &str,
    reqs: &BTreeMap<&str, &doc::RequirementDoc>,
) -> ScenarioView {
    let mut ids: Vec<String> = r.requirements.clone();
    for c in &r.checks {
        ids.extend(c.requirements.iter().cloned());
    }
    dedup_in_order(&mut ids);
    let requirements = ids
        .iter()
        .map(|id| {
            let info = reqs.get(id.as_str());
            RequirementRef {
                id: id.clone(),
                state: info.map(|i| i.verdict.clone()).unwrap_or_default(),
                level: info.and_then(|i| i.level.clone()).unwrap_or_default(),
                section: info.and_then(|i| i.section.clone()).unwrap_or_default(),
                paraphrase: info.and_then(|i| i.paraphrase.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let mut checks: Vec<&doc::CheckDoc> = r.checks.iter().collect();
    checks.sort_by_key(|c| rank(&c.outcome));
    let bad = matches!(r.verdict.as_str(), "fail" | "error");
    ScenarioView {
        anchor: format!("{prefix}{}", r.id),
        id: r.id.clone(),
        title: r.title.clone(),
        suite: suite.to_string(),
        role: r.role.clone(),
        level: r.level.clone(),
        verdict: r.verdict.clone(),
        reason: r.reason.clone(),
        expected_failure: r
            .expected_failure
            .as_ref()
            .map(|x| format!("`{}`: {}", x.pattern, x.reason)),
        duration: human(r.duration_ms),
        requirement_ids: ids.join(" "),
        requirements,
        sections: r.sections.clone(),
        checks: checks
            .into_iter()
            .map(|c| CheckView {
                outcome: c.outcome.clone(),
                what: c.what.clone(),
                expected: c.expected.clone(),
                actual: c.actual.clone(),
                level: c.level.clone(),
                requirements: c.requirements.join(" "),
                section: c.section.clone(),
                note: c.note.clone(),
            })
            .collect(),
        notes: r.notes.clone(),
        transcript: r.transcript.iter().map(|e| entry_view(e, bad)).collect(),
    }
}

fn entry_view(e: &doc::EntryDoc, open: bool) -> EntryView {
    let arrow = match e.direction.as_str() {
        "sent" => "→",
        "received" => "←",
        _ => "·",
    };
    let base = |kind, segs, raw, size, dump| EntryView {
        at: format!("{:.3} s", e.at_ms as f64 / 1000.0),
        direction: e.direction.clone(),
        arrow,
        channel: e.channel.clone(),
        title: e.title.clone(),
        kind,
        segs,
        raw,
        size,
        dump,
        open,
    };
    if e.kind == "binary" {
        let d = hexdump::dump(&e.hex, &e.fields);
        let size = bytes_human(d.len);
        base("binary", Vec::new(), None, size, Some(d))
    } else {
        let (segs, pretty) = pretty::text(&e.text);
        let raw = pretty.then(|| e.text.clone());
        base("text", segs, raw, bytes_human(e.text.len()), None)
    }
}

fn matrix(reports: &[ReportView]) -> Matrix {
    let mut order: Vec<String> = reports
        .iter()
        .flat_map(|r| r.scenarios.iter().map(|s| s.id.clone()))
        .collect();
    dedup_in_order(&mut order);
    let rows = order
        .into_iter()
        .map(|id| {
            let cells: Vec<Option<MatrixCell>> = reports
                .iter()
                .map(|r| {
                    r.scenarios.iter().find(|s| s.id == id).map(|s| MatrixCell {
                        verdict: s.verdict.clone(),
                        anchor: s.anchor.clone(),
                        reason: s.reason.clone(),
                    })
                })
                .collect();
            let first = reports
                .iter()
                .find_map(|r| r.scenarios.iter().find(|s| s.id == id));
            let mut verdicts: Vec<String> =
                cells.iter().flatten().map(|c| c.verdict.clone()).collect();
            dedup_in_order(&mut verdicts);
            MatrixRow {
                suite: first.map(|s| s.suite.clone()).unwrap_or_default(),
                level: first.map(|s| s.level.clone()).unwrap_or_default(),
                requirement_ids: first.map(|s| s.requirement_ids.clone()).unwrap_or_default(),
                differs: verdicts.len() > 1 || cells.iter().any(Option::is_none),
                verdicts: verdicts.join(" "),
                id,
                cells,
            }
        })
        .collect();
    Matrix {
        columns: reports.iter().map(|r| r.name.clone()).collect(),
        rows,
    }
}
