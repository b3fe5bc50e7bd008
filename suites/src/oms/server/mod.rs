//! `oms-server`: the SUT is an MS-OMS web service; the harness plays the client (and the mail
//! system that receives phone replies).

pub mod claims;
pub mod config;
pub mod env;
pub mod mail_probe;
pub mod peer;
pub mod preflight;
pub mod probe;
pub mod scenarios;

use config::{ServerConfig, ServerProfile};
use futures::future::BoxFuture;
use harness::profile::{ProfileError, ProfileReader};
use harness::{
    FaultInfo, Prepared, RequirementInfo, Scenario, Setup, SetupError, SuiteInfo, TypedSuite,
};
use std::collections::BTreeSet;

pub const NAME: &str = "oms-server";

pub const EXAMPLE_PROFILE: &str = include_str!("example-profile.toml");

pub struct OmsServerSuite;

impl TypedSuite for OmsServerSuite {
    type Config = ServerConfig;

    fn info(&self) -> SuiteInfo {
        SuiteInfo {
            name: NAME,
            spec: "MS-OMS",
            role: "server",
            title: "Office Mobile Service web service",
        }
    }

    fn scenarios(&self) -> Vec<Scenario> {
        scenarios::all()
    }

    fn example_profile(&self) -> &'static str {
        EXAMPLE_PROFILE
    }

    fn faults(&self) -> Vec<FaultInfo> {
        crate::faults::infos(mocks::oms::server::FAULTS)
    }

    fn variants(&self) -> Vec<FaultInfo> {
        crate::faults::variants(mocks::oms::server::VARIANTS)
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
            ServerConfig::Profile(p) => Some(p.all_claims()),
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
