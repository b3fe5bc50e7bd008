//! push-listener scenarios, one module per concern: what is sent (each notification kind),
//! what is answered, whose subscription it is, robustness, and the transports.

mod answer;
mod identity;
mod notify;
mod robust;
mod transport;

use super::env::ListenerEnv;
use crate::common::nonce::Nonces;
use crate::push::common::{judge_answer, post_notification, Answered, Expect, Notifications, Post};
use harness::{Cx, Scenario, Stop};
use mocks::net::Exchange;
use std::sync::Arc;
use wire::ews::{Prefixes, SendNotification};
use wire::soap::SoapVersion;

pub fn all() -> Vec<Scenario> {
    let mut v = Vec::new();
    v.extend(notify::all());
    v.extend(answer::all());
    v.extend(identity::all());
    v.extend(robust::all());
    v.extend(transport::all());
    v
}

/// One scenario's view of the listener: its context, the environment and its notifications.
pub(crate) struct Push {
    pub(crate) cx: Cx,
    pub(crate) env: Arc<ListenerEnv>,
    pub(crate) n: Notifications,
}

impl Push {
    pub(crate) fn new(cx: &Cx) -> Result<Push, Stop> {
        let env = cx.env::<ListenerEnv>()?;
        let nonce = Nonces::new().next(cx.id());
        let n = Notifications::new(&nonce, env.subscription_id.as_deref());
        Ok(Push {
            cx: cx.clone(),
            env,
            n,
        })
    }

    pub(crate) async fn post(&self, title: &str, post: &Post) -> Exchange {
        post_notification(&self.cx, &self.env.http, &self.env.url, title, post).await
    }

    pub(crate) fn expect<'a>(
        &self,
        what: &'a str,
        version: SoapVersion,
        accept: &'a [&'a str],
    ) -> Expect<'a> {
        Expect {
            what,
            version,
            accept,
            deadline: Some(self.env.deadline),
        }
    }

    /// Sends `n` over SOAP 1.1 in the conventional prefixes and judges the answer.
    pub(crate) async fn notify(
        &self,
        what: &str,
        n: &SendNotification,
        accept: &[&str],
    ) -> Result<Answered, Stop> {
        self.notify_as(what, n, SoapVersion::V11, &Prefixes::Conventional, accept)
            .await
    }

    pub(crate) async fn notify_as(
        &self,
        what: &str,
        n: &SendNotification,
        version: SoapVersion,
        prefixes: &Prefixes,
        accept: &[&str],
    ) -> Result<Answered, Stop> {
        let exchange = self
            .post(what, &Post::notification(version, n, prefixes))
            .await;
        judge_answer(&self.cx, &exchange, &self.expect(what, version, accept))
    }
}
