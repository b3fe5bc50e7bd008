//! `push-listener`: the SUT is a client application's notification web service
//! (MS-OXWSPSNTIF 3.1); the harness plays Exchange, POSTing SendNotification requests and
//! judging every answer.

pub mod claims;
pub mod config;
pub mod env;
pub mod peer;
pub mod scenarios;

use config::{ListenerConfig, ListenerProfile};
use futures::future::BoxFuture;
use harness::profile::{ProfileError, ProfileReader};
use harness::{
    FaultInfo, Prepared, RequirementInfo, Scenario, Setup, SetupError, SuiteInfo, TypedSuite,
};
use std::collections::BTreeSet;

pub const NAME: &str = "push-listener";

pub const EXAMPLE_PROFILE: &str = include_str!("example-profile.toml");

pub struct PushListenerSuite;

impl TypedSuite for PushListenerSuite {
    type Config = ListenerConfig;

    fn info(&self) -> SuiteInfo {
        SuiteInfo {
            name: NAME,
            spec: "MS-OXWSPSNTIF",
            role: "client",
            title: "EWS push notification listener (client web service)",
        }
    }

    fn scenarios(&self) -> Vec<Scenario> {
        scenarios::all()
    }

    fn example_profile(&self) -> &'static str {
        EXAMPLE_PROFILE
    }

    fn faults(&self) -> Vec<FaultInfo> {
        crate::faults::infos(mocks::ews::listener::FAULTS)
    }

    fn variants(&self) -> Vec<FaultInfo> {
        crate::faults::variants(mocks::ews::listener::VARIANTS)
    }

    fn requirement(&self, id: &str) -> Option<RequirementInfo> {
        crate::common::catalogue::requirement(id)
    }

    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<ListenerConfig, ProfileError> {
        Ok(match profile {
            None => ListenerConfig::Reference,
            Some(r) => ListenerConfig::Profile(Box::new(ListenerProfile::read(r)?)),
        })
    }

    fn static_claims(&self, config: &ListenerConfig) -> Option<BTreeSet<String>> {
        match config {
            ListenerConfig::Reference => None,
            ListenerConfig::Profile(p) => Some(p.all_claims()),
        }
    }

    fn setup(
        &self,
        config: ListenerConfig,
        setup: Setup,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>> {
        Box::pin(env::setup(config, setup))
    }
}
