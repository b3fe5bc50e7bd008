//! The oms-server reference variants: conformant configurations under which scenarios the
//! default reference skips (or judges one way only) are shown to pass.

extern crate oxconf_suites as suites;

use harness::runner::{Filter, Planned, RunOptions};
use harness::TypedSuite as _;
use harness::{CheckOutcome, Suite, VerdictKind};
use std::sync::Arc;
use wire::soap::SoapVersion;

async fn run_one(id: &str, variants: &[&str]) -> harness::ScenarioResult {
    let suite: Arc<dyn Suite> = harness::erase(suites::oms::server::OmsServerSuite);
    let config = suite.configure(None).unwrap();
    let report = harness::run(
        vec![Planned::new(suite, config).with_faults(variants.iter().copied())],
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

/// Faults that only exercise an erratum's tolerance: the scenario must come out with a warning
/// naming the erratum, never a failure (they are not failing twins).
#[tokio::test(flavor = "multi_thread")]
async fn erratum_tolerances_warn_and_never_fail() {
    for (id, fault, erratum) in [
        (
            "oms-server/service-info/sender-attributes",
            "legacy-attribute-names",
            "E-OMS-01",
        ),
        (
            "oms-server/user-info/ok",
            "user-info-lowercase-ok",
            "E-OMS-07",
        ),
        (
            "oms-server/deliver/service-update",
            "service-update-lowercase",
            "E-OMS-06",
        ),
    ] {
        let r = run_one(id, &[fault]).await;
        assert_eq!(
            r.verdict.kind,
            VerdictKind::Warn,
            "{id} with {fault}: {}",
            r.verdict.reason
        );
        assert!(
            r.evidence
                .checks
                .iter()
                .any(|c| c.outcome == CheckOutcome::Warn
                    && c.note.as_deref().is_some_and(|n| n.contains(erratum))),
            "{id} with {fault}: no {erratum} tolerance recorded"
        );
        let suite = suites::oms::server::OmsServerSuite;
        let s = suite.scenarios().into_iter().find(|s| s.id == id).unwrap();
        assert!(
            s.caught_by.iter().all(|t| t.fault != fault),
            "{id}: {fault} is a tolerance, not a failing twin"
        );
        assert!(!s.caught_by.is_empty(), "{id} keeps a real twin");
    }
}

/// The service-update scenario changes a private reference peer: the shared one, which every
/// other scenario talks to, never starts sending serviceUpdate.
#[tokio::test(flavor = "multi_thread")]
async fn a_service_change_stays_on_a_private_reference_peer() {
    use suites::oms::server::env::{setup_reference, ServerEnv};
    use wire::oms::{codes, Operation, XmsResponse};
    let prepared = setup_reference(vec![]).await.unwrap();
    let shared = prepared.env.clone().downcast::<ServerEnv>().ok().unwrap();
    let private = shared.private_reference().await.unwrap().unwrap();
    assert_ne!(private.caller.url, shared.caller.url);
    let run = private.service_update.as_ref().unwrap().fire(&[]).await;
    assert!(run.failure_reason().is_none());
    let payload = format!(
        "<xmsData xmlns=\"{}\" client=\"oxconf\"><user><userId>{}</userId><password>{}</password></user>\
         <xmsHead><to><recipient>{}</recipient></to></xmsHead><xmsBody format=\"SMS\">\
         <content contentType=\"text/plain\" contentId=\"1.txt@x\" contentLocation=\"1.txt\">hi</content>\
         </xmsBody></xmsData>",
        wire::oms::OMS_NS,
        shared.account.user,
        shared.account.password,
        shared.recipients[0]
    );
    let has_update = |env: &ServerEnv| {
        let env_caller = env.caller.clone();
        let payload = payload.clone();
        async move {
            let call = env_caller
                .call(Operation::DeliverXms, SoapVersion::V11, Some(&payload))
                .await;
            let r = XmsResponse::parse(call.result_payload().unwrap())
                .unwrap()
                .value;
            r.errors
                .iter()
                .any(|e| e.code.as_deref() == Some(codes::SERVICE_UPDATE))
        }
    };
    assert!(has_update(&private).await, "the private peer was changed");
    assert!(
        !has_update(&shared).await,
        "the shared peer must not see the change"
    );
}

/// The outcome of `id` and whether a check citing `req` failed outright.
async fn fails_citing(id: &str, faults: &[&str], req: &str) -> (VerdictKind, bool) {
    let r = run_one(id, faults).await;
    let failed = r
        .evidence
        .checks
        .iter()
        .any(|c| c.outcome == CheckOutcome::Fail && c.requirements.iter().any(|q| q == req));
    (r.verdict.kind, failed)
}

/// Held to one SMS (no LONG_SMS_SENDER), a server that measures double-byte text in bytes, or
/// refuses exactly at a limit, or measures the parts of an SMS joined, fails outright: the
/// at-limit probes are binding there. With LONG_SMS_SENDER, the probes at the 255-segment
/// ceiling are a reading of the suite, so the same servers only warn.
#[tokio::test(flavor = "multi_thread")]
async fn at_limit_probes_fail_when_binding_and_warn_at_the_concatenation_ceiling() {
    for (id, fault, req) in [
        (
            "oms-server/deliver/length-limit",
            "dbcs-counted-as-bytes",
            "OMS-R120",
        ),
        (
            "oms-server/deliver/length-limit",
            "limit-off-by-one",
            "OMS-R120",
        ),
        (
            "oms-server/deliver/multi-part-sms",
            "merges-parts-for-limit",
            "OMS-R084",
        ),
    ] {
        let (kind, failed) = fails_citing(id, &["no-long-sms", fault], req).await;
        assert!(
            kind == VerdictKind::Fail && failed,
            "{id} with no-long-sms and {fault}: {kind}"
        );
        let (kind, failed) = fails_citing(id, &[fault], req).await;
        assert!(
            kind == VerdictKind::Warn && !failed,
            "{id} with {fault} (LONG_SMS_SENDER): {kind}"
        );
    }
}

/// Limits whose at-limit probe is binding in the default reference fail outright when the
/// server refuses exactly at the limit.
#[tokio::test(flavor = "multi_thread")]
async fn refusing_exactly_at_a_count_limit_fails() {
    for (id, req) in [
        ("oms-server/deliver/multi-part-sms", "OMS-R119"),
        ("oms-server/deliver/too-many-recipients", "OMS-R118"),
        ("oms-server/deliver/slides-limit", "OMS-R050"),
        ("oms-server/batch/over-batch-size", "OMS-R114"),
    ] {
        let (kind, failed) = fails_citing(id, &["limit-off-by-one"], req).await;
        assert!(kind == VerdictKind::Fail && failed, "{id}: {kind}");
    }
}

/// "ok" with severity "failure" breaks OMS-R036 wherever it appears: in a partial delivery,
/// and in the answers SendXms is compared with (equal outcomes do not make it right).
#[tokio::test(flavor = "multi_thread")]
async fn ok_with_failure_severity_fails_in_partial_deliveries_and_send_xms() {
    for (id, fault) in [
        (
            "oms-server/deliver/invalid-recipient",
            "ok-with-failure-severity-on-partial",
        ),
        (
            "oms-server/deliver/severity-pairs",
            "ok-with-failure-severity-on-partial",
        ),
        (
            "oms-server/send-xms/same-as-deliver",
            "ok-with-failure-severity-on-partial",
        ),
        (
            "oms-server/send-xms/same-as-deliver",
            "ok-with-failure-severity",
        ),
    ] {
        let (kind, failed) = fails_citing(id, &[fault], "OMS-R036").await;
        assert!(
            kind == VerdictKind::Fail && failed,
            "{id} with {fault}: {kind}"
        );
    }
}

/// A success code that is neither "OK" nor the example's "ok" fails OMS-R133; a serviceUpdate
/// with severity "failure" fails OMS-R058.
#[tokio::test(flavor = "multi_thread")]
async fn spelling_requirements_have_failing_cases() {
    for (id, fault, req) in [
        (
            "oms-server/user-info/ok",
            "user-info-mixed-case-ok",
            "OMS-R133",
        ),
        (
            "oms-server/deliver/service-update",
            "service-update-failure-severity",
            "OMS-R058",
        ),
    ] {
        let (kind, failed) = fails_citing(id, &[fault], req).await;
        assert!(
            kind == VerdictKind::Fail && failed,
            "{id} with {fault}: {kind}"
        );
    }
}

/// Wording on the actual side of a check that reads like a failure.
fn reads_like_a_failure(actual: &str) -> bool {
    let a = actual.trim().to_ascii_lowercase();
    a.is_empty()
        || ["none", "absent", "missing", "[]", "nothing", "false"].contains(&a.as_str())
        || a.starts_with("no ")
        || a.starts_with("missing")
        || a.starts_with("got none")
}

/// Passing checks read as passes: against the reference (and its variants), no passing check
/// shows "none", "absent", "missing ..." or "no ..." as what it observed, unless it expected
/// exactly that absence. (A clean document used to read "expected no schema or structure
/// findings, got none".)
#[tokio::test(flavor = "multi_thread")]
async fn passing_checks_show_what_was_observed() {
    let suite: Arc<dyn Suite> = harness::erase(suites::oms::server::OmsServerSuite);
    let mut offenders = Vec::new();
    for variants in [&[][..], &["no-batch"][..], &["no-long-sms"][..]] {
        let config = suite.configure(None).unwrap();
        let report = harness::run(
            vec![Planned::new(Arc::clone(&suite), config).with_faults(variants.iter().copied())],
            RunOptions::default(),
        )
        .await;
        for r in report.results() {
            for c in &r.evidence.checks {
                // "expected absent, got absent" reads right; "expected no findings, got none"
                // does not.
                let absence_expected = c
                    .expected
                    .to_ascii_lowercase()
                    .contains(&c.actual.trim().to_ascii_lowercase());
                if c.outcome == CheckOutcome::Pass
                    && reads_like_a_failure(&c.actual)
                    && !absence_expected
                {
                    offenders.push(format!(
                        "{} `{}`: expected {:?}, actual {:?}",
                        r.id, c.what, c.expected, c.actual
                    ));
                }
            }
        }
    }
    offenders.sort();
    offenders.dedup();
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}
