//! HTTP peers that a system under test calls: scripted per scenario, recording every exchange.
//!
//! The protocol decides how requests are told apart (a [`Route`]: the SOAP action, the SOAP
//! body element, the path), the scenario decides what each kind of request is answered with
//! ([`Answer`]: a reply, computed or not, after a delay, or a hang or a reset) and how often it
//! must come ([`Calls`]). The peer records each exchange in a [`crate::record::Recorder`] so the
//! scenario can wait for a callback and judge it with its raw bytes and arrival time.

mod answer;
mod exchange;
mod expect;
mod route;
mod scripted;

pub use answer::{Answer, Reply};
pub use exchange::{AnsweredBy, Exchange, Given, HttpRequest};
pub use expect::Calls;
pub use route::Route;
pub use scripted::{ExchangeHook, ScriptedHttp, ScriptedHttpConfig, HANG};
