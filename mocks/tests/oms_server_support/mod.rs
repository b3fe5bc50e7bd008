//! Shared by the oms_server tests: a running reference server with an SMTP sink for its
//! replies, a caller over real HTTP(S), and builders for the documents the tests send.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use oxconf_mocks::net::{client_config, HttpClient, Request};
use oxconf_mocks::oms::server::{
    reference, Faults, MockOmsServer, ServerConfig, StartOptions, WRONG_TO,
};
use oxconf_mocks::oms::{Call, OmsCaller};
use oxconf_mocks::record::Arrival;
use oxconf_mocks::smtp::{ReceivedMail, SinkConfig, SmtpSink};
use wire::oms::{
    pairing_findings, Audio, Content, Img, Layout, Meta, MmsSlides, Operation, Par, Region,
    RootLayout, ServiceInfo, SmilHead, Text, User, UserInfo, XmsBatch, XmsBody, XmsData,
    XmsDataInBatch, XmsHead, XmsResponse, XmsResponses, XmsUser,
};
use wire::soap::SoapVersion;

pub(crate) const GIF_B64: &str = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
pub(crate) const MID_B64: &str = "TVRoZAAAAAYAAQABAGA=";
pub(crate) const AMR_B64: &str = "IyFBTVIKPAg=";

pub(crate) struct Peer {
    pub server: MockOmsServer,
    pub caller: OmsCaller,
    pub sink: SmtpSink,
}

pub(crate) fn faults(names: &[&str]) -> Faults {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    Faults::parse(&names).expect("known faults")
}

impl Peer {
    /// The reference data over plain HTTP.
    pub(crate) async fn start(fault_names: &[&str]) -> Peer {
        Peer::start_with(ServerConfig::reference(), fault_names, false).await
    }

    pub(crate) async fn start_tls(fault_names: &[&str]) -> Peer {
        Peer::start_with(ServerConfig::reference(), fault_names, true).await
    }

    pub(crate) async fn start_with(config: ServerConfig, fault_names: &[&str], tls: bool) -> Peer {
        let sink = SmtpSink::start(SinkConfig::new(vec![
            reference::REPLY_ADDRESS.to_string(),
            WRONG_TO.to_string(),
        ]))
        .await
        .expect("sink starts");
        let server = MockOmsServer::start(
            config,
            faults(fault_names),
            StartOptions {
                listen: SocketAddr::from(([127, 0, 0, 1], 0)),
                tls,
                smtp_relay: Some(sink.local_addr()),
            },
        )
        .await
        .expect("server starts");
        let tls_config = server
            .ca_pem()
            .map(|pem| client_config(Some(pem), false).expect("client trusts the CA"));
        let caller = OmsCaller::new(HttpClient::new(tls_config), server.url());
        Peer {
            server,
            caller,
            sink,
        }
    }

    pub(crate) fn http(&self) -> &HttpClient {
        &self.caller.http
    }

    pub(crate) async fn call(
        &self,
        op: Operation,
        version: SoapVersion,
        payload: Option<&str>,
    ) -> Call {
        self.caller.call(op, version, payload).await
    }

    /// POST to a control path with a JSON body: (status, body text).
    pub(crate) async fn control(&self, path: &str, json: &str) -> (u16, String) {
        let url = format!("{}{path}", self.server.base_url());
        let req = Request::new("POST", &url)
            .header("Content-Type", "application/json")
            .body(json.as_bytes().to_vec());
        let ex = self.http().send(req).await;
        let r = ex.response().expect("control endpoint answers");
        (r.status, r.text())
    }

    pub(crate) async fn service_info(&self, version: SoapVersion) -> ServiceInfo {
        let call = self.call(Operation::GetServiceInfo, version, None).await;
        let payload = clean_result(&call, version);
        let parsed = ServiceInfo::parse(&payload).expect("serviceInfo reads");
        // Over plain HTTP the real serviceUri is http://, a tolerated deviation (E-OMS-17).
        let https = self.server.url().starts_with("https://");
        assert!(
            parsed
                .findings
                .iter()
                .all(|f| !https && f.rule == wire::oms::rules::SERVICE_INFO_URI_NOT_HTTPS),
            "serviceInfo findings: {:?}",
            parsed.findings
        );
        parsed.value
    }

    pub(crate) async fn user_info(
        &self,
        version: SoapVersion,
        user: Option<&str>,
        password: Option<&str>,
        custom_data: Option<&str>,
    ) -> UserInfo {
        let xml = XmsUser {
            client: Some("oxconf test".into()),
            user_id: user.map(str::to_owned),
            password: password.map(str::to_owned),
            custom_data: custom_data.map(str::to_owned),
        }
        .to_xml();
        let call = self.call(Operation::GetUserInfo, version, Some(&xml)).await;
        let payload = clean_result(&call, version);
        let parsed = UserInfo::parse(&payload).expect("userInfo reads");
        assert_eq!(parsed.findings, vec![], "userInfo findings");
        parsed.value
    }

    /// DeliverXms (or SendXms) with a raw xmsData text; the result must be a clean,
    /// correctly paired xmsResponse.
    pub(crate) async fn deliver_text(
        &self,
        op: Operation,
        version: SoapVersion,
        xms: &str,
    ) -> XmsResponse {
        let call = self.call(op, version, Some(xms)).await;
        let payload = clean_result(&call, version);
        let parsed = XmsResponse::parse(&payload).expect("xmsResponse reads");
        assert_eq!(parsed.findings, vec![], "xmsResponse findings");
        assert_eq!(
            pairing_findings(&parsed.value.errors),
            vec![],
            "pairing of {payload}"
        );
        parsed.value
    }

    pub(crate) async fn deliver(&self, data: &XmsData) -> XmsResponse {
        self.deliver_text(Operation::DeliverXms, SoapVersion::V11, &data.to_xml())
            .await
    }

    pub(crate) async fn batch_text(&self, version: SoapVersion, package: &str) -> XmsResponses {
        let call = self
            .call(Operation::DeliverXmsBatch, version, Some(package))
            .await;
        let payload = clean_result(&call, version);
        let parsed = XmsResponses::parse(&payload).expect("xmsResponses reads");
        assert_eq!(parsed.findings, vec![], "xmsResponses findings");
        assert_eq!(
            parsed.value.pairing_findings(),
            vec![],
            "pairing of {payload}"
        );
        parsed.value
    }

    pub(crate) async fn wait_mail(&self, count: usize) -> Vec<Arrival<ReceivedMail>> {
        self.sink.wait_for(count, Duration::from_secs(10)).await
    }
}

/// The unescaped result of a 200 answer in `version` without any finding.
pub(crate) fn clean_result(call: &Call, version: SoapVersion) -> String {
    assert_eq!(
        call.status(),
        Some(200),
        "{}",
        call.exchange.response_text()
    );
    let response = call.response().expect("readable response");
    assert_eq!(response.version, version);
    assert_eq!(response.findings, vec![], "envelope findings");
    call.result_payload()
        .expect("a result, not a fault")
        .to_string()
}

/// (code, severity) of each error.
pub(crate) fn codes(r: &XmsResponse) -> Vec<(String, String)> {
    r.errors
        .iter()
        .map(|e| {
            (
                e.code.clone().unwrap_or_default(),
                e.severity.clone().unwrap_or_default(),
            )
        })
        .collect()
}

pub(crate) fn code_names(r: &XmsResponse) -> Vec<String> {
    r.errors
        .iter()
        .map(|e| e.code.clone().unwrap_or_default())
        .collect()
}

pub(crate) fn user(name: &str) -> User {
    User {
        user_id: Some(name.to_string()),
        password: Some(reference::password_of(name)),
        reply_phone: None,
        custom_data: None,
    }
}

pub(crate) fn text_content(i: usize, text: &str) -> Content {
    Content {
        content_type: "text/plain".into(),
        content_id: format!("Att{i}.txt@oxconf"),
        content_location: format!("{i}.txt"),
        text: text.into(),
    }
}

pub(crate) fn head(recipients: &[&str]) -> XmsHead {
    XmsHead {
        scheduled: None,
        required_service: None,
        source_type: None,
        to: recipients.iter().map(|s| s.to_string()).collect(),
        subject: None,
    }
}

/// A text message from `name` to the reference recipients.
pub(crate) fn sms_from(name: &str, texts: &[&str]) -> XmsData {
    XmsData {
        client: Some("oxconf test".into()),
        user: Some(user(name)),
        head: Some(head(&reference::RECIPIENTS)),
        body: XmsBody {
            format: "SMS".into(),
            slides: None,
            contents: texts
                .iter()
                .enumerate()
                .map(|(i, t)| text_content(i, t))
                .collect(),
        },
    }
}

pub(crate) fn sms(texts: &[&str]) -> XmsData {
    sms_from(reference::USER, texts)
}

pub(crate) fn media(i: usize, content_type: &str, location: &str, data: &str) -> Content {
    Content {
        content_type: content_type.into(),
        content_id: format!("Att{i}@oxconf"),
        content_location: location.into(),
        text: data.into(),
    }
}

/// The corrected E-OMS-13 message: one slide with image, text and sound.
pub(crate) fn mms_from(name: &str, with_slides: bool) -> XmsData {
    let contents = vec![
        Content {
            content_type: "text/plain".into(),
            content_id: "Att0.txt@oxconf".into(),
            content_location: "1.txt".into(),
            text: "This is the text part".into(),
        },
        media(1, "image/gif", "106675.gif", GIF_B64),
        media(2, "audio/mid", "1898.mid", MID_B64),
    ];
    let slides = with_slides.then(|| slides_for(1, "cid:"));
    XmsData {
        client: Some("oxconf test".into()),
        user: Some(user(name)),
        head: Some(XmsHead {
            subject: Some("Holiday".into()),
            ..head(&reference::RECIPIENTS)
        }),
        body: XmsBody {
            format: "MMS".into(),
            slides,
            contents,
        },
    }
}

pub(crate) fn mms(with_slides: bool) -> XmsData {
    mms_from(reference::USER, with_slides)
}

/// `pars` slides each showing the three contents of `mms_from`, src written with `prefix`.
pub(crate) fn slides_for(pars: usize, prefix: &str) -> MmsSlides {
    MmsSlides {
        head: Some(SmilHead {
            meta: Some(Meta {
                name: "author".into(),
                content: "msOfficeOutlookOms".into(),
            }),
            layout: Layout {
                root: RootLayout {
                    width: 120,
                    height: 120,
                    background_color: "#ffffff".into(),
                },
                regions: vec![
                    Region {
                        id: "Image".into(),
                        left: "0".into(),
                        top: "0".into(),
                        width: "120".into(),
                        height: "90".into(),
                        fit: Some("slice".into()),
                    },
                    Region {
                        id: "Text".into(),
                        left: "0".into(),
                        top: "90".into(),
                        width: "120".into(),
                        height: "30".into(),
                        fit: Some("slice".into()),
                    },
                ],
            },
        }),
        body: (0..pars)
            .map(|_| Par {
                dur: "3000".into(),
                img: Some(Img {
                    src: format!("{prefix}Att1@oxconf"),
                    region: "Image".into(),
                }),
                text: Some(Text {
                    src: format!("{prefix}Att0.txt@oxconf"),
                    region: "Text".into(),
                    foreground_color: None,
                }),
                audio: Some(Audio {
                    src: format!("{prefix}Att2@oxconf"),
                }),
            })
            .collect(),
    }
}

pub(crate) fn batch_of(items: Vec<(u32, XmsData)>) -> XmsBatch {
    XmsBatch {
        client: Some("oxconf test".into()),
        items: items
            .into_iter()
            .map(|(id, d)| XmsDataInBatch {
                id,
                user: d.user,
                head: d.head,
                body: d.body,
            })
            .collect(),
    }
}

/// `n` distinct valid recipients outside the reference ones.
pub(crate) fn many_recipients(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("1360000{i:04}")).collect()
}
