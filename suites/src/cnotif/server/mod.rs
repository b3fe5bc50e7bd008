//! `notif-server`: the SUT is a MAPI/HTTP server delivering core notifications. The harness
//! logs on, registers, causes events itself (RopCreateMessage and RopSaveChangesMessage) and
//! judges the RopNotify and RopPending responses and NotificationWait (MS-OXCNOTIF with
//! MS-OXCROPS and MS-OXCMAPIHTTP).

pub mod config;
pub mod env;
pub mod mapi;
pub mod peer;
pub mod scenarios;

use config::{NotifConfig, NotifProfile};
use futures::future::BoxFuture;
use harness::profile::{ProfileError, ProfileReader};
use harness::{
    FaultInfo, Prepared, RequirementInfo, Scenario, Setup, SetupError, SuiteInfo, TypedSuite,
};

pub const NAME: &str = "notif-server";

pub const EXAMPLE_PROFILE: &str = include_str!("example-profile.toml");

pub struct NotifServerSuite;

impl TypedSuite for NotifServerSuite {
    type Config = NotifConfig;

    fn info(&self) -> SuiteInfo {
        SuiteInfo {
            name: NAME,
            spec: "MS-OXCNOTIF",
            role: "server",
            title: "MAPI/HTTP server delivering core notifications",
        }
    }

    fn scenarios(&self) -> Vec<Scenario> {
        scenarios::all()
    }

    fn example_profile(&self) -> &'static str {
        EXAMPLE_PROFILE
    }

    fn faults(&self) -> Vec<FaultInfo> {
        crate::faults::infos(mocks::cnotif::server::FAULTS)
    }

    fn requirement(&self, id: &str) -> Option<RequirementInfo> {
        crate::common::catalogue::requirement(id)
    }

    fn configure(
        &self,
        profile: Option<&mut ProfileReader<'_>>,
    ) -> Result<NotifConfig, ProfileError> {
        Ok(match profile {
            None => NotifConfig::Reference,
            Some(r) => NotifConfig::Profile(Box::new(NotifProfile::read(r)?)),
        })
    }

    fn setup(
        &self,
        config: NotifConfig,
        setup: Setup,
    ) -> BoxFuture<'static, Result<Prepared, SetupError>> {
        Box::pin(env::setup(config, setup))
    }
}
