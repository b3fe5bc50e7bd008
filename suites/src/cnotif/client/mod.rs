//! `notif-client`: the SUT is a MAPI client receiving core notifications over MAPI/HTTP. Per
//! scenario the suite starts a scripted MAPI/HTTP server, runs the client against it (the
//! trigger contract in the README), waits until the client has registered, then injects
//! notifications and judges what the client printed and how it waited, polled and followed
//! RopPending and datagrams (MS-OXCNOTIF 3.2).

pub mod claims;
pub mod config;
pub mod env;
pub mod peer;
pub mod scenarios;

use config::{ClientConfig, ClientProfile};
use futures::future::BoxFuture;
use harness::profile::{ProfileError, ProfileReader};
use harness::{
    FaultInfo, Prepared, RequirementInfo, Scenario, Setup, SetupError, SuiteInfo, TypedSuite,
};
use std::collections::BTreeSet;

pub const NAME: &str = "notif-client";

pub const EXAMPLE_PROFILE: &str = include_str!("example-profile.toml");

pub struct NotifClientSuite;

impl TypedSuite for NotifClientSuite {
    type Config = ClientConfig;

    fn info(&self) -> SuiteInfo {
        SuiteInfo {
            name: NAME,
            spec: "MS-OXCNOTIF",
            role: "client",
            title: "MAPI client receiving core notifications",
        }
    }

    fn scenarios(&self) -> Vec<Scenario> {
        scenarios::all()
    }

    fn example_profile(&self) -> &'static str {
        EXAMPLE_PROFILE
    }

    fn faults(&self) -> Vec<FaultInfo> {
        crate::faults::infos(mocks::cnotif::client::FAULTS)
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
            ClientConfig::Profile(p) => Some(if p.udp_push {
                BTreeSet::from([claims::UDP_PUSH.name.to_string()])
            } else {
                BTreeSet::new()
            }),
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
