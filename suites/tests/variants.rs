//! The oms-server reference variants: conformant configurations under which scenarios the
//! default reference skips (or judges one way only) are shown to pass.

extern crate oxconf_suites as suites;

use harness::runner::{Filter, Planned, RunOptions};
use harness::{CheckOutcome, Suite, VerdictKind};
use std::sync::Arc;

async fn run_one(id: &str, variants: &[&str]) -> harness::ScenarioResult {
    let suite: Arc<dyn Suite> = Arc::new(suites::oms::server::OmsServerSuite);
    let config = suite.configure(None).unwrap();
    let report = harness::run(
        vec![Planned {
            suite,
            config,
            faults: variants.iter().map(|s| s.to_string()).collect(),
        }],
        RunOptions {
            filter: Filter::exact(&[id.to_string()]),
            ..RunOptions::default()
        },
    )
    .await;
    let result = report.results().find(|r| r.id == id).unwrap().clone();
    result
}

#[tokio::test(flavor = "multi_thread")]
async fn every_declared_variant_exists_and_its_scenario_passes_there() {
    let suite = suites::oms::server::OmsServerSuite;
    let known: Vec<&str> = suite.variants().iter().map(|v| v.name).collect();
    let mut checked = 0;
    for s in suite.scenarios() {
        for v in &s.passes_with {
            assert!(known.contains(&v.as_str()), "{}: unknown variant {v}", s.id);
            let r = run_one(&s.id, &[v]).await;
            assert_eq!(
                r.verdict.kind,
                VerdictKind::Pass,
                "{} with {v}: {}",
                s.id,
                r.verdict.reason
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_batch_support_skips_by_default_and_passes_with_no_batch() {
    let id = "oms-server/batch/no-batch-support";
    assert_eq!(run_one(id, &[]).await.verdict.kind, VerdictKind::Skip);
    assert_eq!(
        run_one(id, &["no-batch"]).await.verdict.kind,
        VerdictKind::Pass
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_soap11_fault_with_http_400_passes_with_a_warning() {
    let id = "oms-server/soap/fault-well-formed";
    let r = run_one(id, &["faults-as-400"]).await;
    assert_eq!(r.verdict.kind, VerdictKind::Warn, "{}", r.verdict.reason);
    let warned: Vec<_> = r
        .evidence
        .checks
        .iter()
        .filter(|c| c.outcome == CheckOutcome::Warn)
        .collect();
    assert!(!warned.is_empty());
    for c in &warned {
        assert!(
            c.expected.contains("HTTP 500") && c.actual == "HTTP 400",
            "{c:?}"
        );
    }
    assert!(r
        .evidence
        .checks
        .iter()
        .all(|c| c.outcome != CheckOutcome::Fail));
    // The default reference sends its faults with 500: no warning.
    assert_eq!(run_one(id, &[]).await.verdict.kind, VerdictKind::Pass);
}
