//! The notif-client environment and one scenario's session: a fresh scripted MAPI/HTTP server,
//! the client started against it (the user's trigger, or the reference client in process),
//! readiness once the client's RopRegisterNotification has been answered, injected
//! notifications, and at the end SIGTERM to the client's process group.

use super::config::{ClientConfig, ClientProfile, DEFAULT_READY_TIMEOUT};
use crate::cnotif::server::mapi::field;
use harness::trigger::{LiveLines, Running, TriggerCommand, TriggerRun};
use harness::{Cx, Direction, Prepared, SetupError, Stop};
use mocks::cnotif::client::{ClientArgs, Faults, ReferenceClient};
use mocks::cnotif::server::push::PushTarget;
use mocks::cnotif::server::store::Queued;
use mocks::cnotif::server::{
    Class, MapiOptions, MockMapiServer, Registered, Script, Seen, Signal, WaitMode,
    DEFAULT_MAILBOX_DN, DEFAULT_PASSWORD, DEFAULT_USER,
};
use serde_json::Value;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// PollsMax against the reference client: the whole suite runs in a few seconds.
pub const REFERENCE_POLLS_MAX: Duration = Duration::from_millis(400);

/// How the client is run.
#[derive(Clone)]
pub enum ClientTrigger {
    Command(TriggerCommand),
    Reference(Faults),
}

pub struct ClientEnv {
    pub trigger: ClientTrigger,
    pub ready_timeout: Duration,
    pub host: IpAddr,
    pub tls: bool,
    pub polls_max: Duration,
    pub udp_push: bool,
}

pub async fn setup(config: ClientConfig, setup: harness::Setup) -> Result<Prepared, SetupError> {
    let (env, target) = match config {
        ClientConfig::Reference => {
            let faults = Faults::parse(&setup.faults).map_err(SetupError::Other)?;
            (
                ClientEnv {
                    trigger: ClientTrigger::Reference(faults),
                    ready_timeout: DEFAULT_READY_TIMEOUT,
                    host: IpAddr::V4(Ipv4Addr::LOCALHOST),
                    tls: true,
                    polls_max: REFERENCE_POLLS_MAX,
                    udp_push: true,
                },
                "reference MAPI client (in process)".to_string(),
            )
        }
        ClientConfig::Profile(p) => {
            let ClientProfile {
                trigger,
                ready_timeout,
                host,
                tls,
                polls_max,
                udp_push,
            } = *p;
            (
                ClientEnv {
                    trigger: ClientTrigger::Command(trigger),
                    ready_timeout,
                    host,
                    tls,
                    polls_max,
                    udp_push,
                },
                "the MAPI client behind target.trigger".to_string(),
            )
        }
    };
    let mut prepared = Prepared::new(Arc::new(()), target);
    if env.udp_push {
        prepared
            .claims
            .insert(super::claims::UDP_PUSH.name.to_string());
    }
    prepared.secrets = vec![DEFAULT_PASSWORD.to_string()];
    prepared.env = Arc::new(env);
    Ok(prepared)
}

/// One notification line the client printed.
#[derive(Clone, Debug, PartialEq)]
pub struct Printed {
    pub at: Duration,
    pub handle: Option<u64>,
    pub notification: Value,
}

/// How the scripted server behaves in a scenario.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub wait: WaitMode,
    pub per_response: Option<usize>,
    /// Ready once a RopRegisterNotification has been sent, answered with success or not (for
    /// the scenario that judges the request itself).
    pub ready_on_request: bool,
}

impl Options {
    /// Every NotificationWait is rejected: the client has to poll.
    pub fn rejecting_waits() -> Options {
        Options {
            wait: WaitMode::Reject,
            ..Options::default()
        }
    }

    /// One RopNotify per response, the rest announced with RopPending only.
    pub fn one_per_response() -> Options {
        Options {
            per_response: Some(1),
            ..Options::default()
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            wait: WaitMode::Signalled,
            per_response: None,
            ready_on_request: false,
        }
    }
}

pub struct Session {
    pub server: MockMapiServer,
    pub script: Arc<Script>,
    pub registered: Registered,
    pub polls_max: Duration,
    /// The port and context given to the client, with `claims.udp_push`.
    pub udp: Option<(u16, Vec<u8>)>,
    running: Option<Running>,
    /// The client's run, once `finish` has ended it.
    pub run: Option<TriggerRun>,
    _ca: Option<tempfile::NamedTempFile>,
}

fn free_udp_port(host: IpAddr) -> Result<u16, Stop> {
    std::net::UdpSocket::bind(SocketAddr::new(host, 0))
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .map_err(|e| Stop::inconclusive(format!("cannot find a free UDP port: {e}")))
}

/// An opaque context of 16 bytes, different per run and scenario.
fn context(scenario: &str) -> Vec<u8> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    for b in scenario.bytes().chain(now.to_le_bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = h.to_le_bytes().to_vec();
    out.extend_from_slice(&h.rotate_left(29).to_be_bytes());
    out
}

fn in_process(faults: Faults, args: ClientArgs) -> Running {
    let lines = LiveLines::new();
    let stderr = Arc::new(Mutex::new(String::new()));
    let client = ReferenceClient::new(faults);
    let (out_lines, err_text) = (Arc::clone(&lines), Arc::clone(&stderr));
    let task = tokio::spawn(async move {
        client
            .run(
                args,
                Arc::new(move |l: &str| out_lines.push(l)),
                Arc::new(move |l: &str| {
                    if let Ok(mut e) = err_text.lock() {
                        e.push_str(l);
                        e.push('\n');
                    }
                }),
            )
            .await;
    });
    let started = Instant::now();
    let for_finish = Arc::clone(&lines);
    Running::in_process(lines, move || {
        Box::pin(async move {
            let ended_by_itself = task.is_finished();
            task.abort();
            let mut run = TriggerRun {
                command: "reference MAPI client (in process)".into(),
                status: ended_by_itself.then_some(1),
                stderr: stderr.lock().map(|e| e.clone()).unwrap_or_default(),
                elapsed: started.elapsed(),
                ..TriggerRun::default()
            };
            let text: Vec<String> = for_finish.snapshot().into_iter().map(|(_, l)| l).collect();
            harness::trigger::split_stdout(&text.join("\n"), &mut run);
            run
        })
    })
}

impl Session {
    /// Starts the scripted server and the client, and waits until the client has registered.
    pub async fn start(cx: &Cx, options: Options) -> Result<Session, Stop> {
        let env = cx.env::<ClientEnv>()?;
        let script = Script::new(env.polls_max.as_millis() as u32);
        script.set_wait(options.wait);
        script.set_per_response(options.per_response);
        let server = MockMapiServer::start_scripted(
            MapiOptions {
                listen: SocketAddr::new(env.host, 0),
                tls: env.tls,
                // One protocol minute of the server is PollsMax: a held wait ends after five.
                minute: env.polls_max,
                ..MapiOptions::default()
            },
            Default::default(),
            Arc::clone(&script),
        )
        .await
        .map_err(|e| {
            Stop::inconclusive(format!(
                "cannot start the scripted MAPI/HTTP server on server.host: {e}"
            ))
        })?;
        let ca = crate::common::http::ca_file(server.ca_pem(), "oxconf-mapi-ca-")?;
        let udp = if env.udp_push {
            Some((free_udp_port(env.host)?, context(cx.id())))
        } else {
            None
        };
        let ca_path = ca
            .as_ref()
            .map(|f| f.path().display().to_string())
            .unwrap_or_default();
        let vars = [
            ("url", server.url()),
            ("user", DEFAULT_USER.to_string()),
            ("password", DEFAULT_PASSWORD.to_string()),
            ("mailbox_dn", DEFAULT_MAILBOX_DN.to_string()),
            ("ca_file", ca_path),
            (
                "udp_port",
                udp.as_ref().map(|(p, _)| p.to_string()).unwrap_or_default(),
            ),
            (
                "udp_context",
                udp.as_ref()
                    .map(|(_, c)| wire::binary::hex(c))
                    .unwrap_or_default(),
            ),
        ];
        let running = match &env.trigger {
            ClientTrigger::Command(c) => c.spawn(&vars),
            ClientTrigger::Reference(faults) => in_process(
                faults.clone(),
                ClientArgs {
                    url: server.url(),
                    user: DEFAULT_USER.into(),
                    password: DEFAULT_PASSWORD.into(),
                    mailbox_dn: DEFAULT_MAILBOX_DN.into(),
                    ca_pem: server.ca_pem().map(str::to_string),
                    udp: udp.clone(),
                },
            ),
        };
        let mut session = Session {
            server,
            script: Arc::clone(&script),
            registered: Registered {
                session_index: 0,
                subscriptions: Vec::new(),
            },
            polls_max: env.polls_max,
            udp,
            running: Some(running),
            run: None,
            _ca: ca,
        };
        if options.ready_on_request {
            let sent = script
                .until(env.ready_timeout, |sc| {
                    sc.log()
                        .iter()
                        .any(|l| l.rops.contains(&"RopRegisterNotification"))
                        .then_some(())
                })
                .await;
            if sent.is_some() {
                return Ok(session);
            }
        }
        match script.until_registered(env.ready_timeout).await {
            Some(r) if !r.subscriptions.is_empty() => {
                cx.note(format!(
                    "ready: the client registered {} subscription(s), handles {}; session index {}",
                    r.subscriptions.len(),
                    r.subscriptions
                        .iter()
                        .map(|(h, _)| format!("0x{h:08X}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    r.session_index
                ));
                session.registered = r;
                Ok(session)
            }
            _ => {
                session.finish(cx).await;
                let why = session
                    .run
                    .as_ref()
                    .and_then(crate::common::trigger::failure)
                    .filter(|_| {
                        session
                            .run
                            .as_ref()
                            .is_some_and(|r| r.status.is_some() || r.spawn_error.is_some())
                    })
                    .map(|f| format!("; it ended first ({f})"))
                    .unwrap_or_default();
                Err(Stop::inconclusive(format!(
                    "the client did not register for notifications within {:.0?} (no RopRegisterNotification answered){why}; see the trigger's output in the transcript",
                    env.ready_timeout
                )))
            }
        }
    }

    /// The client's first subscription: (handle, LogonId).
    pub fn own(&self) -> (u32, u8) {
        self.registered
            .subscriptions
            .first()
            .copied()
            .unwrap_or((0, 0))
    }

    /// A RopNotify for the client's own subscription.
    pub fn for_own(&self, data: Vec<u8>) -> Queued {
        let (handle, logon_id) = self.own();
        Queued {
            handle,
            logon_id,
            data,
        }
    }

    /// Queues notifications for the client (recorded as annotated dumps) and tells it.
    pub fn inject(&self, cx: &Cx, entries: Vec<Queued>, signal: Signal) {
        for q in &entries {
            let mut bytes = vec![wire::rop::ROP_NOTIFY];
            bytes.extend_from_slice(&q.handle.to_le_bytes());
            bytes.push(q.logon_id);
            bytes.extend_from_slice(&q.data);
            let mut fields = vec![
                field("RopId", 0, 1, "0x2A RopNotify"),
                field("NotificationHandle", 1, 4, &format!("0x{:08X}", q.handle)),
                field("LogonId", 5, 1, &q.logon_id.to_string()),
            ];
            let (annotated, _) = wire::cnotif::annotate(&q.data);
            fields.extend(
                annotated
                    .into_iter()
                    .map(|f| field(f.name, 6 + f.offset, f.len, &f.value)),
            );
            cx.binary(
                Direction::Sent,
                "mapi",
                "RopNotify queued for the client",
                &bytes,
                fields,
            );
        }
        let how = match signal {
            Signal::Wait => "signalled through NotificationWait (EventPending)",
            Signal::Datagram => "announced with UDP datagrams",
            Signal::None => "not signalled",
        };
        cx.note(format!("{} notification(s) queued, {how}", entries.len()));
        self.script.inject(entries, signal);
    }

    /// The notification lines printed so far.
    pub fn printed(&self) -> Vec<Printed> {
        let Some(running) = &self.running else {
            return Vec::new();
        };
        parse_lines(&running.lines.snapshot())
    }

    /// Waits until `done` holds for the printed notifications.
    pub async fn until_printed(
        &self,
        timeout: Duration,
        done: impl Fn(&[Printed]) -> bool,
    ) -> bool {
        let Some(running) = &self.running else {
            return false;
        };
        running
            .lines
            .wait_until(timeout, |lines| done(&parse_lines(lines)))
            .await
    }

    /// Registers the client's UDP callback with the scripted server (as EcRRegisterPushNotification would).
    pub async fn register_push(&self) -> Result<(), Stop> {
        let Some((port, context)) = &self.udp else {
            return Err(Stop::inconclusive("the client claims no UDP push"));
        };
        let cookie = self
            .server
            .client_cookie()
            .ok_or_else(|| Stop::inconclusive("the client has no session"))?;
        self.server
            .register_push(
                &cookie,
                PushTarget {
                    callback: SocketAddr::from(([127, 0, 0, 1], *port)),
                    context: context.clone(),
                },
                self.polls_max,
            )
            .await
            .map_err(Stop::inconclusive)
    }

    /// Time since the script started (the log's clock).
    pub fn now(&self) -> Duration {
        self.script.elapsed()
    }

    /// Lets the client run for `d`.
    pub async fn observe(&self, d: Duration) {
        tokio::time::sleep(d).await;
    }

    /// Ends the client (SIGTERM to its process group) and records its run and every request
    /// the scripted server saw. Nothing after this is judged.
    pub async fn finish(&mut self, cx: &Cx) -> Vec<Seen> {
        let log = self.script.log();
        if let Some(running) = self.running.take() {
            let run = running.stop().await;
            cx.local("trigger", "the client's run", &run.render());
            self.run = Some(run);
        }
        cx.local(
            "mapi",
            "requests the scripted server saw",
            &render_log(&log),
        );
        log
    }
}

fn parse_lines(lines: &[(Duration, String)]) -> Vec<Printed> {
    lines
        .iter()
        .filter_map(|(at, l)| {
            let v: Value = serde_json::from_str(l).ok()?;
            let notification = v.get("notification")?.clone();
            Some(Printed {
                at: *at,
                handle: v.get("handle").and_then(Value::as_u64),
                notification,
            })
        })
        .collect()
}

/// The log as the transcript shows it: one line per request.
pub fn render_log(log: &[Seen]) -> String {
    let mut out = String::new();
    for s in log {
        let _ = write!(out, "[{:>8.3}s] {:?}", s.at.as_secs_f64(), s.class);
        if !s.rops.is_empty() {
            let _ = write!(out, " {}", s.rops.join(", "));
        }
        if s.class == Class::Wait {
            match s.answered {
                Some((at, ev)) => {
                    let _ = write!(
                        out,
                        " answered at {:.3}s, EventPending {}",
                        at.as_secs_f64(),
                        u8::from(ev)
                    );
                }
                None => out.push_str(" (held, or rejected at once)"),
            }
        }
        if s.notifies > 0 {
            let _ = write!(out, "; {} RopNotify", s.notifies);
        }
        for p in &s.pendings {
            let _ = write!(out, "; RopPending SessionIndex {p}");
        }
        out.push('\n');
    }
    out
}
