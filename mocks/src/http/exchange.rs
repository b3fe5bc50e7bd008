//! What a scripted HTTP peer saw and did: the request as the peer read it, and the record of
//! one exchange (the request's head, the key it was routed by, the answer it got). The body
//! is not part of the record: it is the [`crate::record::Arrival`]'s raw bytes, as received.

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;

use super::answer::Reply;

/// A request as the peer received it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    pub query: Option<String>,
    /// Names in lower case (as the HTTP stack delivers them), values decoded lossily, in
    /// arrival order.
    pub headers: Vec<(String, String)>,
    /// Exactly as received.
    pub body: Bytes,
}

impl HttpRequest {
    /// The first header called `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Path and query, as requested.
    pub fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    /// The body as text; invalid UTF-8 shows as U+FFFD instead of failing, so routing and
    /// answers can read a broken client's request.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    pub(crate) fn from_wiremock(request: &wiremock::Request) -> HttpRequest {
        HttpRequest {
            method: request.method.as_str().to_owned(),
            path: request.url.path().to_owned(),
            query: request.url.query().map(str::to_owned),
            headers: request
                .headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: Bytes::copy_from_slice(&request.body),
        }
    }
}

/// The answer a request got, as it went out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Given {
    /// A response; a scripted status outside 100-999 went out as 500.
    Reply(Reply),
    /// No response: the connection was held open until the peer let go.
    Hang,
    /// No response: the connection was reset.
    Reset,
}

impl Given {
    pub fn reply(&self) -> Option<&Reply> {
        match self {
            Given::Reply(r) => Some(r),
            Given::Hang | Given::Reset => None,
        }
    }
}

/// Which part of the script answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnsweredBy {
    /// The scenario's answers for the request's key.
    Script,
    /// The standing answer for the key, when the scenario scripted none.
    Default,
    /// Nothing for the key (or no key at all): the fallback.
    Fallback,
}

/// One exchange; its request body is the arrival's raw bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exchange {
    pub method: String,
    /// Path and query, as requested.
    pub target: String,
    /// As in [`HttpRequest::headers`].
    pub headers: Vec<(String, String)>,
    /// What the route made of the request; `None` when it could not say.
    pub key: Option<String>,
    pub answered_by: AnsweredBy,
    pub answer: Given,
    /// How long the answer was held back.
    pub delay: Duration,
}

impl Exchange {
    /// The first header called `name`, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}
