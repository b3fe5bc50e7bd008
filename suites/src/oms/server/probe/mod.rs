//! The scenario-side view of an OMS server under test, one module per concern: the
//! transport (`transport`: calls that record their exchange and tell an unreachable SUT from a
//! misbehaving one), the typed operations (`operations`), the message builders with the
//! profile's account and recipients (`builders`), the checks that recur across scenarios
//! (`checks`), and how answers are summarised for the actual side of checks (`answers`).
//! What the service advertises, read the way scenarios provoke it, is in `advertised`.

mod advertised;
mod answers;
mod builders;
mod checks;
mod operations;
mod transport;

#[cfg(test)]
pub(crate) use advertised::test_sender;
pub use advertised::{mms_sender, slide_sender, sms_sender, text_ceiling};
pub use answers::{codes_of, outcome_of, recipient_set, reports, shown, DeliverAnswer};

use super::env::ServerEnv;
use crate::common::nonce::Nonces;
use harness::{Cx, Level, Stop};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use wire::soap::SoapVersion;

/// Requirement ids for "the SOAP layer of a response is readable and well-formed".
const SOAP_REQS: &[&str] = &["OMS-R004", "OMS-R155"];

/// One scenario's probe of the server: its context, the environment, its nonces, and whether
/// a request used the profile's own account (which the preflight may have found refused).
pub struct Oms {
    pub cx: Cx,
    pub env: Arc<ServerEnv>,
    nonces: Nonces,
    /// Set once a request was built with the profile's own account (`user`, `xms_user`).
    uses_account: AtomicBool,
}

impl Oms {
    pub fn new(cx: &Cx) -> Result<Oms, Stop> {
        Ok(Oms {
            env: cx.env::<ServerEnv>()?,
            cx: cx.clone(),
            nonces: Nonces::new(),
            uses_account: AtomicBool::new(false),
        })
    }

    /// The helpers over another environment (a private reference peer, see
    /// `ServerEnv::private_reference`).
    pub fn with_env(cx: &Cx, env: Arc<ServerEnv>) -> Oms {
        Oms {
            env,
            cx: cx.clone(),
            nonces: Nonces::new(),
            uses_account: AtomicBool::new(false),
        }
    }

    /// The SOAP version scenarios use unless they test the bindings.
    pub fn soap(&self) -> SoapVersion {
        self.env.soap
    }

    /// A short token unique to this scenario and call, to recognise our own messages (for
    /// example reply mails) among those of scenarios running at the same time.
    pub fn nonce(&self) -> String {
        self.nonces.next(self.cx.id())
    }

    /// Checks for the protocol's basic obligations (a response arrives, it is readable): binding
    /// whatever the scenario's own level, so a SHOULD-level scenario still fails, rather than
    /// errs, against a SUT that resets or sends garbage.
    fn binding(&self, reqs: &[&str]) -> harness::Checks<'_> {
        self.cx.cite(reqs.iter().copied()).level(Level::Must)
    }

    /// A request built with the profile's own account cannot be judged when the preflight found
    /// that account refused: the scenario is inconclusive, naming the keys to check.
    pub fn account_usable(&self) -> Result<(), Stop> {
        match &self.env.account_refused {
            Some(hint) if self.uses_account.load(Ordering::Relaxed) => {
                Err(Stop::inconclusive(hint.clone()))
            }
            _ => Ok(()),
        }
    }
}
