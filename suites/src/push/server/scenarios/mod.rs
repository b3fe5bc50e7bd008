//! push-server scenarios: Subscribe and Unsubscribe (MS-OXWSNTIF 3.1.4.3, 3.1.4.4), the
//! notifications (MS-OXWSPSNTIF 3.1.4.1), their pacing, retries and scope. Scenarios that wait
//! on protocol time declare it (`takes`), so the runner starts them first and they wait side
//! by side.

mod deliver;
mod subscribe;
mod timing;

use super::env::ServerEnv;
use super::ews;
use harness::{Cx, Scenario, Stop};
use mocks::ews::listener::{Faults, ListenerOptions, MockListener, Notified, Script};
use mocks::record::Arrival;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wire::ews::{
    EventKind, EwsRequest, EwsResponse, FolderRef, PushSubscriptionRequest, Received,
    SubscribeResponse,
};

/// The event of `want` among the notifications (matched by item id when it is known).
pub(crate) fn find_event<'a>(
    ns: &'a [wire::ews::Notification],
    want: &ews::Expected,
) -> Option<&'a wire::ews::Event> {
    ns.iter().flat_map(|n| n.events.iter()).find(|e| {
        e.kind == want.kind
            && want.item_id.as_ref().is_none_or(|id| {
                e.object
                    .as_ref()
                    .is_some_and(|o| matches!(o, wire::ews::ObjectId::Item(b) if &b.id == id))
            })
    })
}

pub fn all() -> Vec<Scenario> {
    let mut v = Vec::new();
    v.extend(subscribe::all());
    v.extend(deliver::all());
    v.extend(timing::all());
    v
}

/// One scenario's view of the server.
pub(crate) struct Probe {
    pub(crate) cx: Cx,
    pub(crate) env: Arc<ServerEnv>,
}

/// A subscription the scenario made, with the listener receiving its notifications.
pub(crate) struct Subscribed {
    pub(crate) id: String,
    pub(crate) watermark: String,
    pub(crate) listener: MockListener,
}

impl Probe {
    pub(crate) fn new(cx: &Cx) -> Result<Probe, Stop> {
        Ok(Probe {
            cx: cx.clone(),
            env: cx.env::<ServerEnv>()?,
        })
    }

    /// A listener of the harness's own (the reference listener's code) on push.callback_host.
    pub(crate) async fn listener(&self, script: Script) -> Result<MockListener, Stop> {
        MockListener::start(
            ListenerOptions {
                listen: SocketAddr::new(self.env.callback_host, 0),
                script,
                ..ListenerOptions::default()
            },
            Faults::none(),
        )
        .await
        .map_err(|e| {
            Stop::inconclusive(format!(
                "cannot start the harness's listener on push.callback_host: {e}"
            ))
        })
    }

    /// A push subscription request for `url` with the profile's StatusFrequency.
    pub(crate) fn request(&self, url: &str, kinds: &[EventKind]) -> PushSubscriptionRequest {
        let mut p = PushSubscriptionRequest::new(url, kinds, self.env.status_frequency);
        p.folder_ids = vec![
            FolderRef::distinguished("inbox"),
            FolderRef::distinguished("drafts"),
            FolderRef::distinguished("sentitems"),
        ];
        p
    }

    pub(crate) async fn subscribe_raw(
        &self,
        p: PushSubscriptionRequest,
    ) -> Result<Received<EwsResponse>, Stop> {
        ews::call(&self.cx, &self.env, &EwsRequest::Subscribe(p)).await
    }

    /// The one SubscribeResponseMessage of a Subscribe answer, or why there is none.
    pub(crate) fn subscribe_message(
        r: &Received<EwsResponse>,
    ) -> Result<SubscribeResponse, String> {
        match &r.value {
            EwsResponse::Subscribe(list) => list
                .first()
                .cloned()
                .ok_or_else(|| "SubscribeResponse without a response message".into()),
            EwsResponse::Fault { code, reason } => Err(format!("a SOAP fault: {code}: {reason}")),
            other => Err(format!("not a SubscribeResponse: {other:?}")),
        }
    }

    /// Subscribes a new listener (scripted with `script`) to `kinds`; a refusal makes the
    /// scenario inconclusive (the Subscribe scenarios judge Subscribe itself).
    pub(crate) async fn subscribe_with(
        &self,
        script: Script,
        kinds: &[EventKind],
        edit: impl FnOnce(&mut PushSubscriptionRequest),
    ) -> Result<Subscribed, Stop> {
        let listener = self.listener(script).await?;
        let mut p = self.request(&listener.url(), kinds);
        edit(&mut p);
        let r = self.subscribe_raw(p).await?;
        let m = Self::subscribe_message(&r)
            .map_err(|e| Stop::inconclusive(format!("Subscribe did not succeed: {e}")))?;
        match (m.subscription_id, m.watermark) {
            (Some(id), Some(watermark))
                if m.response
                    .response_code
                    .as_deref()
                    .is_none_or(|c| c == "NoError") =>
            {
                Ok(Subscribed {
                    id,
                    watermark,
                    listener,
                })
            }
            _ => Err(Stop::inconclusive(format!(
                "Subscribe did not succeed: {} {}",
                m.response.class.as_str(),
                m.response.response_code.unwrap_or_default()
            ))),
        }
    }

    pub(crate) async fn subscribe(&self, kinds: &[EventKind]) -> Result<Subscribed, Stop> {
        self.subscribe_with(Script::default(), kinds, |_| {}).await
    }

    /// Waits (without a job slot) until the listener holds `n` requests or `within` passes.
    pub(crate) async fn wait_for(
        &self,
        s: &Subscribed,
        n: usize,
        within: Duration,
    ) -> Vec<Arrival<Notified>> {
        let deadline = Instant::now() + within.min(self.cx.wait_budget());
        let log = s.listener.notifications();
        match self.cx.idle(log.wait_for_count(n, deadline)).await {
            Ok(all) | Err(all) => all,
        }
    }

    /// Waits until the notifications received hold an event for each of `wanted` (by kind and,
    /// when known, item id: other scenarios' events share the mailbox).
    pub(crate) async fn wait_for_events(
        &self,
        s: &Subscribed,
        wanted: &[ews::Expected],
        within: Duration,
    ) -> Vec<Arrival<Notified>> {
        let deadline = Instant::now() + within.min(self.cx.wait_budget());
        let log = s.listener.notifications();
        let wanted = wanted.to_vec();
        let pred = move |all: &[Arrival<Notified>]| {
            let ns: Vec<wire::ews::Notification> = all
                .iter()
                .filter_map(|a| a.item.notification())
                .flat_map(|n| n.messages.iter().filter_map(|m| m.notification.clone()))
                .collect();
            wanted.iter().all(|w| find_event(&ns, w).is_some())
        };
        match self.cx.idle(log.wait_until(pred, deadline)).await {
            Ok(all) | Err(all) => all,
        }
    }

    /// How long the first notification may take: a third of a protocol minute ("at once",
    /// with room for a loaded server).
    pub(crate) fn prompt(&self) -> Duration {
        self.env.scale(20.0).max(Duration::from_millis(500))
    }

    /// How long events may take to arrive after the action.
    pub(crate) fn soon(&self) -> Duration {
        self.env.scale(30.0).max(Duration::from_secs(2))
    }
}
