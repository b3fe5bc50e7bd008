//! Checks that recur across scenarios: what an xmsResponse must say for a delivered, refused
//! or partly refused message, with the code spellings and severities of MS-OMS 2.2.4.4.

use super::{codes_of, recipient_set, shown, Oms};
use crate::common::catalogue::level_of;
use crate::common::findings::record_findings;
use harness::{Level, Stop};
use wire::oms::{codes, delivered, DeliveryError};

impl Oms {
    /// The first error element with `code` (exact spelling), or a failed check listing what
    /// came instead.
    pub fn expect_code<'r>(
        &self,
        what: &str,
        errors: &'r [DeliveryError],
        code: &str,
    ) -> Result<&'r DeliveryError, Stop> {
        let found = errors.iter().find(|e| e.code.as_deref() == Some(code));
        let seen = codes_of(errors);
        self.cx.expect(
            what,
            found.is_some(),
            format!("an error element with code {code:?}"),
            seen,
        )?;
        found.ok_or(Stop::Failed)
    }

    /// At least one error element with severity "failure": the message was not delivered.
    pub fn expect_failure(&self, what: &str, errors: &[DeliveryError]) -> Result<(), Stop> {
        let failed = errors.iter().any(DeliveryError::is_failure);
        self.cx.cite(["OMS-R037"]).expect(
            what,
            failed,
            "an error element with severity \"failure\"",
            codes_of(errors),
        )
    }

    /// Delivered (`wire::oms::delivered`): an "ok"/"neutral" element and no failure.
    pub fn expect_delivered(&self, what: &str, errors: &[DeliveryError]) -> Result<(), Stop> {
        self.expect_delivered_citing(what, errors, &["OMS-R036"])
    }

    /// Delivered, as `expect_delivered`, but citing `reqs`.
    pub fn expect_delivered_citing(
        &self,
        what: &str,
        errors: &[DeliveryError],
        reqs: &[&str],
    ) -> Result<(), Stop> {
        self.cx.cite(reqs.iter().copied()).expect(
            what,
            delivered(errors),
            "code \"ok\" with severity \"neutral\" and no failure",
            codes_of(errors),
        )
    }

    /// Code/severity/content pairing rules of MS-OMS 2.2.4.4 on every element.
    pub fn expect_pairing(&self, what: &str, errors: &[DeliveryError]) -> Result<(), Stop> {
        record_findings(
            &self.cx,
            what,
            &wire::oms::pairing_findings(errors),
            &["OMS-R036", "OMS-R037"],
        )
    }

    /// The provoked situation must be reported with the listed `code` (exact spelling,
    /// E-OMS-28) and its severity: "failure", or either severity for noScheduled and
    /// lowBalance (E-OMS-33). Another listed code, or none, fails; a provider-defined code with
    /// severity "failure" is accepted with a warning (E-OMS-31) and gives `None`, as there is
    /// nothing more to judge.
    pub fn expect_reported<'r>(
        &self,
        what: &str,
        errors: &'r [DeliveryError],
        code: &str,
        reqs: &[&str],
    ) -> Result<Option<&'r DeliveryError>, Stop> {
        let seen = codes_of(errors);
        let checks = self
            .cx
            .cite(reqs.iter().copied())
            .level(level_of(reqs.first().copied().unwrap_or("OMS-R037")));
        if let Some(e) = errors.iter().find(|e| e.code.as_deref() == Some(code)) {
            checks.check(
                what,
                true,
                format!("an error element with code {code:?}"),
                &seen,
            );
            let severity = e.severity.as_deref();
            let either = codes::NEUTRAL_OR_FAILURE.contains(&code);
            let (ok, expected) = if either {
                (
                    matches!(severity, Some(codes::NEUTRAL | codes::FAILURE)),
                    "severity \"neutral\" or \"failure\" (E-OMS-33)",
                )
            } else {
                (severity == Some(codes::FAILURE), "severity \"failure\"")
            };
            let mut ids: Vec<&str> = reqs.to_vec();
            ids.push("OMS-R037");
            self.cx
                .cite(ids.iter().copied())
                .level(Level::Must)
                .expect(
                    &format!("severity of {code}"),
                    ok,
                    expected,
                    shown(severity),
                )?;
            return Ok(Some(e));
        }
        let code_of = |e: &DeliveryError| e.code.clone().unwrap_or_default();
        if let Some(e) = errors
            .iter()
            .find(|e| e.code.as_deref().and_then(codes::canonical) == Some(code))
        {
            checks.expect(
                what,
                false,
                format!("code {code:?} exactly (case-sensitive, E-OMS-28)"),
                format!("code {:?}; all: {seen}", code_of(e)),
            )?;
            return Ok(None);
        }
        let listed_failure = errors.iter().find(|e| {
            e.code.as_deref().is_some_and(|c| {
                codes::TABLE.contains(&c) && !codes::NEUTRAL_OR_FAILURE.contains(&c)
            })
        });
        let provider_defined = errors.iter().find(|e| {
            e.is_failure()
                && e.code
                    .as_deref()
                    .is_some_and(|c| !c.is_empty() && codes::canonical(c).is_none())
        });
        match (listed_failure, provider_defined) {
            (None, Some(e)) => {
                checks.deviation(
                    what,
                    "E-OMS-31",
                    format!("the listed code {code:?}"),
                    format!(
                        "provider-defined code {:?} with severity failure; all: {seen}",
                        code_of(e)
                    ),
                );
                Ok(None)
            }
            _ => {
                checks.expect(
                    what,
                    false,
                    format!("an error element with code {code:?}"),
                    seen,
                )?;
                Ok(None)
            }
        }
    }

    /// recipientList names exactly `expected` (as a set: order and repeats are not specified).
    pub fn expect_recipient_list(
        &self,
        what: &str,
        error: &DeliveryError,
        expected: &[String],
        reqs: &[&str],
    ) -> Result<(), Stop> {
        let want = recipient_set(expected.iter().map(String::as_str));
        let checks = self.cx.cite(reqs.iter().copied());
        match error.recipients() {
            None => checks.expect(
                what,
                false,
                format!("recipientList {}", want.join(";")),
                "no recipientList (which would mean every recipient, OMS-R035)",
            ),
            Some(list) => {
                let got = recipient_set(list.iter().map(String::as_str));
                checks.expect(
                    what,
                    got == want,
                    format!("recipientList {}", want.join(";")),
                    format!(
                        "recipientList {:?}",
                        error.recipient_list.as_deref().unwrap_or("")
                    ),
                )
            }
        }
    }

    /// Records a MAY-level observation.
    pub fn observe(&self, what: &str, observed: impl AsRef<str>) {
        self.cx.at_level(Level::May).info(what, observed);
    }
}
