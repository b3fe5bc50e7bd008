//! `oms-client`: the SUT is an MS-OMS client; the harness plays the OMS web service with a
//! scripted server per scenario, and drives the client through the profile's trigger.

pub mod claims;
pub mod config;
pub mod contract;
pub mod env;
pub mod peer;
pub mod probe;
pub mod scenarios;

use config::{ClientConfig, ClientProfile};
use futures::future::BoxFuture;
use harness::profile::{ProfileError, ProfileReader};
use harness::{
    FaultInfo, Prepared, RequirementInfo, Scenario, Setup, SetupError, SuiteInfo, TypedSuite,
};
use std::collections::BTreeSet;

pub const NAME: &str = "oms-client";

pub const EXAMPLE_PROFILE: &str = include_str!("example-profile.toml");

pub struct OmsClientSuite;

impl TypedSuite for OmsClientSuite {
    type Config = ClientConfig;

    fn info(&self) -> SuiteInfo {
        SuiteInfo {
            name: NAME,
            spec: "MS-OMS",
            role: "client",
            title: "Office Mobile Service client",
        }
    }

    fn scenarios(&self) -> Vec<Scenario> {
        scenarios::all()
    }

    fn example_profile(&self) -> &'static str {
        EXAMPLE_PROFILE
    }

    fn faults(&self) -> Vec<FaultInfo> {
        crate::faults::infos(mocks::oms::client::FAULTS)
    }

    fn variants(&self) -> Vec<FaultInfo> {
        crate::faults::variants(mocks::oms::client::VARIANTS)
    }

    fn requirement(&self, id: &str) -> Option<RequirementInfo> {
        crate::common::catalogue::requirement(id)
    }

    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<ClientConfig, ProfileError> {
        Ok(match profile {
            None => ClientConfig::Reference,
            Some(r) => ClientConfig::Profile(Box::new(ClientProfile::read(r)?)),
        })
    }

    fn static_claims(&self, config: &ClientConfig) -> Option<BTreeSet<String>> {
        match config {
            ClientConfig::Reference => None,
            ClientConfig::Profile(p) => Some(p.claims.clone()),
        }
    }

    fn setup(
        &self,
        config: ClientConfig,
        setup: Setup,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>> {
        Box::pin(env::setup(config, setup))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use harness::runner::{Filter, Planned, RunOptions};
    use harness::VerdictKind;
    use std::sync::Arc;

    fn run(faults: &[&str], filter: &str) -> harness::RunReport {
        let suite: Arc<dyn harness::Suite> = harness::erase(OmsClientSuite);
        let config = suite.configure(None).expect("reference configuration");
        let opts = RunOptions {
            filter: Filter::globs(&[filter]).expect("glob"),
            ..RunOptions::default()
        };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(harness::run(
            vec![Planned::new(suite, config).with_faults(faults.iter().copied())],
            opts,
        ))
    }

    /// The example profile's trigger parses and hands the client the profile's account.
    #[test]
    fn example_profile_trigger_parses() {
        use config::{DEFAULT_TRIGGER_TIMEOUT, PLACEHOLDERS};
        let line = EXAMPLE_PROFILE
            .lines()
            .find(|l| l.starts_with("trigger = "))
            .expect("a trigger line");
        let template = line.split('"').nth(1).expect("quoted");
        assert!(
            harness::TriggerCommand::parse(template, PLACEHOLDERS, DEFAULT_TRIGGER_TIMEOUT).is_ok()
        );
        assert!(template.contains("{user}") && template.contains("{password}"));
    }

    fn role_of(id: &str) -> String {
        crate::common::catalogue::requirement(id)
            .map(|r| r.role)
            .unwrap_or_else(|| "unknown".into())
    }

    /// A client suite never cites a requirement that binds only the server: neither in a
    /// scenario's list nor in any check the reference run records.
    #[test]
    fn cites_no_server_only_requirement() {
        let mut problems = Vec::new();
        for s in OmsClientSuite.scenarios() {
            for id in &s.requirements {
                if role_of(id) == "server" {
                    problems.push(format!("{}: lists {id}", s.id));
                }
            }
            for t in &s.caught_by {
                for id in &t.breaks {
                    if role_of(id) == "server" {
                        problems.push(format!("{}: twin {} breaks {id}", s.id, t.fault));
                    }
                }
            }
        }
        let report = run(&[], "oms-client/*");
        assert!(report.results().count() > 20);
        for r in report.results() {
            for c in &r.evidence.checks {
                for id in &c.requirements {
                    if role_of(id) == "server" {
                        problems.push(format!("{}: check {:?} cites {id}", r.id, c.what));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// A client that numbers each DeliverXmsBatch's items itself is conformant: every batch
    /// scenario passes with it (they failed such a client four times before).
    #[test]
    fn every_batch_scenario_passes_with_renumbered_items() {
        assert!(OmsClientSuite
            .variants()
            .iter()
            .any(|v| v.name == mocks::oms::client::RENUMBER_BATCH_ITEMS));
        let report = run(
            &[mocks::oms::client::RENUMBER_BATCH_ITEMS],
            "oms-client/batch/*",
        );
        let results: Vec<_> = report.results().collect();
        assert_eq!(results.len(), 5);
        for r in results {
            assert_eq!(
                r.verdict.kind,
                VerdictKind::Pass,
                "{}: {}",
                r.id,
                r.verdict.reason
            );
        }
    }

    /// The reference client's requests pass the checks run over every request, and those
    /// checks run in every scenario (one per request at least).
    #[test]
    fn every_scenario_checks_every_request() {
        let report = run(&[], "oms-client/*");
        for r in report.results() {
            assert_eq!(
                r.verdict.kind,
                VerdictKind::Pass,
                "{}: {}",
                r.id,
                r.verdict.reason
            );
            assert!(
                r.evidence
                    .checks
                    .iter()
                    .any(|c| c.what.starts_with("client request 1 ")),
                "{}: no request check",
                r.id
            );
        }
    }

    /// A status-blind client (5xx with a well-formed ok result counted as delivered) fails
    /// http-status with a check citing OMS-R097, under the default (non-strict) run too.
    #[test]
    fn status_blind_client_breaks_r097() {
        let report = run(
            &["http-error-is-success"],
            "oms-client/interpret/http-status",
        );
        let r = report.results().next().expect("one result");
        assert!(r
            .evidence
            .checks
            .iter()
            .any(|c| c.outcome != harness::CheckOutcome::Pass
                && c.outcome != harness::CheckOutcome::Info
                && c.requirements.iter().any(|id| id == "OMS-R097")
                && c.what.contains("well-formed ok")));
    }

    /// Batch-only and MMS-only request defects are caught by the request checks.
    #[test]
    fn batch_and_mms_request_defects_are_caught() {
        for (fault, scenario, id) in [
            (
                "batch-wrong-soap-action",
                "oms-client/batch/per-id-errors",
                "OMS-R106",
            ),
            (
                "batch-password-in-reply-phone",
                "oms-client/batch/missing-id",
                "OMS-R079",
            ),
            (
                "batch-format-lowercase",
                "oms-client/batch/unique-ids",
                "OMS-R083",
            ),
            ("mms-wrong-namespace", "oms-client/mms/smil", "OMS-R007"),
        ] {
            let report = run(&[fault], scenario);
            let r = report.results().next().expect("one result");
            assert_eq!(r.verdict.kind, VerdictKind::Fail, "{fault} in {scenario}");
            assert!(
                r.evidence
                    .checks
                    .iter()
                    .any(|c| c.outcome == harness::CheckOutcome::Fail
                        && c.requirements.iter().any(|x| x == id)),
                "{fault}: no failing check cites {id}"
            );
        }
    }
}
