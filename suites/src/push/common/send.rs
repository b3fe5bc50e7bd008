//! Sending one SendNotification as Exchange does (digest 3.6): a POST with the SOAP 1.1
//! binding's text/xml and SOAPAction, or SOAP 1.2's application/soap+xml with the action
//! parameter; recorded in the transcript as sent and as answered.

use crate::common::http::record_exchange;
use harness::Cx;
use mocks::net::{Exchange, HttpClient, Request};
use wire::ews::{ns, write_send_notification, Prefixes, SendNotification};
use wire::soap::{request_headers, SoapVersion};

/// What to POST.
#[derive(Clone, Debug)]
pub struct Post {
    pub version: SoapVersion,
    /// The SOAPAction (1.1) or action parameter (1.2); `None` sends none.
    pub action: Option<String>,
    pub body: String,
}

impl Post {
    /// `n` written in `prefixes` style, with the operation's own action.
    pub fn notification(version: SoapVersion, n: &SendNotification, prefixes: &Prefixes) -> Post {
        Post {
            version,
            action: Some(ns::action("SendNotification")),
            body: write_send_notification(version, n, prefixes),
        }
    }

    /// A body of the caller's making (malformed requests, unknown elements).
    pub fn raw(version: SoapVersion, body: String) -> Post {
        Post {
            version,
            action: Some(ns::action("SendNotification")),
            body,
        }
    }

    pub fn without_action(mut self) -> Post {
        self.action = None;
        self
    }

    pub fn with_action(mut self, action: &str) -> Post {
        self.action = Some(action.to_string());
        self
    }

    fn headers(&self) -> Vec<(String, String)> {
        match &self.action {
            Some(action) => request_headers(self.version, action),
            None => vec![(
                "Content-Type".to_string(),
                format!("{}; charset=utf-8", super::media_type(self.version)),
            )],
        }
    }
}

/// POSTs `post` to `url` and records the exchange under `title`.
pub async fn post_notification(
    cx: &Cx,
    http: &HttpClient,
    url: &str,
    title: &str,
    post: &Post,
) -> Exchange {
    let mut req = Request::new("POST", url).body(post.body.clone().into_bytes());
    for (n, v) in post.headers() {
        req = req.header(&n, &v);
    }
    let exchange = http.send(req).await;
    record_exchange(cx, title, &exchange);
    exchange
}
