//! The SOAP bindings (MS-OMS 2.1, 2.2.1, 6): both SOAP versions answered in kind, errors
//! reported as HTTP errors or well-formed faults, namespace prefixes of no significance.

use crate::common::http::{record_exchange, unreachable};
use crate::oms::server::probe::{outcome_of, Oms};
use harness::{Level, Scenario, Stop};
use mocks::oms::Call;
use wire::media_type::essence;
use wire::oms::ns::ACTION_PREFIX;
use wire::oms::{Operation, OMS_NS};
use wire::soap::{
    parse_envelope, request_headers, rules as soap_rules, write_envelope, Body, SoapVersion,
};
use wire::xml::{escape_text, Limits};

pub(super) fn all() -> Vec<Scenario> {
    vec![
        soap11_binding(),
        soap12_binding(),
        fault_well_formed(),
        prefix_insignificant(),
    ]
}

/// MS-OMS 2.1, 6 (OMSServiceSoap): every operation answers a SOAP 1.1 request with a SOAP 1.1
/// envelope holding its `<Op>Response` element.
fn soap11_binding() -> Scenario {
    Scenario::new("oms-server/soap/soap11-binding")
        .title("SOAP 1.1 requests are answered with SOAP 1.1 envelopes (text/xml) holding <Op>Response")
        .section("MS-OMS 2.1")
        .section("MS-OMS 6")
        .requirements(["OMS-R004", "OMS-R107", "OMS-R155", "OMS-R103"])
        .level(Level::Must)
        .caught_by("soap11-answers-soap12")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let answered =
                every_operation(&oms, SoapVersion::V11, &["OMS-R103", "OMS-R107", "OMS-R155"])
                    .await?;
            cx.note(format!("answered over SOAP 1.1: {}", answered.join(", ")));
            Ok(())
        })
}

/// MS-OMS 2.1, 6 (OMSServiceSoap12): the WSDL binds SOAP 1.2 too, so a SOAP 1.2 request
/// (application/soap+xml with the action parameter) gets a SOAP 1.2 answer.
fn soap12_binding() -> Scenario {
    Scenario::new("oms-server/soap/soap12-binding")
        .title("SOAP 1.2 requests are answered with SOAP 1.2 envelopes (application/soap+xml) holding <Op>Response")
        .section("MS-OMS 2.1")
        .section("MS-OMS 6")
        .requirements(["OMS-R004", "OMS-R107", "OMS-R155"])
        .level(Level::Must)
        .caught_by("soap12-unsupported")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let answered =
                every_operation(&oms, SoapVersion::V12, &["OMS-R107", "OMS-R155"]).await?;
            cx.note(format!("answered over SOAP 1.2: {}", answered.join(", ")));
            Ok(())
        })
}

/// Calls each operation of the binding in `version` and judges the answer's SOAP layer; returns
/// the operations that answered. A fault instead of a result fails citing `answered_reqs`.
async fn every_operation(
    oms: &Oms,
    version: SoapVersion,
    answered_reqs: &[&str],
) -> Result<Vec<&'static str>, Stop> {
    let to = oms.recipients(1);
    let text = format!("oxconf binding check {}", oms.nonce());
    let mut calls: Vec<(Operation, Option<String>)> = vec![
        (Operation::GetServiceInfo, None),
        (Operation::GetUserInfo, Some(oms.xms_user().to_xml())),
        (Operation::DeliverXms, Some(oms.sms(&to, &text).to_xml())),
    ];
    let batch_size = oms.batch_size().await?;
    if batch_size > 0 {
        let batch = oms.sms_batch(&[(1, to.clone(), text.clone())]);
        calls.push((Operation::DeliverXmsBatch, Some(batch.to_xml())));
    } else {
        oms.cx
            .note("batchSize is 0: DeliverXmsBatch is not part of this service's binding");
    }
    let mut answered = Vec::new();
    for (op, payload) in calls {
        let call = oms.call(op, version, payload.as_deref()).await?;
        judge_binding(oms, &call, version, answered_reqs)?;
        answered.push(op.name());
    }
    Ok(answered)
}

fn expected_media_type(version: SoapVersion) -> &'static str {
    match version {
        SoapVersion::V11 => "text/xml",
        SoapVersion::V12 => "application/soap+xml",
    }
}

/// One answer of the binding: a result (not a fault), with the request's Content-Type and
/// envelope version, and `<Op>Response` in the OMS namespace as the body element.
fn judge_binding(
    oms: &Oms,
    call: &Call,
    version: SoapVersion,
    answered_reqs: &[&str],
) -> Result<(), Stop> {
    let cx = &oms.cx;
    let name = call.op.name();
    let label = version.label();
    let Some(response) = call.exchange.response() else {
        return Err(Stop::error("no response to judge"));
    };
    if let Some(fault) = call.fault() {
        return Err(cx.cite(answered_reqs.iter().copied()).fail(
            &format!("{name} over {label} answered"),
            format!("{} with a result", call.op.response_element()),
            format!(
                "HTTP {} with SOAP fault {}: {}",
                response.status, fault.code, fault.reason
            ),
        ));
    }
    let content_type = response.header("content-type").unwrap_or_default();
    let want = expected_media_type(version);
    let mut ok = cx.cite(["OMS-R004"]).check(
        &format!("{name} response Content-Type"),
        essence(content_type) == want,
        format!("{want} (the {label} HTTP binding)"),
        if content_type.is_empty() {
            "no Content-Type header".to_string()
        } else {
            content_type.to_string()
        },
    );
    let body = response.text();
    match parse_envelope(&body, Limits::default()) {
        Err(e) => {
            ok &= cx.cite(["OMS-R004", "OMS-R155"]).check(
                &format!("{name} response envelope"),
                false,
                format!("a {label} envelope"),
                e.to_string(),
            );
        }
        Ok(envelope) => {
            ok &= cx.cite(["OMS-R004"]).check_eq(
                &format!("{name} response envelope version"),
                label,
                envelope.version.label(),
            );
            let element = match &envelope.body {
                Body::Element(el) => format!(
                    "{{{}}}{}",
                    el.namespace.as_deref().unwrap_or_default(),
                    el.name
                ),
                Body::Fault(_) => "a SOAP fault".to_string(),
                Body::Empty => "an empty Body".to_string(),
            };
            ok &= cx.cite(["OMS-R155", "OMS-R107"]).check_eq(
                &format!("{name} response body element"),
                format!("{{{OMS_NS}}}{}", call.op.response_element()),
                element,
            );
        }
    }
    if !ok {
        return Err(Stop::Failed);
    }
    cx.cite(answered_reqs.iter().copied()).check(
        &format!("{name} over {label} answered"),
        true,
        format!("{} with a result", call.op.response_element()),
        format!(
            "HTTP {} with {}",
            response.status,
            call.op.response_element()
        ),
    );
    // The result element, its escaping and the rest of the SOAP layer.
    oms.expect_result(call).map(|_| ())
}

/// MS-OMS 2.1, 3: a request the server cannot serve is answered with an HTTP error status or a
/// well-formed SOAP fault in the request's version; which of the two is a free choice (R098).
fn fault_well_formed() -> Scenario {
    Scenario::new("oms-server/soap/fault-well-formed")
        .title("Malformed envelopes and unknown operations get an HTTP error or a well-formed SOAP fault")
        .section("MS-OMS 2.1")
        .section("MS-OMS 3")
        .requirements(["OMS-R005", "OMS-R098"])
        .level(Level::Must)
        .caught_by("malformed-fault")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let version = oms.soap();
            let env_ns = version.envelope_ns();
            let malformed = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"{env_ns}\"><soap:Body><GetServiceInfo xmlns=\"{OMS_NS}\"></soap:Body></soap:Envelope>"
            );
            let unknown = write_envelope(version, &format!("<NoSuchOperation xmlns=\"{OMS_NS}\"/>"));
            let probes = [
                (
                    "a malformed envelope (unclosed GetServiceInfo)",
                    request_headers(version, &Operation::GetServiceInfo.action()),
                    malformed,
                ),
                (
                    "an unknown operation (NoSuchOperation)",
                    request_headers(version, &format!("{ACTION_PREFIX}NoSuchOperation")),
                    unknown,
                ),
            ];
            let mut ok = true;
            for (what, headers, body) in probes {
                let call = oms
                    .env
                    .caller
                    .call_raw(Operation::GetServiceInfo, version, headers, body)
                    .await;
                record_exchange(&cx, &format!("{} ({})", what, version.label()), &call.exchange);
                let response = match &call.exchange.result {
                    Ok(r) => r,
                    Err(e) if e.unreachable() => return Err(unreachable(&oms.env.caller.url, e)),
                    Err(e) => {
                        return Err(cx.cite(["OMS-R005"]).fail(
                            &format!("answer to {what}"),
                            "a complete HTTP response",
                            e.to_string(),
                        ))
                    }
                };
                match judge_error_answer(version, response.status, &response.text()) {
                    Ok(judged) => {
                        cx.cite(["OMS-R005"]).check(
                            &format!("answer to {what}"),
                            true,
                            "an HTTP error status or a well-formed SOAP fault in the request's version",
                            format!("reported as {}", judged.form),
                        );
                        if let Some(status) = judged.fault_status {
                            // SOAP 1.1 6.2 (and WS-I BP R1126) send a fault with HTTP 500; SOAP
                            // 1.2 with 4xx/5xx. MS-OMS 2.1 only asks for a status code or a
                            // fault, so another status is a warning, not a failure.
                            let (want, ok) = match version {
                                SoapVersion::V11 => ("HTTP 500 (SOAP 1.1 6.2, WS-I BP R1126)", status == 500),
                                SoapVersion::V12 => (
                                    "HTTP 4xx/5xx (SOAP 1.2 part 2 7.5.2.2)",
                                    (400..600).contains(&status),
                                ),
                            };
                            cx.cite(["OMS-R005"]).level(Level::Should).check(
                                &format!("HTTP status of the fault answering {what}"),
                                ok,
                                format!("{want}; MS-OMS 2.1 accepts a fault with any status"),
                                format!("HTTP {status}"),
                            );
                        }
                        cx.cite(["OMS-R098"])
                            .level(Level::May)
                            .info(&format!("how {what} was reported"), judged.form);
                    }
                    Err(problem) => {
                        ok &= cx.cite(["OMS-R005"]).check(
                            &format!("answer to {what}"),
                            false,
                            format!(
                                "an HTTP error status (4xx/5xx), or a well-formed {} fault",
                                version.label(),
                            ),
                            problem,
                        );
                    }
                }
            }
            if ok {
                Ok(())
            } else {
                Err(Stop::Failed)
            }
        })
}

/// How an error was reported, when it was reported as MS-OMS 2.1 asks.
struct ErrorAnswer {
    /// For the R098 observation.
    form: String,
    /// The HTTP status of a well-formed fault, for the binding's status rule (a warning).
    fault_status: Option<u16>,
}

/// How an error was reported (Ok), or why the answer does not report it as MS-OMS 2.1 requires:
/// an HTTP error status, or a well-formed SOAP fault in the request's version (Err).
fn judge_error_answer(
    request: SoapVersion,
    status: u16,
    body: &str,
) -> Result<ErrorAnswer, String> {
    let error_status = (400..600).contains(&status);
    let plain = |form: String| {
        Ok(ErrorAnswer {
            form,
            fault_status: None,
        })
    };
    let envelope = match parse_envelope(body, Limits::default()) {
        Ok(env) => env,
        Err(e) if error_status => {
            return plain(format!(
                "HTTP {status} without a SOAP fault (body is not a SOAP envelope: {e})"
            ))
        }
        Err(e) => {
            return Err(format!(
                "HTTP {status} with a body that is not a SOAP fault ({e})"
            ))
        }
    };
    let fault = match envelope.body {
        Body::Fault(f) => f,
        Body::Element(el) if error_status => {
            return plain(format!(
                "HTTP {status} with a {} envelope holding {} (no fault)",
                envelope.version.label(),
                el.name
            ))
        }
        Body::Empty if error_status => {
            return plain(format!(
                "HTTP {status} with an empty {} envelope",
                envelope.version.label()
            ))
        }
        Body::Element(el) => {
            return Err(format!(
                "HTTP {status} with a {} result: the error was not reported",
                el.name
            ))
        }
        Body::Empty => return Err(format!("HTTP {status} with an empty SOAP Body")),
    };
    let mut problems = Vec::new();
    if envelope.version != request {
        problems.push(format!(
            "a {} fault answers a {} request",
            envelope.version.label(),
            request.label()
        ));
    }
    problems.extend(
        envelope
            .findings
            .iter()
            .filter(|f| f.rule == soap_rules::FAULT_INCOMPLETE)
            .map(|f| f.message.clone()),
    );
    if problems.is_empty() {
        Ok(ErrorAnswer {
            form: format!(
                "{} fault {:?} ({}) with HTTP {status}",
                envelope.version.label(),
                fault.code,
                fault.reason
            ),
            fault_status: Some(status),
        })
    } else {
        Err(problems.join("; "))
    }
}

/// Rewrites a document this suite wrote (default namespace on the root, every element in it)
/// so that every element carries `prefix` instead. Our writer escapes every `<` in text and
/// attribute values, so each `<` left starts markup.
fn prefixed(doc: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(doc.len() + doc.len() / 8);
    let mut rest = doc;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        if rest.starts_with('?') || rest.starts_with('!') {
            continue;
        }
        if let Some(after) = rest.strip_prefix('/') {
            out.push('/');
            rest = after;
        }
        out.push_str(prefix);
        out.push(':');
    }
    out.push_str(rest);
    out.replacen(
        &format!(" xmlns=\"{OMS_NS}\""),
        &format!(" xmlns:{prefix}=\"{OMS_NS}\""),
        1,
    )
}

/// MS-OMS 2.2.1: the namespace prefix is "not significant for interoperability", in the SOAP
/// wrapper and in the embedded xmsData alike.
fn prefix_insignificant() -> Scenario {
    Scenario::new("oms-server/soap/prefix-insignificant")
        .title(
            "DeliverXms written with namespace prefixes is handled like the default-namespace form",
        )
        .section("MS-OMS 2.2.1")
        .requirements(["OMS-R007"])
        .level(Level::Structure)
        .caught_by("requires-default-prefix")
        .run(|cx| async move {
            let oms = Oms::new(&cx)?;
            let to = oms.recipients(1);
            let text = format!("oxconf prefix check {}", oms.nonce());
            let plain = oms.deliver(&oms.sms(&to, &text)).await?;

            let version = oms.soap();
            let data = prefixed(&oms.sms(&to, &text).to_xml(), "x");
            let body = format!(
                "<o:DeliverXms xmlns:o=\"{OMS_NS}\"><o:xmsData>{}</o:xmsData></o:DeliverXms>",
                escape_text(&data)
            );
            let call = oms
                .call_raw(
                    Operation::DeliverXms,
                    version,
                    request_headers(version, &Operation::DeliverXms.action()),
                    write_envelope(version, &body),
                )
                .await?;
            if let Some(fault) = call.fault() {
                return Err(cx.checks().fail(
                    "prefixed DeliverXms answered",
                    format!(
                        "a DeliverXmsResponse, as for the default-namespace form ({})",
                        outcome_of(&plain.errors).join(", ")
                    ),
                    format!(
                        "HTTP {} with SOAP fault {}: {}",
                        call.status().unwrap_or_default(),
                        fault.code,
                        fault.reason
                    ),
                ));
            }
            let with_prefix = oms.xms_response(&call)?;
            cx.expect_eq(
                "outcome of the prefixed form (serviceUpdate aside)",
                outcome_of(&plain.errors),
                outcome_of(&with_prefix.errors),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use wire::oms::{Content, User, XmsBody, XmsData, XmsHead};
    use wire::soap::{write_fault, FaultCode};

    fn sample() -> XmsData {
        XmsData {
            client: Some("c & \"d\"".into()),
            user: Some(User {
                user_id: Some("u<1>".into()),
                password: Some("p".into()),
                reply_phone: None,
                custom_data: Some(String::new()),
            }),
            head: Some(XmsHead {
                to: vec!["1".into(), "2".into()],
                ..XmsHead::default()
            }),
            body: XmsBody {
                format: "SMS".into(),
                slides: None,
                contents: vec![Content {
                    content_type: "text/plain".into(),
                    content_id: "a@b".into(),
                    content_location: "1.txt".into(),
                    text: "a < b > c & </xmsData> \u{4f60}".into(),
                }],
            },
        }
    }

    #[test]
    fn prefixed_documents_read_back_identically() {
        let doc = sample().to_xml();
        let p = prefixed(&doc, "x");
        assert!(p.contains("<x:xmsData xmlns:x="), "{p}");
        assert!(p.contains("</x:xmsData>"), "{p}");
        assert!(!p.contains(&format!(" xmlns=\"{OMS_NS}\"")), "{p}");
        let parsed = XmsData::parse(&p).unwrap();
        assert_eq!(parsed.value, sample());
        assert_eq!(parsed.findings, vec![]);
    }

    fn fault(version: SoapVersion) -> String {
        write_fault(version, FaultCode::Client, "no")
    }

    #[rstest]
    #[case::soap11_fault_500(SoapVersion::V11, 500, fault(SoapVersion::V11), true)]
    // MS-OMS 2.1: a status code or a SOAP fault; the binding's status is judged apart (warning).
    #[case::soap11_fault_200(SoapVersion::V11, 200, fault(SoapVersion::V11), true)]
    #[case::soap11_fault_400(SoapVersion::V11, 400, fault(SoapVersion::V11), true)]
    #[case::soap12_fault_400(SoapVersion::V12, 400, fault(SoapVersion::V12), true)]
    #[case::soap12_fault_500(SoapVersion::V12, 500, fault(SoapVersion::V12), true)]
    #[case::soap12_fault_200(SoapVersion::V12, 200, fault(SoapVersion::V12), true)]
    #[case::wrong_version(SoapVersion::V12, 500, fault(SoapVersion::V11), false)]
    #[case::plain_http_error(SoapVersion::V11, 400, "Bad Request".to_string(), true)]
    #[case::broken_200(SoapVersion::V11, 200, "<soap:Envelope><soap:Body><soap:Fault>".to_string(), false)]
    #[case::result_200(
        SoapVersion::V11,
        200,
        write_envelope(SoapVersion::V11, "<GetServiceInfoResponse/>"),
        false
    )]
    #[case::incomplete_fault(
        SoapVersion::V11,
        500,
        write_envelope(
            SoapVersion::V11,
            "<soap:Fault><faultcode>soap:Client</faultcode></soap:Fault>"
        ),
        false
    )]
    #[case::redirect(SoapVersion::V11, 302, String::new(), false)]
    fn error_answers(
        #[case] request: SoapVersion,
        #[case] status: u16,
        #[case] body: String,
        #[case] acceptable: bool,
    ) {
        let judged = judge_error_answer(request, status, &body);
        assert_eq!(judged.is_ok(), acceptable, "{:?}", judged.as_ref().err());
    }

    #[test]
    fn a_fault_hands_its_status_to_the_binding_check() {
        let judged = judge_error_answer(SoapVersion::V11, 400, &fault(SoapVersion::V11)).unwrap();
        assert_eq!(judged.fault_status, Some(400));
        let plain = judge_error_answer(SoapVersion::V11, 400, "Bad Request").unwrap();
        assert_eq!(plain.fault_status, None);
    }
}
