//! `oms-server`: the SUT is an MS-OMS web service; the harness plays the client (and the mail
//! system that receives phone replies).

pub mod claims;
pub mod config;
pub mod env;
pub mod mail_probe;
pub mod preflight;
pub mod probe;
pub mod scenarios;

use config::{ServerConfig, ServerProfile};
use futures::future::BoxFuture;
use harness::profile::{ProfileError, ProfileReader};
use harness::{
    FaultInfo, Prepared, RequirementInfo, Scenario, SetupError, Suite, SuiteConfig, SuiteInfo,
};

pub const NAME: &str = "oms-server";

pub const EXAMPLE_PROFILE: &str = include_str!("example-profile.toml");

pub struct OmsServerSuite;

impl Suite for OmsServerSuite {
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
            .into_iter()
            .map(|s| s.role("server"))
            .collect()
    }

    fn example_profile(&self) -> &'static str {
        EXAMPLE_PROFILE
    }

    fn faults(&self) -> Vec<FaultInfo> {
        mocks::oms::server::FAULTS
            .iter()
            .map(|(name, description)| FaultInfo { name, description })
            .collect()
    }

    fn variants(&self) -> Vec<FaultInfo> {
        mocks::oms::server::VARIANTS
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
            None => ServerConfig::Reference,
            Some(r) => ServerConfig::Profile(Box::new(ServerProfile::read(r)?)),
        }))
    }

    fn static_claims(&self, config: &SuiteConfig) -> Option<std::collections::BTreeSet<String>> {
        match config.downcast_ref::<ServerConfig>()? {
            ServerConfig::Reference => None,
            ServerConfig::Profile(p) => Some(p.all_claims()),
        }
    }

    fn setup(
        &self,
        config: SuiteConfig,
        faults: Vec<String>,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>> {
        Box::pin(async move {
            let config = config.downcast::<ServerConfig>().map_err(|_| {
                SetupError::Other("oms-server was given another suite\'s configuration".into())
            })?;
            env::setup(*config, faults).await
        })
    }
}
