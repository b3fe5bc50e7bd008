//! The scenario-side view of an OMS client under test: a scripted server per scenario, the
//! trigger that makes the client send, what the client sent (recorded by the server) and what
//! it concluded (its JSON outcome lines).

use super::contract::{BatchFile, MessageOutcome, DELIVERED, FAILED};
use super::env::ClientEnv;
use crate::common::catalogue::{level_of, requirement};
use crate::common::findings::{judge_by_requirement, record_findings};
use crate::common::{http, recipients, trigger};
use harness::scenario::Outcome;
use harness::trigger::TriggerRun;
use harness::{Cx, Level, Stop};
use mocks::oms::scripted::{Canned, Recorded, ScriptedOms, Served, ServedLog};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use wire::oms::{rules, OmsRequest, Operation, ServiceInfo, User, XmsBatch, XmsData};
use wire::{Finding, Parsed};

pub struct Client {
    pub cx: Cx,
    pub env: Arc<ClientEnv>,
    seq: AtomicU32,
    /// Why the last trigger run failed, if it did (non-zero exit, nothing printed).
    last_failure: std::sync::Mutex<Option<String>>,
    /// The exchanges of every scripted server of the scenario, for the request checks that
    /// run over everything the client sent (`judge_every_request`).
    logs: Mutex<Vec<ServedLog>>,
}

/// A scenario body with a client, followed by the request checks over every request the
/// client sent in the scenario, however the body ended: the SOAP envelope (action,
/// namespace, content type), the xmsData / xmsBatch schema (format, content types) and the
/// credentials hold for every request, not only in the scenario about them.
pub fn with_client<F, Fut>(
    body: F,
) -> impl Fn(Cx) -> Pin<Box<dyn Future<Output = Outcome> + Send>> + Send + Sync + 'static
where
    F: Fn(Cx, Arc<Client>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    let body = Arc::new(body);
    move |cx: Cx| {
        let body = Arc::clone(&body);
        Box::pin(async move {
            let client = Arc::new(Client::new(&cx)?);
            let outcome = body(cx, Arc::clone(&client)).await;
            let requests = client.judge_every_request();
            // A failing request check is recorded evidence, so it decides the verdict even
            // when the body stopped otherwise (the runner lets a recorded failure win).
            outcome.and(requests)
        })
    }
}

/// Requests whose SOAP action the client sets (OMS-R106) are judged under that client rule,
/// whichever requirement the server-side parser files them under.
fn client_requirement(f: &Finding, fallback: &'static str) -> Option<&'static str> {
    if f.rule == rules::SOAP_ACTION_MISMATCH || f.rule == rules::SOAP_ACTION_MISSING {
        return Some("OMS-R106");
    }
    match f.requirement {
        Some(id) if requirement(id).is_some_and(|r| r.role == "server") => Some(fallback),
        other => other,
    }
}

/// The findings as a client's findings: every one filed under a client (or both-role)
/// requirement, `fallback` where the parser named a server-only one.
fn as_client_findings(findings: &[Finding], fallback: &'static str) -> Vec<Finding> {
    findings
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.requirement = client_requirement(&f, fallback);
            f
        })
        .collect()
}

impl Client {
    pub fn new(cx: &Cx) -> Result<Client, Stop> {
        Ok(Client {
            env: cx.env::<ClientEnv>()?,
            cx: cx.clone(),
            seq: AtomicU32::new(0),
            last_failure: std::sync::Mutex::new(None),
            logs: Mutex::default(),
        })
    }

    /// Every request the client sent to any scripted server of this scenario, in order per
    /// server.
    fn all_requests(&self) -> Vec<Recorded> {
        let logs = self.logs.lock().unwrap_or_else(|p| p.into_inner()).clone();
        logs.iter().flat_map(ServedLog::requests).collect()
    }

    /// The request checks over every request of the scenario (see `with_client`); one
    /// passing check per clean request, a check per violation otherwise.
    pub fn judge_every_request(&self) -> Outcome {
        let mut failed = false;
        for (i, r) in self.all_requests().iter().enumerate() {
            failed |= self.judge_request(i + 1, r).is_err();
        }
        if failed {
            Err(Stop::Failed)
        } else {
            Ok(())
        }
    }

    fn judge_request(&self, n: usize, r: &Recorded) -> Outcome {
        let cx = &self.cx;
        let req = match &r.parsed {
            Err(e) => {
                return Err(cx.cite(["OMS-R003", "OMS-R155"]).level(Level::Must).fail(
                    &format!("client request {n} is an OMS SOAP request"),
                    "a SOAP 1.1 or 1.2 request for an OMS operation",
                    e.to_string(),
                ))
            }
            Ok(req) => req,
        };
        let title = format!("client request {n} ({})", req.op.name());
        let mut findings = as_client_findings(&req.findings, "OMS-R155");
        let mut users: Vec<Option<User>> = Vec::new();
        let payload = req.payload.as_deref();
        match (req.op, payload) {
            (Operation::DeliverXms | Operation::SendXms, Some(p)) => match XmsData::parse(p) {
                Ok(parsed) => {
                    findings.extend(as_client_findings(&parsed.findings, "OMS-R086"));
                    users.push(parsed.value.user);
                }
                Err(e) => {
                    return Err(cx.cite(["OMS-R139"]).level(Level::Must).fail(
                        &format!("{title}: xmsData readable"),
                        "a well-formed xmsData document",
                        e.to_string(),
                    ))
                }
            },
            (Operation::DeliverXmsBatch, Some(p)) => match XmsBatch::parse(p) {
                Ok(parsed) => {
                    findings.extend(as_client_findings(&parsed.findings, "OMS-R141"));
                    users.extend(parsed.value.items.into_iter().map(|i| i.user));
                }
                Err(e) => {
                    return Err(cx.cite(["OMS-R141"]).level(Level::Must).fail(
                        &format!("{title}: xmsBatch readable"),
                        "a well-formed xmsBatch document",
                        e.to_string(),
                    ))
                }
            },
            _ => {}
        }
        let defaults: &[&str] = match req.op {
            Operation::DeliverXmsBatch => &["OMS-R106", "OMS-R141"],
            Operation::DeliverXms | Operation::SendXms => &["OMS-R106", "OMS-R139"],
            _ => &["OMS-R106", "OMS-R003"],
        };
        let schema = record_findings(
            cx,
            &format!("{title} envelope and document"),
            &findings,
            defaults,
        );
        let credentials = if users.is_empty() {
            Ok(())
        } else {
            self.judge_credentials(&title, &users)
        };
        schema.and(credentials)
    }

    /// With the profile's account known, every message of a request identifies its user with
    /// exactly that userId and password (authenticationType "other", MS-OMS 3.1.4.1.4.1).
    fn judge_credentials(&self, title: &str, users: &[Option<User>]) -> Outcome {
        let Some(account) = &self.env.account else {
            return Ok(());
        };
        let problems: Vec<String> = users
            .iter()
            .enumerate()
            .filter_map(|(i, u)| {
                let which = if users.len() > 1 {
                    format!("message {}", i + 1)
                } else {
                    "xmsData".to_string()
                };
                match u {
                    None => Some(format!("{which}: no user element")),
                    Some(u) => {
                        let mut wrong = Vec::new();
                        if u.user_id.as_deref() != Some(account.user.as_str()) {
                            wrong.push("userId is not the profile's oms.user");
                        }
                        if u.password.as_deref() != Some(account.password.as_str()) {
                            wrong.push("password is not the profile's oms.password");
                        }
                        (!wrong.is_empty()).then(|| format!("{which}: {}", wrong.join(", ")))
                    }
                }
            })
            .collect();
        self.cx
            .cite(["OMS-R079", "OMS-R123"])
            .level(level_of("OMS-R079"))
            .expect(
            &format!("{title}: credentials"),
            problems.is_empty(),
            "user/userId and user/password carry the profile's oms.user and oms.password in every message",
            if problems.is_empty() {
                "they do".to_string()
            } else {
                problems.join("; ")
            },
        )
    }

    /// The profile's first `n` recipients.
    pub fn recipients(&self, n: usize) -> Vec<String> {
        recipients::cycling(&self.env.recipients, n)
    }

    /// A scripted OMS server answering with `info` and default success answers. HTTPS when the
    /// profile asks for it everywhere, or when `tls` is set.
    pub async fn server(&self, info: &ServiceInfo, tls: bool) -> Result<ScriptedOms, Stop> {
        let pki = (tls || self.env.tls_always).then(|| self.env.pki.clone());
        let server = ScriptedOms::start_with(self.env.host, pki)
            .await
            .map_err(|e| Stop::error(format!("cannot start the scripted OMS server: {e}")))?;
        server.defaults(info).await;
        let cx = self.cx.clone();
        server.on_exchange(Arc::new(move |s: &Served| {
            let op = s.request.op.map_or("unrouted request", |o| o.name());
            let (request, answer) = (&s.request, &s.response);
            http::record_served(
                &cx,
                &format!("client request: {op}"),
                &http::message_text(
                    &format!("{} {} HTTP/1.1", request.method, request.path),
                    &request.headers,
                    &request.body,
                ),
                &format!("scripted answer to {op}: HTTP {}", answer.status),
                &http::message_text(
                    &format!("HTTP/1.1 {}", answer.status),
                    &answer.headers,
                    &answer.body,
                ),
            );
        }));
        self.logs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(server.log());
        self.cx.local(
            "scripted-server",
            &format!("scripted OMS server at {}", server.url()),
            &format!("serviceInfo served to the client:\n{}", info.to_xml()),
        );
        Ok(server)
    }

    /// Scripts replies for `op`, noting them in the transcript.
    pub async fn script(
        &self,
        server: &ScriptedOms,
        op: Operation,
        replies: Vec<Canned>,
        what: &str,
    ) {
        self.cx.local(
            "scripted-server",
            &format!("{} will answer: {what}", op.name()),
            "",
        );
        server.script(op, replies).await;
    }

    fn fresh_file(&self, name: &str, body: &str) -> Result<String, Stop> {
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        let stem = harness::scenario::file_stem(self.cx.id());
        let path = self.env.workdir.path().join(format!("{stem}-{n}-{name}"));
        std::fs::write(&path, body)
            .map_err(|e| Stop::error(format!("cannot write {}: {e}", path.display())))?;
        Ok(path.display().to_string())
    }

    async fn fire(
        &self,
        server: &ScriptedOms,
        vars: Vec<(&str, String)>,
    ) -> Result<TriggerRun, Stop> {
        let mut all = vec![
            ("url", server.url()),
            ("ca_file", self.env.ca_file.display().to_string()),
            ("image_file", self.env.image_file.display().to_string()),
            // The account the client is configured with (empty without oms.user); the
            // password is a secret, so transcripts show it redacted.
            (
                "user",
                self.env
                    .account
                    .as_ref()
                    .map(|a| a.user.clone())
                    .unwrap_or_default(),
            ),
            (
                "password",
                self.env
                    .account
                    .as_ref()
                    .map(|a| a.password.clone())
                    .unwrap_or_default(),
            ),
        ];
        all.extend(vars);
        self.cx.local(
            "trigger",
            "client trigger started",
            &all.iter()
                .map(|(k, v)| format!("{{{k}}} = {v}"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let run = trigger::fire(&self.cx, &self.env.trigger, "client trigger", &all).await;
        trigger::ran(&run)?;
        let failed = trigger::failure(&run)
            .filter(|_| run.json.is_empty())
            .map(|f| f.to_string());
        *self.last_failure.lock().unwrap_or_else(|p| p.into_inner()) = failed;
        Ok(run)
    }

    /// Makes the client send one text message.
    pub async fn send(
        &self,
        server: &ScriptedOms,
        to: &[String],
        text: &str,
    ) -> Result<TriggerRun, Stop> {
        self.send_kind(server, "sms", to, text).await
    }

    /// Makes the client send one MMS (slide with {image_file} and the text).
    pub async fn send_mms(
        &self,
        server: &ScriptedOms,
        to: &[String],
        text: &str,
    ) -> Result<TriggerRun, Stop> {
        self.send_kind(server, "mms", to, text).await
    }

    async fn send_kind(
        &self,
        server: &ScriptedOms,
        kind: &str,
        to: &[String],
        text: &str,
    ) -> Result<TriggerRun, Stop> {
        self.fire(
            server,
            vec![
                ("kind", kind.into()),
                ("to", to.join(",")),
                ("text", text.into()),
            ],
        )
        .await
    }

    /// Makes the client send the messages of a batch file.
    pub async fn send_batch(
        &self,
        server: &ScriptedOms,
        batch: &BatchFile,
    ) -> Result<TriggerRun, Stop> {
        let body = serde_json::to_string_pretty(batch)
            .map_err(|e| Stop::error(format!("cannot write the batch file: {e}")))?;
        let path = self.fresh_file("batch.json", &body)?;
        self.cx
            .local("trigger", "batch file given to the client", &body);
        self.fire(server, vec![("kind", "batch".into()), ("batch_file", path)])
            .await
    }

    /// The client's outcome lines (trigger contract). Lines that do not follow the contract
    /// make the scenario inconclusive: the adapter, not the protocol, is at fault.
    pub fn outcomes(&self, run: &TriggerRun) -> Result<Vec<MessageOutcome>, Stop> {
        let mut out = Vec::new();
        for v in &run.json {
            let o: MessageOutcome = serde_json::from_value(v.clone()).map_err(|e| {
                Stop::inconclusive(format!(
                    "trigger output {v} does not follow the contract: {e}"
                ))
            })?;
            if o.outcome != DELIVERED && o.outcome != FAILED {
                return Err(Stop::inconclusive(format!(
                    "trigger output {v}: outcome must be \"delivered\" or \"failed\""
                )));
            }
            out.push(o);
        }
        if out.is_empty() {
            return Err(Stop::inconclusive(format!(
                "the trigger printed no outcome line ({})",
                run.failure_reason().unwrap_or_else(|| "exit 0".into())
            )));
        }
        Ok(out)
    }

    /// The one outcome of a single-message send.
    pub fn single_outcome(&self, run: &TriggerRun) -> Result<MessageOutcome, Stop> {
        let mut all = self.outcomes(run)?;
        if all.len() != 1 {
            return Err(Stop::inconclusive(format!(
                "expected one outcome line for one message, got {}",
                all.len()
            )));
        }
        Ok(all.remove(0))
    }

    /// Requests the client sent for `op`; a failed check when there are none. When nothing at
    /// all reached the server and the trigger itself failed (non-zero exit, no outcome line),
    /// the adapter is broken rather than the protocol: inconclusive. Scenarios for which "the
    /// client could not send" IS the finding use `requests_for_strict`.
    pub async fn requests_for(
        &self,
        server: &ScriptedOms,
        op: Operation,
        reqs: &[&str],
    ) -> Result<Vec<Recorded>, Stop> {
        if server.requests().await.is_empty() {
            let failure = self
                .last_failure
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            if let Some(why) = failure {
                return Err(Stop::inconclusive(format!(
                    "the trigger failed before the client sent anything ({why})"
                )));
            }
        }
        self.requests_for_strict(server, op, reqs).await
    }

    /// Like `requests_for`, but no request is always a failure of the client.
    pub async fn requests_for_strict(
        &self,
        server: &ScriptedOms,
        op: Operation,
        reqs: &[&str],
    ) -> Result<Vec<Recorded>, Stop> {
        let list = server.requests_for(op).await;
        self.cx.cite(reqs.iter().copied()).expect(
            &format!("{} requests sent by the client", op.name()),
            !list.is_empty(),
            "at least one",
            if list.is_empty() {
                "none".to_string()
            } else {
                list.len().to_string()
            },
        )?;
        Ok(list)
    }

    /// The SOAP layer of a recorded request, judged with its findings.
    pub fn judge_envelope(&self, r: &Recorded) -> Result<(), Stop> {
        match &r.parsed {
            Err(e) => Err(self.cx.cite(["OMS-R003", "OMS-R155"]).fail(
                "client request readable",
                "a SOAP 1.1 or 1.2 request for an OMS operation",
                e.to_string(),
            )),
            Ok(req) => record_findings(
                &self.cx,
                &format!("{} request envelope", req.op.name()),
                &as_client_findings(&req.findings, "OMS-R155"),
                &["OMS-R003", "OMS-R106", "OMS-R155"],
            ),
        }
    }

    /// The xmsData document of a DeliverXms/SendXms request, judged with its findings.
    pub fn xms_data(&self, r: &Recorded) -> Result<XmsData, Stop> {
        self.judge_envelope(r)?;
        let payload = r.payload().ok_or_else(|| {
            self.cx.cite(["OMS-R139"]).fail(
                "xmsData parameter",
                "an xmsData string",
                "no parameter",
            )
        })?;
        match XmsData::parse(payload) {
            Err(e) => Err(self.cx.cite(["OMS-R139"]).fail(
                "xmsData readable",
                "a well-formed xmsData document",
                e.to_string(),
            )),
            Ok(p) => {
                record_findings(
                    &self.cx,
                    "xmsData",
                    &as_client_findings(&p.findings, "OMS-R086"),
                    &["OMS-R139", "OMS-R086"],
                )?;
                Ok(p.value)
            }
        }
    }

    /// The xmsBatch document of a DeliverXmsBatch request, judged with its findings.
    pub fn xms_batch(&self, r: &Recorded) -> Result<XmsBatch, Stop> {
        self.judge_envelope(r)?;
        let payload = r.payload().ok_or_else(|| {
            self.cx.cite(["OMS-R141"]).fail(
                "packageXml parameter",
                "a packageXml string",
                "no parameter",
            )
        })?;
        match XmsBatch::parse(payload) {
            Err(e) => Err(self.cx.cite(["OMS-R141"]).fail(
                "xmsBatch readable",
                "a well-formed xmsBatch document",
                e.to_string(),
            )),
            Ok(p) => {
                record_findings(
                    &self.cx,
                    "xmsBatch",
                    &as_client_findings(&p.findings, "OMS-R141"),
                    &["OMS-R141", "OMS-R142"],
                )?;
                Ok(p.value)
            }
        }
    }

    /// The request as a server reads it; one that cannot be read fails (it is no SOAP request
    /// for an OMS operation).
    fn readable<'r>(&self, r: &'r Recorded) -> Result<&'r OmsRequest, Stop> {
        r.parsed.as_ref().map_err(|e| {
            self.cx.cite(["OMS-R003", "OMS-R155"]).fail(
                "client request readable",
                "a SOAP 1.1 or 1.2 request for an OMS operation",
                e.to_string(),
            )
        })
    }

    /// The findings of a request's SOAP layer; none when it could not be read at all.
    pub fn envelope_findings(r: &Recorded) -> &[Finding] {
        r.parsed.as_ref().map_or(&[], |p| p.findings.as_slice())
    }

    /// The xmsData document of a DeliverXms/SendXms request with the parser's findings, not yet
    /// judged: a scenario judges only the rules it is about (`judge_findings`), so a client
    /// breaking one rule fails the scenario for that rule and not every scenario that reads
    /// its requests. A request without a readable xmsData fails.
    pub fn parse_xms_data(&self, r: &Recorded) -> Result<Parsed<XmsData>, Stop> {
        let payload = self.readable(r)?.payload.as_deref().ok_or_else(|| {
            self.cx.cite(["OMS-R139"]).fail(
                "xmsData parameter",
                "an xmsData string",
                "no parameter",
            )
        })?;
        XmsData::parse(payload).map_err(|e| {
            self.cx.cite(["OMS-R139"]).fail(
                "xmsData readable",
                "a well-formed xmsData document",
                e.to_string(),
            )
        })
    }

    /// The xmsBatch document of a DeliverXmsBatch request with the parser's findings, not yet
    /// judged (see `parse_xms_data`). A request without a readable xmsBatch fails.
    pub fn parse_xms_batch(&self, r: &Recorded) -> Result<Parsed<XmsBatch>, Stop> {
        let payload = self.readable(r)?.payload.as_deref().ok_or_else(|| {
            self.cx.cite(["OMS-R141"]).fail(
                "packageXml parameter",
                "a packageXml string",
                "no parameter",
            )
        })?;
        XmsBatch::parse(payload).map_err(|e| {
            self.cx.cite(["OMS-R141"]).fail(
                "xmsBatch readable",
                "a well-formed xmsBatch document",
                e.to_string(),
            )
        })
    }

    /// One check per requirement of `reqs` over the findings a parser reported under it, read
    /// as a client's findings (see `as_client_findings`); see
    /// `common::findings::judge_by_requirement`.
    pub fn judge_findings(
        &self,
        what: &str,
        findings: &[Finding],
        reqs: &[&str],
    ) -> Result<(), Stop> {
        let findings = as_client_findings(findings, "OMS-R155");
        judge_by_requirement(&self.cx, what, &findings, reqs)
    }
}
