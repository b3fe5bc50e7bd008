//! The SOAP requests of the reference client (MS-OMS 3.1.4.1-3.1.4.4), with the envelope-level
//! faults applied. Without faults these are exactly `wire::oms::request`.

use wire::oms::ns::ACTION_PREFIX;
use wire::oms::{request, HttpSoap, Operation, OMS_NS};
use wire::soap::{request_headers, write_envelope, SoapVersion};
use wire::xml::XmlWriter;

use super::faults::{ClientFault, Faults};

/// The action the `wrong-soap-action` fault uses: the operation name cut short.
pub const WRONG_DELIVER_ACTION: &str = "Deliver";
/// The namespace the `*-wrong-namespace` faults put the operation element in.
pub const WRONG_NAMESPACE: &str = "http://tempuri.org/";

/// The request with its operation element (and so its unprefixed parameter) moved to
/// [`WRONG_NAMESPACE`].
fn in_wrong_namespace(mut soap: HttpSoap, op: Operation) -> HttpSoap {
    soap.body = soap.body.replacen(
        &format!("<{} xmlns=\"{OMS_NS}\"", op.name()),
        &format!("<{} xmlns=\"{WRONG_NAMESPACE}\"", op.name()),
        1,
    );
    soap
}

/// The empty GetServiceInfo element (OMS-R108).
pub(crate) fn get_service_info(version: SoapVersion, faults: &Faults) -> HttpSoap {
    let op = Operation::GetServiceInfo;
    if !faults.on(ClientFault::GetServiceInfoWithChildren) {
        return request(op, version, None);
    }
    let mut w = XmlWriter::new();
    w.start(op.name(), &[("xmlns", OMS_NS)]);
    w.text_element("client", &[], "oxconf");
    w.end(op.name());
    HttpSoap {
        status: 0,
        headers: request_headers(version, &op.action()),
        body: write_envelope(version, &w.finish()),
    }
}

/// DeliverXms with the xmsData document escaped into its parameter (OMS-R139); `multimedia`
/// for an MMS (the `mms-*` faults apply to those only, the other envelope faults to texts).
pub(crate) fn deliver_xms(
    version: SoapVersion,
    faults: &Faults,
    xms_data: &str,
    multimedia: bool,
) -> HttpSoap {
    let op = Operation::DeliverXms;
    let mut soap = if faults.on(ClientFault::PayloadAsChildElements) {
        let mut w = XmlWriter::new();
        w.start(op.name(), &[("xmlns", OMS_NS)]);
        w.start("xmsData", &[]);
        w.raw(without_declaration(xms_data));
        w.end("xmsData");
        w.end(op.name());
        HttpSoap {
            status: 0,
            headers: request_headers(version, &op.action()),
            body: write_envelope(version, &w.finish()),
        }
    } else {
        request(op, version, Some(xms_data))
    };
    let wrong_action = if multimedia {
        faults.on(ClientFault::MmsWrongSoapAction)
    } else {
        faults.on(ClientFault::WrongSoapAction)
    };
    if wrong_action {
        soap.headers = request_headers(version, &format!("{ACTION_PREFIX}{WRONG_DELIVER_ACTION}"));
    }
    if multimedia && faults.on(ClientFault::MmsWrongNamespace) {
        soap = in_wrong_namespace(soap, op);
    }
    soap
}

/// DeliverXmsBatch with the xmsBatch document escaped into packageXml (OMS-R141).
pub(crate) fn deliver_xms_batch(
    version: SoapVersion,
    faults: &Faults,
    package_xml: &str,
) -> HttpSoap {
    let op = Operation::DeliverXmsBatch;
    let mut soap = request(op, version, Some(package_xml));
    if faults.on(ClientFault::BatchWrongSoapAction) {
        soap.headers = request_headers(version, &Operation::DeliverXms.action());
    }
    if faults.on(ClientFault::BatchWrongNamespace) {
        soap = in_wrong_namespace(soap, op);
    }
    soap
}

/// The document without its XML declaration, so it can stand as element content.
fn without_declaration(doc: &str) -> &str {
    match doc.strip_prefix("<?xml") {
        Some(rest) => rest.find("?>").map_or(doc, |i| &rest[i + 2..]),
        None => doc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use wire::oms::{parse_request, rules};

    const DOC: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><xmsData xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"><xmsBody format=\"SMS\"/></xmsData>";

    fn rules_of(soap: &HttpSoap) -> (Operation, Vec<&'static str>, Option<String>) {
        let parsed = parse_request(&soap.headers, &soap.body).unwrap();
        (
            parsed.op,
            parsed.findings.iter().map(|f| f.rule).collect(),
            parsed.payload,
        )
    }

    #[rstest]
    fn reference_requests_are_clean(
        #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
    ) {
        let none = Faults::none();
        let (op, findings, payload) = rules_of(&get_service_info(version, &none));
        assert_eq!(
            (op, findings, payload),
            (Operation::GetServiceInfo, vec![], None)
        );
        let (op, findings, payload) = rules_of(&deliver_xms(version, &none, DOC, false));
        assert_eq!(
            (op, findings, payload.as_deref()),
            (Operation::DeliverXms, vec![], Some(DOC))
        );
        let (op, findings, _) = rules_of(&deliver_xms_batch(version, &none, DOC));
        let (op2, findings2, _) = rules_of(&deliver_xms(version, &none, DOC, true));
        assert_eq!((op2, findings2), (Operation::DeliverXms, vec![]));
        assert_eq!((op, findings), (Operation::DeliverXmsBatch, vec![]));
    }

    #[rstest]
    #[case(
        ClientFault::GetServiceInfoWithChildren,
        rules::REQUEST_PARAMETER_UNEXPECTED
    )]
    #[case(ClientFault::PayloadAsChildElements, rules::REQUEST_NOT_ESCAPED_TEXT)]
    #[case(ClientFault::WrongSoapAction, rules::SOAP_ACTION_MISMATCH)]
    fn envelope_faults_show_in_findings(
        #[case] fault: ClientFault,
        #[case] rule: &str,
        #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
    ) {
        let faults = Faults::none().with(fault);
        let soap = if fault == ClientFault::GetServiceInfoWithChildren {
            get_service_info(version, &faults)
        } else {
            deliver_xms(version, &faults, DOC, false)
        };
        let (_, findings, _) = rules_of(&soap);
        assert_eq!(findings, vec![rule]);
    }

    #[rstest]
    #[case(
        ClientFault::BatchWrongSoapAction,
        Operation::DeliverXmsBatch,
        rules::SOAP_ACTION_MISMATCH
    )]
    #[case(
        ClientFault::BatchWrongNamespace,
        Operation::DeliverXmsBatch,
        rules::SOAP_WRAPPER_NAMESPACE
    )]
    #[case(
        ClientFault::MmsWrongSoapAction,
        Operation::DeliverXms,
        rules::SOAP_ACTION_MISMATCH
    )]
    #[case(
        ClientFault::MmsWrongNamespace,
        Operation::DeliverXms,
        rules::SOAP_WRAPPER_NAMESPACE
    )]
    fn batch_and_mms_envelope_faults(
        #[case] fault: ClientFault,
        #[case] op: Operation,
        #[case] rule: &str,
    ) {
        let faults = Faults::none().with(fault);
        let (soap, text) = if op == Operation::DeliverXmsBatch {
            (
                deliver_xms_batch(SoapVersion::V11, &faults, DOC),
                deliver_xms_batch(SoapVersion::V11, &Faults::none(), DOC),
            )
        } else {
            (
                deliver_xms(SoapVersion::V11, &faults, DOC, true),
                deliver_xms(SoapVersion::V11, &faults, DOC, false),
            )
        };
        let (parsed_op, findings, _) = rules_of(&soap);
        assert_eq!(parsed_op, op);
        assert!(findings.contains(&rule), "{findings:?}");
        // Only the batch / MMS requests are broken.
        assert_eq!(rules_of(&text).1, Vec::<&str>::new());
    }

    #[rstest]
    #[case(DOC, "<xmsData")]
    #[case("<a/>", "<a/>")]
    #[case("<?xml broken", "<?xml broken")]
    fn strips_declaration(#[case] doc: &str, #[case] starts: &str) {
        assert!(without_declaration(doc).starts_with(starts));
    }
}
