//! `push-server`: the SUT is an Exchange-like EWS server that delivers push notifications.
//! The harness subscribes over EWS, receives the notifications on listeners of its own (the
//! reference listener's code), and causes events with EWS item operations or `push.trigger`.

pub mod claims;
pub mod config;
pub mod env;
pub mod ews;
pub mod judge;
pub mod peer;
pub mod scenarios;

use config::{ServerConfig, ServerProfile};
use futures::future::BoxFuture;
use harness::profile::{ProfileError, ProfileReader};
use harness::{
    FaultInfo, Prepared, RequirementInfo, Scenario, Setup, SetupError, SuiteInfo, TypedSuite,
};
use std::collections::BTreeSet;

pub const NAME: &str = "push-server";

pub const EXAMPLE_PROFILE: &str = include_str!("example-profile.toml");

pub struct PushServerSuite;

impl TypedSuite for PushServerSuite {
    type Config = ServerConfig;

    fn info(&self) -> SuiteInfo {
        SuiteInfo {
            name: NAME,
            spec: "MS-OXWSPSNTIF",
            role: "server",
            title: "EWS push notification server (Exchange)",
        }
    }

    fn scenarios(&self) -> Vec<Scenario> {
        scenarios::all()
    }

    fn example_profile(&self) -> &'static str {
        EXAMPLE_PROFILE
    }

    fn faults(&self) -> Vec<FaultInfo> {
        crate::faults::infos(mocks::ews::server::FAULTS)
    }

    fn variants(&self) -> Vec<FaultInfo> {
        crate::faults::variants(mocks::ews::server::VARIANTS)
    }

    fn requirement(&self, id: &str) -> Option<RequirementInfo> {
        crate::common::catalogue::requirement(id)
    }

    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<ServerConfig, ProfileError> {
        Ok(match profile {
            None => ServerConfig::Reference,
            Some(r) => ServerConfig::Profile(Box::new(ServerProfile::read(r)?)),
        })
    }

    fn static_claims(&self, config: &ServerConfig) -> Option<BTreeSet<String>> {
        match config {
            ServerConfig::Reference => None,
            ServerConfig::Profile(p) => Some(if p.trigger.is_none() {
                BTreeSet::from([claims::CREATE_ITEM.name.to_string()])
            } else {
                BTreeSet::new()
            }),
        }
    }

    fn setup(
        &self,
        config: ServerConfig,
        setup: Setup,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>> {
        Box::pin(env::setup(config, setup))
    }
}
