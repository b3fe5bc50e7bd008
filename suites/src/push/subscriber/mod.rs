//! `push-subscriber`: the SUT is an application that creates push subscriptions. Per scenario
//! the suite starts a mock EWS endpoint, runs the trigger once (the subscriber contract), and
//! judges the Subscribe request and what the app reported.

pub mod claims;
pub mod config;
pub mod env;
pub mod scenarios;

use config::{SubscriberConfig, SubscriberProfile};
use futures::future::BoxFuture;
use harness::profile::{ProfileError, ProfileReader};
use harness::{
    FaultInfo, Prepared, RequirementInfo, Scenario, Setup, SetupError, SuiteInfo, TypedSuite,
};
use std::collections::BTreeSet;

pub const NAME: &str = "push-subscriber";

pub const EXAMPLE_PROFILE: &str = include_str!("example-profile.toml");

pub struct PushSubscriberSuite;

impl TypedSuite for PushSubscriberSuite {
    type Config = SubscriberConfig;

    fn info(&self) -> SuiteInfo {
        SuiteInfo {
            name: NAME,
            spec: "MS-OXWSNTIF",
            role: "client",
            title: "EWS push subscriber application",
        }
    }

    fn scenarios(&self) -> Vec<Scenario> {
        scenarios::all()
    }

    fn example_profile(&self) -> &'static str {
        EXAMPLE_PROFILE
    }

    fn faults(&self) -> Vec<FaultInfo> {
        crate::faults::infos(mocks::ews::subscriber::FAULTS)
    }

    fn variants(&self) -> Vec<FaultInfo> {
        crate::faults::variants(mocks::ews::subscriber::VARIANTS)
    }

    fn requirement(&self, id: &str) -> Option<RequirementInfo> {
        crate::common::catalogue::requirement(id)
    }

    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<SubscriberConfig, ProfileError> {
        Ok(match profile {
            None => SubscriberConfig::Reference,
            Some(r) => SubscriberConfig::Profile(Box::new(SubscriberProfile::read(r)?)),
        })
    }

    fn static_claims(&self, config: &SubscriberConfig) -> Option<BTreeSet<String>> {
        match config {
            SubscriberConfig::Reference => None,
            SubscriberConfig::Profile(p) => Some(if p.own_listener {
                BTreeSet::from([claims::OWN_LISTENER.name.to_string()])
            } else {
                BTreeSet::new()
            }),
        }
    }

    fn setup(
        &self,
        config: SubscriberConfig,
        setup: Setup,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>> {
        Box::pin(env::setup(config, setup))
    }
}
