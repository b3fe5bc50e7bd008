//! `oms-client`: the SUT is an MS-OMS client; the harness plays the OMS web service with a
//! scripted server per scenario, and drives the client through the profile's trigger.

pub mod claims;
pub mod config;
pub mod env;
pub mod probe;
pub mod scenarios;

use config::{ClientConfig, ClientProfile};
use futures::future::BoxFuture;
use harness::profile::{ProfileError, ProfileReader};
use harness::{
    FaultInfo, Prepared, RequirementInfo, Scenario, SetupError, Suite, SuiteConfig, SuiteInfo,
};

pub const NAME: &str = "oms-client";

pub const EXAMPLE_PROFILE: &str = include_str!("example-profile.toml");

pub struct OmsClientSuite;

impl Suite for OmsClientSuite {
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
            .into_iter()
            .map(|s| s.role("client"))
            .collect()
    }

    fn example_profile(&self) -> &'static str {
        EXAMPLE_PROFILE
    }

    fn faults(&self) -> Vec<FaultInfo> {
        mocks::oms::client::FAULTS
            .iter()
            .map(|(name, description)| FaultInfo { name, description })
            .collect()
    }

    fn requirement(&self, id: &str) -> Option<RequirementInfo> {
        crate::oms::evidence::requirement(id)
    }

    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<SuiteConfig, ProfileError> {
        Ok(Box::new(match profile {
            None => ClientConfig::Reference,
            Some(r) => ClientConfig::Profile(Box::new(ClientProfile::read(r)?)),
        }))
    }

    fn static_claims(&self, config: &SuiteConfig) -> Option<std::collections::BTreeSet<String>> {
        match config.downcast_ref::<config::ClientConfig>()? {
            config::ClientConfig::Reference => None,
            config::ClientConfig::Profile(p) => Some(p.claims.clone()),
        }
    }

    fn setup(
        &self,
        config: SuiteConfig,
        faults: Vec<String>,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>> {
        Box::pin(async move {
            let config = config.downcast::<ClientConfig>().map_err(|_| {
                SetupError::Other("oms-client was given another suite\'s configuration".into())
            })?;
            env::setup(*config, faults).await
        })
    }
}
