//! Turning what `wire` and `mocks` observed into harness evidence: exchanges into transcript
//! entries, findings into checks weighted by the catalogue's level for their requirement.

use harness::{Check, CheckOutcome, Cx, Level, RequirementInfo, Stop};
use mocks::net::Exchange;
use std::collections::HashMap;
use std::sync::OnceLock;
use wire::{Finding, Severity};

/// The catalogue's level for a requirement id (MUST when unknown, so nothing is softened by
/// accident).
pub fn level_of(id: &str) -> Level {
    static LEVELS: OnceLock<HashMap<String, Level>> = OnceLock::new();
    let levels = LEVELS.get_or_init(|| {
        crate::catalog()
            .requirements
            .iter()
            .map(|r| (r.id.clone(), Level::parse(&r.level).unwrap_or(Level::Must)))
            .collect()
    });
    levels.get(id).copied().unwrap_or(Level::Must)
}

/// The catalogue entry of a requirement id, as the engine wants it.
pub fn requirement(id: &str) -> Option<RequirementInfo> {
    static ENTRIES: OnceLock<HashMap<String, RequirementInfo>> = OnceLock::new();
    let entries = ENTRIES.get_or_init(|| {
        crate::catalog()
            .requirements
            .iter()
            .map(|r| {
                let info = RequirementInfo {
                    id: r.id.clone(),
                    spec: r.spec.clone(),
                    section: r.section.clone(),
                    level: Level::parse(&r.level).unwrap_or(Level::Must),
                    role: r.role.clone(),
                    testability: r.testability.clone(),
                    paraphrase: r.paraphrase.clone(),
                };
                (r.id.clone(), info)
            })
            .collect()
    });
    entries.get(id).cloned()
}

/// The section a requirement comes from ("MS-OMS 2.2.4.4"), for check records; empty when the
/// catalogue does not hold the id.
pub fn section_of(id: &str) -> String {
    requirement(id)
        .map(|r| r.cited_section())
        .unwrap_or_default()
}

/// Records one HTTP exchange: the request as sent, then the response or why there was none.
pub fn record_exchange(cx: &Cx, title: &str, exchange: &Exchange) {
    cx.sent("http", title, &exchange.request_text());
    let status = match &exchange.result {
        Ok(r) => format!("{title}: HTTP {}", r.status),
        Err(_) => format!("{title}: no response"),
    };
    cx.received("http", &status, &exchange.response_text());
}

/// Records every finding as a check. Violations fail at MUST/STRUCTURE, warn at SHOULD;
/// deviations and advice warn. With no finding at all, one passing check says so, so the
/// evidence shows the document was validated. Returns `Err(Stop::Failed)` after recording when
/// a binding rule was broken, so `?` ends the scenario with every finding on record.
pub fn record_findings(
    cx: &Cx,
    what: &str,
    findings: &[Finding],
    default_requirements: &[&str],
) -> Result<(), Stop> {
    if findings.is_empty() {
        let reqs: Vec<String> = default_requirements.iter().map(|s| s.to_string()).collect();
        let section = reqs.first().map(|r| section_of(r)).unwrap_or_default();
        let mut checks = cx.checks();
        if !reqs.is_empty() {
            checks = checks.cite(reqs).section(section);
        }
        checks.check(
            what,
            true,
            "no schema or structure findings",
            "conforms: no findings",
        );
        return Ok(());
    }
    let mut binding_failure = false;
    for f in findings {
        let reqs: Vec<String> = match f.requirement {
            Some(r) => vec![r.to_string()],
            None => default_requirements.iter().map(|s| s.to_string()).collect(),
        };
        let level = match f.severity {
            Severity::Violation => reqs.first().map(|r| level_of(r)).unwrap_or(Level::Must),
            Severity::Advice | Severity::Deviation { .. } => Level::Should,
        };
        let outcome = match f.severity {
            Severity::Violation => Check::failed_outcome(level),
            Severity::Advice | Severity::Deviation { .. } => CheckOutcome::Warn,
        };
        if outcome == CheckOutcome::Fail {
            binding_failure = true;
        }
        let note = match f.severity {
            Severity::Deviation { erratum } => Some(format!("tolerated per erratum {erratum}")),
            _ => None,
        };
        cx.record(Check {
            what: format!("{what} [{}]", f.rule),
            section: reqs.first().map(|r| section_of(r)).unwrap_or_default(),
            requirements: reqs,
            level,
            outcome,
            expected: format!("conforms at {}", f.path),
            actual: f.message.clone(),
            note,
        });
    }
    if binding_failure {
        Err(Stop::Failed)
    } else {
        Ok(())
    }
}
