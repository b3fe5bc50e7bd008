//! The push-subscriber environment: the trigger (the user's app, or the reference app in
//! process), and per scenario a session: a fresh mock EWS endpoint, a listener for
//! `{callback_url}`, one trigger run, and what the app reported.

use super::config::{SubscriberConfig, SubscriberProfile, DEFAULT_TIMEOUT};
use crate::common::trigger::fire;
use harness::trigger::{Trigger, TriggerRun};
use harness::{Cx, Prepared, SetupError, Stop};
use mocks::ews::listener::{ListenerOptions, MockListener};
use mocks::ews::server::{
    EwsArrival, ExchangeOptions, MockExchange, DEFAULT_PASSWORD, DEFAULT_USER,
};
use mocks::ews::subscriber::{AppArgs, Faults, ReferenceApp};
use mocks::record::Arrival;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The mock EWS endpoint's protocol minute: its pushes after Subscribe need no real minutes.
pub const SESSION_MINUTE: Duration = Duration::from_secs(1);

pub struct SubscriberEnv {
    pub trigger: Trigger,
    pub own_listener: bool,
    pub host: IpAddr,
    pub tls: bool,
    pub user: String,
    pub password: String,
}

fn in_process(app: Arc<ReferenceApp>) -> Trigger {
    Trigger::InProcess {
        name: "reference subscriber app".into(),
        run: Arc::new(move |vars: Vec<(String, String)>| {
            let app = Arc::clone(&app);
            Box::pin(async move {
                let get = |k: &str| {
                    vars.iter()
                        .find(|(n, _)| n == k)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                };
                let ca_file = get("ca_file");
                let ca_pem = (!ca_file.is_empty())
                    .then(|| std::fs::read_to_string(&ca_file).ok())
                    .flatten();
                let args = AppArgs {
                    ews_url: get("ews_url"),
                    user: get("user"),
                    password: get("password"),
                    callback_url: get("callback_url"),
                    ca_pem,
                };
                let started = Instant::now();
                let mut run = TriggerRun {
                    command: format!("reference subscriber app: subscribe at {}", args.ews_url),
                    ..TriggerRun::default()
                };
                match tokio::time::timeout(DEFAULT_TIMEOUT, app.subscribe(args)).await {
                    Err(_) => run.timed_out = true,
                    Ok(out) => {
                        run.status = Some(0);
                        for line in out.stdout.lines() {
                            match serde_json::from_str::<serde_json::Value>(line) {
                                Ok(v) => run.json.push(v),
                                Err(_) => run.other_stdout.push(line.to_string()),
                            }
                        }
                        run.stderr = out.stderr;
                    }
                }
                run.elapsed = started.elapsed();
                run
            })
        }),
    }
}

pub async fn setup(
    config: SubscriberConfig,
    setup: harness::Setup,
) -> Result<Prepared, SetupError> {
    let (env, target) = match config {
        SubscriberConfig::Reference => {
            let faults = Faults::parse(&setup.faults).map_err(SetupError::Other)?;
            let app = Arc::new(ReferenceApp::new(faults, true));
            (
                SubscriberEnv {
                    trigger: in_process(app),
                    own_listener: true,
                    host: IpAddr::V4(Ipv4Addr::LOCALHOST),
                    tls: true,
                    user: DEFAULT_USER.into(),
                    password: DEFAULT_PASSWORD.into(),
                },
                "reference subscriber app (in process)".to_string(),
            )
        }
        SubscriberConfig::Profile(p) => {
            let SubscriberProfile {
                trigger,
                own_listener,
                host,
                tls,
            } = *p;
            let target = "the application behind target.trigger".to_string();
            (
                SubscriberEnv {
                    trigger: Trigger::Command(trigger),
                    own_listener,
                    host,
                    tls,
                    user: DEFAULT_USER.into(),
                    password: DEFAULT_PASSWORD.into(),
                },
                target,
            )
        }
    };
    let mut prepared = Prepared::new(Arc::new(()), target);
    if env.own_listener {
        prepared
            .claims
            .insert(super::claims::OWN_LISTENER.name.to_string());
    }
    prepared.secrets = vec![env.password.clone()];
    prepared.env = Arc::new(env);
    Ok(prepared)
}

/// What the app reported on its JSON line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reported {
    Subscribed { id: String, watermark: String },
    Error(String),
}

/// One scenario's run of the app.
pub struct Session {
    pub exchange: MockExchange,
    pub listener: MockListener,
    pub run: TriggerRun,
    pub reported: Reported,
    /// The app's Subscribe request (the last one, if it sent several).
    pub subscribe: Option<Arrival<EwsArrival>>,
    _ca: Option<tempfile::NamedTempFile>,
}

fn reported(run: &TriggerRun) -> Option<Reported> {
    run.json.iter().rev().find_map(|v| {
        if let Some(e) = v.get("error").and_then(|e| e.as_str()) {
            return Some(Reported::Error(e.to_string()));
        }
        let id = v.get("subscription_id")?.as_str()?.to_string();
        let watermark = v
            .get("watermark")
            .and_then(|w| w.as_str())
            .unwrap_or_default()
            .to_string();
        Some(Reported::Subscribed { id, watermark })
    })
}

impl Session {
    /// Starts the endpoint (answering Subscribe with `error` when given), runs the app once.
    pub async fn run(cx: &Cx, error: Option<&str>) -> Result<Session, Stop> {
        let env = cx.env::<SubscriberEnv>()?;
        let exchange = MockExchange::start(
            ExchangeOptions {
                listen: SocketAddr::new(env.host, 0),
                tls: env.tls,
                minute: SESSION_MINUTE,
                user: env.user.clone(),
                password: env.password.clone(),
                ..ExchangeOptions::default()
            },
            Default::default(),
        )
        .await
        .map_err(|e| {
            Stop::inconclusive(format!(
                "cannot start the mock EWS endpoint on server.host: {e}"
            ))
        })?;
        exchange.set_subscribe_error(error.map(str::to_string));
        let listener = MockListener::start(
            ListenerOptions {
                listen: SocketAddr::new(env.host, 0),
                ..ListenerOptions::default()
            },
            Default::default(),
        )
        .await
        .map_err(|e| Stop::inconclusive(format!("cannot start the callback listener: {e}")))?;
        let ca = crate::common::http::ca_file(exchange.ca_pem(), "oxconf-ews-ca-")?;
        let vars = [
            ("ews_url", exchange.url()),
            ("user", env.user.clone()),
            ("password", env.password.clone()),
            ("callback_url", listener.url()),
            (
                "ca_file",
                ca.as_ref()
                    .map(|f| f.path().display().to_string())
                    .unwrap_or_default(),
            ),
        ];
        let run = fire(cx, &env.trigger, "the app subscribes", &vars).await;
        for (i, a) in exchange.requests().snapshot().iter().enumerate() {
            let start = format!("{} {} HTTP/1.1", a.item.method, a.item.path);
            cx.received(
                "http",
                &format!("EWS request {} (app → mock EWS)", i + 1),
                &crate::common::http::message_text(&start, &a.item.headers, &a.text_lossy()),
            );
        }
        crate::common::trigger::ran(&run)?;
        let Some(reported) = reported(&run) else {
            return Err(Stop::inconclusive(
                "the app printed no JSON line {\"subscription_id\":…} or {\"error\":…} (see the trigger's output in the transcript)",
            ));
        };
        let subscribe = exchange
            .requests()
            .snapshot()
            .into_iter()
            .rev()
            .find(|a| a.text_lossy().contains("Subscribe"));
        Ok(Session {
            exchange,
            listener,
            run,
            reported,
            subscribe,
            _ca: ca,
        })
    }

    /// The Subscribe request; inconclusive when the app sent none.
    pub fn subscribe_request(&self) -> Result<&Arrival<EwsArrival>, Stop> {
        self.subscribe
            .as_ref()
            .ok_or_else(|| Stop::inconclusive("the app sent no Subscribe request to {ews_url}"))
    }
}
