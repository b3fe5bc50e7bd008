//! `notif-decoder`: the SUT is any decoder of RopNotify NotificationData (MS-OXCNOTIF
//! 2.2.1.4.1.1), driven by the decoder command contract of the RopNotify decode format. Every
//! vector of `vectors/cnotif/notification-data.json` is judged: valid buffers must decode to
//! exactly their canonical JSON, invalid ones must be refused (with the expected rule, or a
//! warning), acceptable ones are recorded only.

pub mod config;
pub mod env;
pub mod peer;
pub mod scenarios;
pub mod vectors;

use config::{DecoderConfig, DecoderProfile};
use futures::future::BoxFuture;
use harness::profile::{ProfileError, ProfileReader};
use harness::{
    FaultInfo, Prepared, RequirementInfo, Scenario, Setup, SetupError, SuiteInfo, TypedSuite,
};

pub const NAME: &str = "notif-decoder";

pub const EXAMPLE_PROFILE: &str = include_str!("example-profile.toml");

pub struct NotifDecoderSuite;

impl TypedSuite for NotifDecoderSuite {
    type Config = DecoderConfig;

    fn info(&self) -> SuiteInfo {
        SuiteInfo {
            name: NAME,
            spec: "MS-OXCNOTIF",
            role: "client",
            title: "RopNotify NotificationData decoder",
        }
    }

    fn scenarios(&self) -> Vec<Scenario> {
        scenarios::all()
    }

    fn example_profile(&self) -> &'static str {
        EXAMPLE_PROFILE
    }

    fn faults(&self) -> Vec<FaultInfo> {
        crate::faults::infos(mocks::cnotif::decoder::FAULTS)
    }

    fn requirement(&self, id: &str) -> Option<RequirementInfo> {
        crate::common::catalogue::requirement(id)
    }

    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<DecoderConfig, ProfileError> {
        Ok(match profile {
            None => DecoderConfig::Reference,
            Some(r) => DecoderConfig::Profile(Box::new(DecoderProfile::read(r)?)),
        })
    }

    fn setup(
        &self,
        config: DecoderConfig,
        setup: Setup,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>> {
        Box::pin(env::setup(config, setup))
    }
}
