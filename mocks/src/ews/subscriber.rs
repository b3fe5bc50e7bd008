//! The reference subscriber application: what a well-behaved app does when told to subscribe
//! (the `push-subscriber` trigger contract): one push Subscribe to the EWS URL it is given,
//! with the account's Basic credentials, then one JSON line saying what it understood. With
//! its own listener it puts that listener's URL in Subscribe and answers the notifications.

use crate::ews::listener::{self, ListenerOptions, MockListener};
use crate::fault::{Fault, FaultSet, FaultTable, Variant};
use crate::net::{client_config, HttpClient, Request};
use base64::Engine as _;
use std::sync::Mutex;
use wire::ews::{
    ns, read_response, write_request, EventKind, EwsRequest, EwsResponse, FolderRef,
    PushSubscriptionRequest,
};
use wire::soap::{request_headers, SoapVersion};
use wire::xml::Limits;

pub const FAULTS: &[Fault] = &[
    Fault::protocol(
        "pull-request",
        "sends a PullSubscriptionRequest instead of a PushSubscriptionRequest",
    ),
    Fault::protocol("wrong-order", "puts URL before StatusFrequency"),
    Fault::protocol(
        "types-in-messages-ns",
        "writes EventTypes in the messages namespace",
    ),
    Fault::protocol("status-event-type", "names StatusEvent in EventTypes"),
    Fault::protocol("bad-frequency", "sends StatusFrequency 0"),
    Fault::protocol("no-frequency", "omits StatusFrequency"),
    Fault::protocol("relative-url", "sends a relative push URL"),
    Fault::protocol(
        "bad-version",
        "sends RequestServerVersion Version=\"Exchange2099\"",
    ),
    Fault::protocol("no-version-header", "sends no RequestServerVersion header"),
    Fault::protocol("wrong-soap-action", "sends the SOAPAction of GetEvents"),
    Fault::protocol("no-credentials", "sends no Authorization header"),
    Fault::protocol(
        "wrong-id-reported",
        "reports a subscription id other than the one returned",
    ),
    Fault::protocol(
        "error-as-success",
        "reports a refused Subscribe as a subscription",
    ),
    Fault::protocol(
        "listener-lowercase-ok",
        "its own listener answers \"ok\" instead of \"OK\"",
    ),
    Fault::hostile("hang", "never finishes (the trigger times out)"),
    Fault::hostile(
        "garbage-output",
        "prints bytes that are not JSON instead of its line",
    ),
];

pub const VARIANTS: &[Variant] = &[
    Variant::new(
        "time-zone-header",
        "adds a t:TimeZoneContext header, as some client libraries do",
    ),
    Variant::new(
        "all-folders",
        "subscribes with SubscribeToAllFolders instead of FolderIds",
    ),
];

pub struct SubscriberFaults;

impl FaultTable for SubscriberFaults {
    const PEER: &'static str = "push-subscriber";
    const FAULTS: &'static [Fault] = FAULTS;
    const VARIANTS: &'static [Variant] = VARIANTS;
}

pub type Faults = FaultSet<SubscriberFaults>;

/// What the app is told (the trigger's placeholders).
#[derive(Clone, Debug, Default)]
pub struct AppArgs {
    pub ews_url: String,
    pub user: String,
    pub password: String,
    pub callback_url: String,
    /// The CA of an https EWS URL.
    pub ca_pem: Option<String>,
}

/// What the app printed and logged.
#[derive(Clone, Debug, Default)]
pub struct AppRun {
    pub stdout: String,
    pub stderr: String,
}

/// The app; its own listeners live as long as it does.
pub struct ReferenceApp {
    faults: Faults,
    own_listener: bool,
    listeners: Mutex<Vec<MockListener>>,
}

fn json_line(value: serde_json::Value) -> String {
    format!("{value}\n")
}

impl ReferenceApp {
    pub fn new(faults: Faults, own_listener: bool) -> ReferenceApp {
        ReferenceApp {
            faults,
            own_listener,
            listeners: Mutex::new(Vec::new()),
        }
    }

    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    fn body(&self, url: &str) -> String {
        let f = &self.faults;
        let mut p = PushSubscriptionRequest::new(
            url,
            &[EventKind::NewMail, EventKind::Created, EventKind::Moved],
            1,
        );
        if f.is_on("all-folders") {
            p.subscribe_to_all_folders = Some(true);
        } else {
            p.folder_ids = vec![FolderRef::distinguished("inbox")];
        }
        if f.is_on("status-event-type") {
            p.event_types.push("StatusEvent".into());
        }
        if f.is_on("bad-frequency") {
            p.status_frequency = Some("0".into());
        }
        if f.is_on("no-frequency") {
            p.status_frequency = None;
        }
        if f.is_on("relative-url") {
            p.url = "/push".into();
        }
        let version = if f.is_on("no-version-header") {
            None
        } else if f.is_on("bad-version") {
            Some("Exchange2099")
        } else {
            Some("Exchange2013_SP1")
        };
        let mut text = write_request(SoapVersion::V11, version, &EwsRequest::Subscribe(p));
        if f.is_on("pull-request") {
            text = text.replace("PushSubscriptionRequest", "PullSubscriptionRequest");
        }
        if f.is_on("wrong-order") {
            if let (Some(a), Some(b)) = (text.find("<t:StatusFrequency>"), text.find("</t:URL>")) {
                let freq_end = text
                    .find("</t:StatusFrequency>")
                    .map(|e| e + "</t:StatusFrequency>".len());
                if let Some(e) = freq_end {
                    let freq = text[a..e].to_string();
                    let url_end = b + "</t:URL>".len();
                    let url = text[e..url_end].to_string();
                    text.replace_range(a..url_end, &format!("{url}{freq}"));
                }
            }
        }
        if f.is_on("types-in-messages-ns") {
            text = text
                .replace("<t:EventTypes>", "<m:EventTypes>")
                .replace("</t:EventTypes>", "</m:EventTypes>");
        }
        if f.is_on("time-zone-header") {
            let tz = "<t:TimeZoneContext><t:TimeZoneDefinition Id=\"UTC\"/></t:TimeZoneContext>";
            text = match text.find("<soap:Header>") {
                Some(_) => text.replacen("<soap:Header>", &format!("<soap:Header>{tz}"), 1),
                None => text.replacen(
                    "<soap:Body>",
                    &format!("<soap:Header>{tz}</soap:Header><soap:Body>"),
                    1,
                ),
            };
        }
        text
    }

    /// Subscribes as told and returns what it prints.
    pub async fn subscribe(&self, args: AppArgs) -> AppRun {
        let f = &self.faults;
        if f.is_on("hang") {
            std::future::pending::<()>().await;
        }
        if f.is_on("garbage-output") {
            return AppRun {
                stdout: "\u{1}\u{2}subscribed?!\n".into(),
                stderr: String::new(),
            };
        }
        let mut log = String::new();
        let callback = if self.own_listener {
            let mut opts = ListenerOptions::default();
            let mut lf = listener::Faults::none();
            if f.is_on("listener-lowercase-ok") {
                lf = listener::Faults::parse(&["lowercase-ok".to_string()]).unwrap_or_default();
            }
            opts.path = "/app-listener".into();
            match MockListener::start(opts, lf).await {
                Ok(l) => {
                    let url = l.url();
                    self.listeners
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .push(l);
                    url
                }
                Err(e) => {
                    return AppRun {
                        stdout: String::new(),
                        stderr: format!("cannot start my listener: {e}\n"),
                    };
                }
            }
        } else {
            args.callback_url.clone()
        };
        let tls = match client_config(args.ca_pem.as_deref(), false) {
            Ok(t) => Some(t),
            Err(e) => {
                return AppRun {
                    stdout: String::new(),
                    stderr: format!("TLS: {e}\n"),
                }
            }
        };
        let http = HttpClient::new(tls);
        let action = if f.is_on("wrong-soap-action") {
            ns::action("GetEvents")
        } else {
            ns::action("Subscribe")
        };
        let mut req = Request::new("POST", &args.ews_url).body(self.body(&callback).into_bytes());
        for (n, v) in request_headers(SoapVersion::V11, &action) {
            req = req.header(&n, &v);
        }
        if !f.is_on("no-credentials") {
            let basic = base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", args.user, args.password));
            req = req.header("Authorization", &format!("Basic {basic}"));
        }
        let exchange = http.send(req).await;
        let response = match &exchange.result {
            Err(e) => {
                log.push_str(&format!("Subscribe failed: {e}\n"));
                return AppRun {
                    stdout: json_line(serde_json::json!({"error": format!("transport: {e}")})),
                    stderr: log,
                };
            }
            Ok(r) => r,
        };
        log.push_str(&format!("Subscribe answered HTTP {}\n", response.status));
        let read = read_response(&String::from_utf8_lossy(&response.body), Limits::default());
        let message = match read.map(|r| r.value) {
            Ok(EwsResponse::Subscribe(list)) => list.into_iter().next(),
            _ => None,
        };
        let line = match message {
            Some(m) if m.subscription_id.is_some() => {
                let id = if f.is_on("wrong-id-reported") {
                    format!("{}-mine", m.subscription_id.unwrap_or_default())
                } else {
                    m.subscription_id.unwrap_or_default()
                };
                serde_json::json!({"subscription_id": id, "watermark": m.watermark.unwrap_or_default()})
            }
            Some(m) if f.is_on("error-as-success") => {
                let _ = m;
                serde_json::json!({"subscription_id": "", "watermark": ""})
            }
            Some(m) => {
                serde_json::json!({"error": m.response.response_code.unwrap_or_else(|| "Error".into())})
            }
            None if f.is_on("error-as-success") => {
                serde_json::json!({"subscription_id": "", "watermark": ""})
            }
            None => {
                serde_json::json!({"error": format!("HTTP {} without a SubscribeResponse", response.status)})
            }
        };
        AppRun {
            stdout: json_line(line),
            stderr: log,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_is_well_formed() {
        assert!(crate::fault::table_problems::<super::SubscriberFaults>().is_empty());
    }
}
