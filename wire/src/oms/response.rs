//! xmsResponse, the DeliverXms/SendXms result (MS-OMS 2.2.4.19, 2.2.4.4), and the validator
//! of code/severity/content pairing that servers are judged by.

use serde::{Deserialize, Serialize};

use super::codes;
use super::ns::OMS_NS;
use super::rules;
use super::schedule::is_minute_precision;
use super::schema::{attr_path, child_path, Checker, Slot};
use crate::finding::{Finding, LayerError, Parsed};
use crate::xml::XmlWriter;

/// tDeliveryError. The attributes are required by the schema (OMS-R033) but optional here,
/// because the client rules say what their absence means (OMS-R061, OMS-R062).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryError {
    pub code: Option<String>,
    pub severity: Option<String>,
    pub content: Option<String>,
    /// Semicolon-separated recipients; absent means all recipients (OMS-R035).
    pub recipient_list: Option<String>,
}

impl DeliveryError {
    pub fn new(code: &str, severity: &str) -> DeliveryError {
        DeliveryError {
            code: Some(code.to_owned()),
            severity: Some(severity.to_owned()),
            content: None,
            recipient_list: None,
        }
    }

    /// The code "ok" with severity "neutral".
    pub fn ok() -> DeliveryError {
        DeliveryError::new(codes::OK, codes::NEUTRAL)
    }

    pub fn with_content(mut self, content: &str) -> DeliveryError {
        self.content = Some(content.to_owned());
        self
    }

    pub fn with_recipients(mut self, recipients: &[&str]) -> DeliveryError {
        self.recipient_list = Some(recipients.join(";"));
        self
    }

    /// "ok" with severity "neutral", spelled exactly as listed: the message went out
    /// (OMS-R036). Servers are judged case-sensitively (E-OMS-28); clients read error elements
    /// more leniently (`interpret`).
    pub fn is_ok(&self) -> bool {
        self.code.as_deref() == Some(codes::OK) && self.severity.as_deref() == Some(codes::NEUTRAL)
    }

    /// Severity "failure", spelled exactly: the message, or part of it, was not delivered
    /// (OMS-R037).
    pub fn is_failure(&self) -> bool {
        self.severity.as_deref() == Some(codes::FAILURE)
    }

    /// recipientList split on ';', trimmed, empty items dropped; `None` without the element.
    pub fn recipients(&self) -> Option<Vec<String>> {
        self.recipient_list.as_ref().map(|list| {
            list.split(';')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect()
        })
    }
}

/// Whether the error elements of an xmsResponse say the message was delivered, as a server is
/// judged: an "ok"/"neutral" element and none with severity "failure" (serviceUpdate and other
/// notices may come along).
pub fn delivered(errors: &[DeliveryError]) -> bool {
    errors.iter().any(DeliveryError::is_ok) && !errors.iter().any(DeliveryError::is_failure)
}

/// tXmsResponse.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XmsResponse {
    /// At least one (OMS-R094); an empty list parses, with a violation.
    pub errors: Vec<DeliveryError>,
}

impl XmsResponse {
    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::document();
        w.start("xmsResponse", &[("xmlns", OMS_NS)]);
        write_errors(&mut w, &self.errors);
        w.end("xmsResponse");
        w.finish()
    }

    pub fn parse(text: &str) -> Result<Parsed<Self>, LayerError> {
        let (doc, mut c) = Checker::open(text, "xmsResponse")?;
        c.require_oms_namespace();
        let root = doc.root_element();
        let path = c.root_path();
        c.attributes(root, &path, &[], &[], "OMS-R094");
        let errors = read_errors(&mut c, root, &path, "OMS-R094");
        Ok(Parsed {
            value: XmsResponse { errors },
            findings: c.finish(),
        })
    }

    /// `pairing_findings` with this document's paths.
    pub fn pairing_findings(&self) -> Vec<Finding> {
        pairing_findings(&self.errors)
    }
}

pub(crate) fn write_errors(w: &mut XmlWriter, errors: &[DeliveryError]) {
    for e in errors {
        let mut attrs = Vec::new();
        if let Some(code) = &e.code {
            attrs.push(("code", code.as_str()));
        }
        if let Some(severity) = &e.severity {
            attrs.push(("severity", severity.as_str()));
        }
        if e.content.is_none() && e.recipient_list.is_none() {
            w.empty("error", &attrs);
            continue;
        }
        w.start("error", &attrs);
        w.opt_text_element("content", e.content.as_deref());
        w.opt_text_element("recipientList", e.recipient_list.as_deref());
        w.end("error");
    }
}

/// Reads the error elements of an xmsResponse (of DeliverXms or of a batch item).
pub(crate) fn read_errors(
    c: &mut Checker,
    node: roxmltree::Node<'_, '_>,
    path: &str,
    requirement: &'static str,
) -> Vec<DeliveryError> {
    let kids = c.sequence(
        node,
        path,
        &[Slot::many("error").missing_as(rules::XMS_RESPONSE_NO_ERROR, requirement)],
        requirement,
    );
    kids.all("error")
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let p = child_path(path, "error", Some(i));
            c.attributes(
                *n,
                &p,
                &["code", "severity"],
                &["code", "severity"],
                "OMS-R033",
            );
            let parts = c.sequence(
                *n,
                &p,
                &[Slot::opt("content"), Slot::opt("recipientList")],
                "OMS-R034",
            );
            DeliveryError {
                code: n.attribute("code").map(str::to_owned),
                severity: n.attribute("severity").map(str::to_owned),
                content: c.opt_simple(parts.first("content"), &format!("{p}/content"), "OMS-R034"),
                recipient_list: c.opt_simple(
                    parts.first("recipientList"),
                    &format!("{p}/recipientList"),
                    "OMS-R034",
                ),
            }
        })
        .collect()
}

/// Code/severity pairing and per-code content shape (MS-OMS 2.2.4.4), judged as a server
/// must be: case-sensitively (E-OMS-28). Paths are those of a DeliverXms xmsResponse.
pub fn pairing_findings(errors: &[DeliveryError]) -> Vec<Finding> {
    pairing_findings_at(errors, "/xmsResponse")
}

/// `pairing_findings` for error elements under `base` (a batch item's xmsResponse).
pub fn pairing_findings_at(errors: &[DeliveryError], base: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, e) in errors.iter().enumerate() {
        pair_one(e, &child_path(base, "error", Some(i)), &mut out);
    }
    out
}

fn pair_one(e: &DeliveryError, path: &str, out: &mut Vec<Finding>) {
    let code = e.code.as_deref();
    let severity = e.severity.as_deref();
    let severity_req = if code == Some(codes::OK) {
        "OMS-R036"
    } else {
        "OMS-R037"
    };
    if let Some(s) = severity {
        if s != codes::NEUTRAL && s != codes::FAILURE {
            out.push(
                Finding::violation(
                    rules::DELIVERY_SEVERITY_VALUE,
                    attr_path(path, "severity"),
                    format!(
                        "severity {s:?} is neither \"neutral\" nor \"failure\" (case-sensitive)"
                    ),
                )
                .requirement(severity_req),
            );
        }
    }
    // Missing code or severity is a schema finding already.
    let Some(code) = code else { return };
    // An invalid severity value is reported once, by the severity rule; the pairing rules
    // below only judge "neutral" against "failure".
    let is_failure = severity == Some(codes::FAILURE);
    let is_neutral = severity == Some(codes::NEUTRAL);

    if code == codes::OK {
        if is_failure {
            out.push(
                Finding::violation(
                    rules::DELIVERY_OK_SEVERITY,
                    attr_path(path, "severity"),
                    format!("code \"ok\" requires severity \"neutral\", found {severity:?}"),
                )
                .requirement("OMS-R036"),
            );
        }
        return;
    }
    if code.eq_ignore_ascii_case(codes::SERVICE_UPDATE) {
        if code != codes::SERVICE_UPDATE {
            out.push(
                Finding::deviation(
                    rules::DELIVERY_SERVICE_UPDATE_CASE,
                    "E-OMS-06",
                    attr_path(path, "code"),
                    format!("code {code:?}; the canonical spelling is \"serviceUpdate\""),
                )
                .requirement("OMS-R058"),
            );
        }
        service_update_checks(e, path, is_failure, out);
        return;
    }
    if codes::TABLE.contains(&code) {
        if is_neutral && !codes::NEUTRAL_OR_FAILURE.contains(&code) {
            out.push(
                Finding::violation(
                    rules::DELIVERY_FAILURE_SEVERITY,
                    attr_path(path, "severity"),
                    format!(
                        "code {code:?} reports a failed delivery and requires severity \"failure\""
                    ),
                )
                .requirement("OMS-R037"),
            );
        }
        content_checks(e, code, path, out);
        return;
    }
    if let Some(canonical) = codes::canonical(code) {
        out.push(
            Finding::violation(
                rules::DELIVERY_CODE_CASE,
                attr_path(path, "code"),
                format!("code {code:?} differs from the listed {canonical:?} only in letter case (E-OMS-28)"),
            )
            .requirement(if canonical == codes::OK { "OMS-R036" } else { "OMS-R037" }),
        );
    }
    // Any other code is provider-defined (E-OMS-31); only its severity value is judged.
}

fn service_update_checks(e: &DeliveryError, path: &str, is_failure: bool, out: &mut Vec<Finding>) {
    if is_failure {
        out.push(
            Finding::violation(
                rules::DELIVERY_SERVICE_UPDATE_SEVERITY,
                attr_path(path, "severity"),
                "serviceUpdate requires severity \"neutral\"",
            )
            .requirement("OMS-R058"),
        );
    }
    match e.content.as_deref() {
        Some(c) if is_minute_precision(c.trim()) => {}
        other => out.push(
            Finding::violation(
                rules::DELIVERY_SERVICE_UPDATE_CONTENT,
                format!("{path}/content"),
                format!("serviceUpdate content must be a UTC time YYYY-MM-DDThh:mm:00Z, found {other:?}"),
            )
            .requirement("OMS-R059"),
        ),
    }
}

/// "<n> SMS" or "<n> MMS".
fn is_message_limit(s: &str) -> bool {
    s.split_once(' ')
        .is_some_and(|(n, kind)| is_integer(n) && (kind == "SMS" || kind == "MMS"))
}

fn is_integer(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// "<DB limit>;<SB limit>" (E-OMS-29).
fn is_length_limits(s: &str) -> bool {
    s.split_once(';')
        .is_some_and(|(a, b)| is_integer(a.trim()) && is_integer(b.trim()))
}

/// A currency symbol, then an amount: "$5.00", "\u{a5}12".
fn is_money(s: &str) -> bool {
    let s = s.trim();
    let Some(start) = s.find(|c: char| c.is_ascii_digit()) else {
        return false;
    };
    let (symbol, amount) = s.split_at(start);
    let (int, frac) = amount.split_once('.').unwrap_or((amount, "0"));
    !symbol.is_empty()
        && !symbol
            .chars()
            .any(|c| c.is_whitespace() || c == ';' || c == '-')
        && is_integer(int)
        && is_integer(frac)
}

/// Balance and cost per message: "$5.00;$0.10".
fn is_balance(s: &str) -> bool {
    s.split_once(';')
        .is_some_and(|(a, b)| is_money(a) && is_money(b))
}

fn content_checks(e: &DeliveryError, code: &str, path: &str, out: &mut Vec<Finding>) {
    type Shape = (fn(&str) -> bool, &'static str);
    let (shape, requirement): (Option<Shape>, &'static str) = match code {
        codes::UNREGISTERED_SERVICE => (
            Some((|s| s == "SMS" || s == "MMS", "\"SMS\" or \"MMS\"")),
            "OMS-R040",
        ),
        codes::INVALID_MEDIA => (
            Some((
                |s| !s.trim().is_empty(),
                "the invalid media's ids or locations",
            )),
            "OMS-R045",
        ),
        codes::PER_DAY_MSG_LIMIT => (
            Some((is_message_limit, "\"<n> SMS\" or \"<n> MMS\"")),
            "OMS-R046",
        ),
        codes::PER_MONTH_MSG_LIMIT => (
            Some((is_message_limit, "\"<n> SMS\" or \"<n> MMS\"")),
            "OMS-R047",
        ),
        codes::LENGTH_LIMIT => (
            Some((
                is_length_limits,
                "\"<double-byte limit>;<single-byte limit>\"",
            )),
            "OMS-R048",
        ),
        codes::SIZE_LIMIT => (
            Some((|s| is_integer(s.trim()), "a size in bytes")),
            "OMS-R049",
        ),
        codes::SLIDES_LIMIT => (
            Some((|s| is_integer(s.trim()), "a number of slides")),
            "OMS-R050",
        ),
        codes::LOW_BALANCE => (
            Some((
                is_balance,
                "\"<balance>;<cost>\" with a currency symbol before each number",
            )),
            "OMS-R054",
        ),
        codes::OTHER => (
            Some((|s| !s.trim().is_empty(), "an error message")),
            "OMS-R056",
        ),
        codes::INVALID_RECIPIENT => (None, "OMS-R042"),
        codes::CROSS_CARRIER => (None, "OMS-R043"),
        _ => (None, "OMS-R037"),
    };
    if let Some((valid, form)) = shape {
        match e.content.as_deref() {
            None => out.push(
                Finding::violation(
                    rules::DELIVERY_CONTENT_MISSING,
                    format!("{path}/content"),
                    format!("code {code:?} returns {form} in content"),
                )
                .requirement(requirement),
            ),
            Some(content) if !valid(content) => out.push(
                Finding::violation(
                    rules::DELIVERY_CONTENT_FORMAT,
                    format!("{path}/content"),
                    format!("content {content:?} of code {code:?} is not {form}"),
                )
                .requirement(requirement),
            ),
            Some(_) => {}
        }
    }
    if (code == codes::INVALID_RECIPIENT || code == codes::CROSS_CARRIER)
        && e.recipients().is_none_or(|r| r.is_empty())
    {
        out.push(
            Finding::violation(
                rules::DELIVERY_RECIPIENT_LIST_MISSING,
                format!("{path}/recipientList"),
                format!("code {code:?} lists the affected recipients in recipientList"),
            )
            .requirement(requirement),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(&[("ok", "neutral")], true)]
    #[case(&[("ok", "neutral"), ("serviceUpdate", "neutral")], true)]
    #[case(&[("ok", "neutral"), ("lowBalance", "neutral")], true)]
    #[case(&[("ok", "failure")], false)]
    #[case(&[("OK", "neutral")], false)]
    #[case(&[("ok", "Neutral")], false)]
    #[case(&[("invalidRecipient", "failure")], false)]
    #[case(&[("ok", "neutral"), ("invalidRecipient", "failure")], false)]
    #[case(&[], false)]
    fn delivered_means_ok_and_no_failure(#[case] errors: &[(&str, &str)], #[case] expected: bool) {
        let errors: Vec<DeliveryError> = errors
            .iter()
            .map(|(c, s)| DeliveryError::new(c, s))
            .collect();
        assert_eq!(delivered(&errors), expected);
    }

    fn rules_for(errors: &[DeliveryError]) -> Vec<&'static str> {
        pairing_findings(errors).iter().map(|f| f.rule).collect()
    }

    #[rstest]
    #[case::ok(DeliveryError::ok(), &[][..])]
    #[case::ok_failure(DeliveryError::new("ok", "failure"), &[rules::DELIVERY_OK_SEVERITY][..])]
    #[case::ok_capital_severity(DeliveryError::new("ok", "Neutral"), &[rules::DELIVERY_SEVERITY_VALUE][..])]
    #[case::upper_ok(DeliveryError::new("OK", "neutral"), &[rules::DELIVERY_CODE_CASE][..])]
    #[case::invalid_user(DeliveryError::new("invalidUser", "failure"), &[][..])]
    #[case::invalid_user_neutral(DeliveryError::new("invalidUser", "neutral"), &[rules::DELIVERY_FAILURE_SEVERITY][..])]
    #[case::no_scheduled_neutral(DeliveryError::new("noScheduled", "neutral"), &[][..])]
    #[case::no_scheduled_failure(DeliveryError::new("noScheduled", "failure"), &[][..])]
    #[case::provider_code(DeliveryError::new("quotaExceeded", "failure"), &[][..])]
    #[case::provider_code_neutral(DeliveryError::new("welcome", "neutral"), &[][..])]
    #[case::provider_code_warning(DeliveryError::new("welcome", "warning"), &[rules::DELIVERY_SEVERITY_VALUE][..])]
    #[case::service_update(DeliveryError::new("serviceUpdate", "neutral").with_content("2008-08-28T08:59:00Z"), &[][..])]
    #[case::service_update_lower(DeliveryError::new("serviceupdate", "neutral").with_content("2008-08-28T08:59:00Z"), &[rules::DELIVERY_SERVICE_UPDATE_CASE][..])]
    #[case::service_update_seconds(DeliveryError::new("serviceUpdate", "neutral").with_content("2008-08-28T08:59:30Z"), &[rules::DELIVERY_SERVICE_UPDATE_CONTENT][..])]
    #[case::service_update_failure(DeliveryError::new("serviceUpdate", "failure").with_content("2008-08-28T08:59:00Z"), &[rules::DELIVERY_SERVICE_UPDATE_SEVERITY][..])]
    #[case::service_update_no_content(DeliveryError::new("serviceUpdate", "neutral"), &[rules::DELIVERY_SERVICE_UPDATE_CONTENT][..])]
    #[case::per_day(DeliveryError::new("perDayMsgLimit", "failure").with_content("20 SMS"), &[][..])]
    #[case::per_day_bad(DeliveryError::new("perDayMsgLimit", "failure").with_content("20"), &[rules::DELIVERY_CONTENT_FORMAT][..])]
    #[case::per_month_missing(DeliveryError::new("perMonthMsgLimit", "failure"), &[rules::DELIVERY_CONTENT_MISSING][..])]
    #[case::length(DeliveryError::new("lengthLimit", "failure").with_content("70;140"), &[][..])]
    #[case::length_bad(DeliveryError::new("lengthLimit", "failure").with_content("70"), &[rules::DELIVERY_CONTENT_FORMAT][..])]
    #[case::size(DeliveryError::new("sizeLimit", "failure").with_content("30000"), &[][..])]
    #[case::slides_bad(DeliveryError::new("slidesLimit", "failure").with_content("ten"), &[rules::DELIVERY_CONTENT_FORMAT][..])]
    #[case::balance(DeliveryError::new("lowBalance", "neutral").with_content("$5.00;$0.10"), &[][..])]
    #[case::balance_euro(DeliveryError::new("lowBalance", "failure").with_content("\u{20ac}5;\u{20ac}0.10"), &[][..])]
    #[case::balance_bad(DeliveryError::new("lowBalance", "neutral").with_content("5.00;0.10"), &[rules::DELIVERY_CONTENT_FORMAT][..])]
    #[case::unregistered_service(DeliveryError::new("unregisteredService", "failure").with_content("MMS"), &[][..])]
    #[case::unregistered_service_bad(DeliveryError::new("unregisteredService", "failure").with_content("sms"), &[rules::DELIVERY_CONTENT_FORMAT][..])]
    #[case::invalid_recipient(DeliveryError::new("invalidRecipient", "failure").with_recipients(&["1", "2"]), &[][..])]
    #[case::invalid_recipient_no_list(DeliveryError::new("invalidRecipient", "failure"), &[rules::DELIVERY_RECIPIENT_LIST_MISSING][..])]
    #[case::cross_carrier_empty_list(DeliveryError::new("crossCarrier", "failure").with_recipients(&[" "]), &[rules::DELIVERY_RECIPIENT_LIST_MISSING][..])]
    #[case::other_empty(DeliveryError::new("other", "failure").with_content(""), &[rules::DELIVERY_CONTENT_FORMAT][..])]
    #[case::no_code(DeliveryError { severity: Some("failure".into()), ..Default::default() }, &[][..])]
    fn pairing(#[case] error: DeliveryError, #[case] expected: &[&str]) {
        assert_eq!(rules_for(&[error]), expected);
    }

    #[rstest]
    #[case(None, None)]
    #[case(Some("a;b"), Some(vec!["a", "b"]))]
    #[case(Some(" a ; ;b; "), Some(vec!["a", "b"]))]
    #[case(Some(""), Some(vec![]))]
    fn recipients(#[case] list: Option<&str>, #[case] expected: Option<Vec<&str>>) {
        let e = DeliveryError {
            recipient_list: list.map(str::to_owned),
            ..Default::default()
        };
        assert_eq!(
            e.recipients(),
            expected.map(|v| v.into_iter().map(str::to_owned).collect())
        );
    }

    #[test]
    fn spec_example_4_3_failure_reads() {
        let xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<xmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\">\n  <error code=\"perDayMsgLimit\" severity=\"failure\">\n    <content>20 SMS</content>\n  <recipientList>13601391354;13601391388</recipientList>\n\n</error>\n</xmsResponse>";
        let parsed = XmsResponse::parse(xml).unwrap();
        assert_eq!(parsed.findings, vec![]);
        assert_eq!(parsed.value.pairing_findings(), vec![]);
        assert_eq!(
            parsed.value.errors[0].recipients(),
            Some(vec!["13601391354".to_owned(), "13601391388".to_owned()])
        );
    }

    #[rstest]
    #[case::none("<xmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>", &[rules::XMS_RESPONSE_NO_ERROR][..])]
    #[case::no_severity("<xmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><error code=\"ok\"/></xmsResponse>", &[rules::SCHEMA_ATTRIBUTE_MISSING][..])]
    #[case::two_contents("<xmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><error code=\"other\" severity=\"failure\"><content>a</content><content>b</content></error></xmsResponse>", &[rules::SCHEMA_ELEMENT_REPEATED][..])]
    #[case::list_first("<xmsResponse xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><error code=\"other\" severity=\"failure\"><recipientList>1</recipientList><content>a</content></error></xmsResponse>", &[rules::SCHEMA_ELEMENT_ORDER][..])]
    fn structure(#[case] xml: &str, #[case] expected: &[&str]) {
        let parsed = XmsResponse::parse(xml).unwrap();
        let got: Vec<_> = parsed.findings.iter().map(|f| f.rule).collect();
        assert_eq!(got, expected);
    }
}
