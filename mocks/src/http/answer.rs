//! What a scripted HTTP peer answers with: a reply (fixed, or computed from the request),
//! optionally held back, or no reply at all (a hang, a reset). Those last two are what a
//! listener must be able to do to test a caller's timeouts and retries.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::exchange::HttpRequest;

/// A response: status, headers, body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

impl Reply {
    /// `status` with no headers and an empty body.
    pub fn new(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// `status` with a text/plain body.
    pub fn text(status: u16, text: &str) -> Reply {
        Reply::new(status).body("text/plain; charset=utf-8", text.to_owned())
    }

    /// Sets the body and its Content-Type (replacing an earlier Content-Type).
    pub fn body(mut self, content_type: &str, body: impl Into<Bytes>) -> Reply {
        self.headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        self.headers
            .push(("Content-Type".to_owned(), content_type.to_owned()));
        self.body = body.into();
        self
    }

    /// Adds a header (a repeated name is sent repeatedly).
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The first header called `name`, compared case-insensitively.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// HTTP cannot carry a status outside 100-999, so such a scripted status goes out as 500.
    pub(crate) fn sendable(mut self) -> Reply {
        if !(100..=999).contains(&self.status) {
            self.status = 500;
        }
        self
    }
}

type Compute = Arc<dyn Fn(&HttpRequest) -> Reply + Send + Sync>;

#[derive(Clone)]
pub(crate) enum What {
    Reply(Reply),
    Computed(Compute),
    Hang,
    Reset,
}

/// One answer of a script.
#[derive(Clone)]
pub struct Answer {
    pub(crate) what: What,
    pub(crate) delay: Duration,
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.what {
            What::Reply(r) => format!("Reply({})", r.status),
            What::Computed(_) => "Computed(..)".to_owned(),
            What::Hang => "Hang".to_owned(),
            What::Reset => "Reset".to_owned(),
        };
        f.debug_struct("Answer")
            .field("what", &what)
            .field("delay", &self.delay)
            .finish()
    }
}

impl From<Reply> for Answer {
    fn from(reply: Reply) -> Answer {
        Answer::reply(reply)
    }
}

impl Answer {
    fn of(what: What) -> Answer {
        Answer {
            what,
            delay: Duration::ZERO,
        }
    }

    pub fn reply(reply: Reply) -> Answer {
        Answer::of(What::Reply(reply))
    }

    /// `status`, no body.
    pub fn status(status: u16) -> Answer {
        Answer::reply(Reply::new(status))
    }

    /// `status` with a text/plain body.
    pub fn text(status: u16, text: &str) -> Answer {
        Answer::reply(Reply::text(status, text))
    }

    /// A reply computed from the request it answers (echoing an id, following its SOAP
    /// version). It runs on the server's task while the request is being matched: keep it
    /// quick, and do not call back into the peer from it.
    pub fn computed(f: impl Fn(&HttpRequest) -> Reply + Send + Sync + 'static) -> Answer {
        Answer::of(What::Computed(Arc::new(f)))
    }

    /// Never answer: the connection stays open until [`super::HANG`] passes (then it is
    /// reset) or the peer is dropped (then it is closed).
    pub fn hang() -> Answer {
        Answer::of(What::Hang)
    }

    /// Close the connection without a response, with a TCP reset, as a crashed server does.
    pub fn reset() -> Answer {
        Answer::of(What::Reset)
    }

    /// Holds the reply back for `delay` (keep it under [`super::HANG`]). A hang or a reset
    /// happens at once whatever the delay.
    pub fn after(mut self, delay: Duration) -> Answer {
        self.delay = delay;
        self
    }

    pub(crate) fn is_reset(&self) -> bool {
        matches!(self.what, What::Reset)
    }
}
