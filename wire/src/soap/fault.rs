//! SOAP faults: SOAP 1.1 section 4.4 (faultcode, faultstring, detail) and SOAP 1.2 part 1
//! section 5.4 (Code/Value, Reason/Text, Detail).

use super::envelope::write_envelope;
use super::rules;
use super::version::SoapVersion;
use crate::finding::Finding;
use crate::xml::{serialize_subtree, XmlWriter};

/// The fault code classes a peer of this protocol needs. SOAP 1.2 renamed Client/Server to
/// Sender/Receiver; the variant names keep the SOAP 1.1 spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultCode {
    Client,
    Server,
    VersionMismatch,
}

impl FaultCode {
    /// Local name of the code in `version`.
    pub fn local_name(self, version: SoapVersion) -> &'static str {
        match (self, version) {
            (FaultCode::Client, SoapVersion::V11) => "Client",
            (FaultCode::Client, SoapVersion::V12) => "Sender",
            (FaultCode::Server, SoapVersion::V11) => "Server",
            (FaultCode::Server, SoapVersion::V12) => "Receiver",
            (FaultCode::VersionMismatch, _) => "VersionMismatch",
        }
    }

    /// Classifies a code local name of either version; SOAP 1.1 dotted refinements
    /// ("Client.Authentication") count as their base code.
    pub fn from_local_name(name: &str) -> Option<FaultCode> {
        let base = name.split('.').next().unwrap_or(name);
        match base {
            "Client" | "Sender" => Some(FaultCode::Client),
            "Server" | "Receiver" => Some(FaultCode::Server),
            "VersionMismatch" => Some(FaultCode::VersionMismatch),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub version: SoapVersion,
    /// Local part of the fault code QName (prefix stripped), e.g. "Client" or "Sender".
    pub code: String,
    /// faultstring (1.1) or the first Reason/Text (1.2).
    pub reason: String,
    /// The detail (1.1) / Detail (1.2) element as standalone XML, when present.
    pub detail: Option<String>,
}

impl Fault {
    pub fn code_kind(&self) -> Option<FaultCode> {
        FaultCode::from_local_name(&self.code)
    }
}

/// A complete envelope carrying a fault.
pub fn write_fault(version: SoapVersion, code: FaultCode, reason: &str) -> String {
    let qcode = format!("soap:{}", code.local_name(version));
    let mut w = XmlWriter::new();
    w.start("soap:Fault", &[]);
    match version {
        SoapVersion::V11 => {
            w.text_element("faultcode", &[], &qcode);
            w.text_element("faultstring", &[], reason);
        }
        SoapVersion::V12 => {
            w.start("soap:Code", &[]);
            w.text_element("soap:Value", &[], &qcode);
            w.end("soap:Code");
            w.start("soap:Reason", &[]);
            w.text_element("soap:Text", &[("xml:lang", "en")], reason);
            w.end("soap:Reason");
        }
    }
    w.end("soap:Fault");
    write_envelope(version, &w.finish())
}

fn local_part(qname: &str) -> &str {
    let q = qname.trim();
    q.rsplit_once(':').map_or(q, |(_, local)| local)
}

fn child<'a, 'i>(
    parent: roxmltree::Node<'a, 'i>,
    name: &str,
    ns: Option<&str>,
) -> Option<roxmltree::Node<'a, 'i>> {
    parent.children().find(|c| {
        c.is_element() && c.tag_name().name() == name && crate::xml::namespace_of(*c) == ns
    })
}

fn text_of(node: roxmltree::Node<'_, '_>) -> String {
    node.children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text())
        .collect()
}

/// Reads a Fault element; missing mandatory parts become `soap.fault.incomplete` findings
/// and empty strings in the value.
pub(crate) fn read_fault(
    node: roxmltree::Node<'_, '_>,
    version: SoapVersion,
    findings: &mut Vec<Finding>,
) -> Fault {
    let env_ns = version.envelope_ns();
    let incomplete = |what: &str| {
        Finding::violation(
            rules::FAULT_INCOMPLETE,
            "/Envelope/Body/Fault",
            format!("{} fault without {what}", version.label()),
        )
        .requirement("OMS-R005")
    };
    match version {
        SoapVersion::V11 => {
            // SOAP 1.1 fault children are unqualified.
            let code = child(node, "faultcode", None).map(text_of);
            let reason = child(node, "faultstring", None).map(text_of);
            let detail = child(node, "detail", None).map(serialize_subtree);
            if code.as_deref().is_none_or(|c| c.trim().is_empty()) {
                findings.push(incomplete("faultcode"));
            }
            if reason.is_none() {
                findings.push(incomplete("faultstring"));
            }
            Fault {
                version,
                code: local_part(&code.unwrap_or_default()).to_owned(),
                reason: reason.unwrap_or_default(),
                detail,
            }
        }
        SoapVersion::V12 => {
            let code = child(node, "Code", Some(env_ns))
                .and_then(|c| child(c, "Value", Some(env_ns)))
                .map(text_of);
            let reason = child(node, "Reason", Some(env_ns))
                .and_then(|r| child(r, "Text", Some(env_ns)))
                .map(text_of);
            let detail = child(node, "Detail", Some(env_ns)).map(serialize_subtree);
            if code.as_deref().is_none_or(|c| c.trim().is_empty()) {
                findings.push(incomplete("Code/Value"));
            }
            if reason.is_none() {
                findings.push(incomplete("Reason/Text"));
            }
            Fault {
                version,
                code: local_part(&code.unwrap_or_default()).to_owned(),
                reason: reason.unwrap_or_default(),
                detail,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::soap::{parse_envelope, Body};
    use crate::xml::Limits;
    use rstest::rstest;

    #[rstest]
    #[case(SoapVersion::V11, FaultCode::Client, "Client")]
    #[case(SoapVersion::V11, FaultCode::Server, "Server")]
    #[case(SoapVersion::V12, FaultCode::Client, "Sender")]
    #[case(SoapVersion::V12, FaultCode::Server, "Receiver")]
    #[case(SoapVersion::V12, FaultCode::VersionMismatch, "VersionMismatch")]
    fn written_faults_read_back(
        #[case] version: SoapVersion,
        #[case] code: FaultCode,
        #[case] local: &str,
    ) {
        let xml = write_fault(version, code, "bad <thing> & more");
        let env = parse_envelope(&xml, Limits::default()).unwrap();
        assert!(env.findings.is_empty(), "{:?}", env.findings);
        let Body::Fault(fault) = env.body else {
            panic!("expected a fault")
        };
        assert_eq!(fault.code, local);
        assert_eq!(fault.code_kind(), Some(code));
        assert_eq!(fault.reason, "bad <thing> & more");
        assert_eq!(fault.version, version);
    }

    #[rstest]
    #[case::v11_no_string(
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Server</faultcode></s:Fault></s:Body></s:Envelope>",
        1
    )]
    #[case::v11_empty(
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault/></s:Body></s:Envelope>",
        2
    )]
    #[case::v12_no_reason(
        "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body><e:Fault><e:Code><e:Value>e:Receiver</e:Value></e:Code></e:Fault></e:Body></e:Envelope>",
        1
    )]
    #[case::v12_unqualified_parts(
        "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body><e:Fault><Code><Value>e:Receiver</Value></Code><Reason><Text>x</Text></Reason></e:Fault></e:Body></e:Envelope>",
        2
    )]
    fn incomplete_faults_are_reported(#[case] xml: &str, #[case] count: usize) {
        let env = parse_envelope(xml, Limits::default()).unwrap();
        assert!(matches!(env.body, Body::Fault(_)));
        let n = env
            .findings
            .iter()
            .filter(|f| f.rule == rules::FAULT_INCOMPLETE)
            .count();
        assert_eq!(n, count, "{:?}", env.findings);
    }

    #[test]
    fn detail_is_kept_as_standalone_xml() {
        let xml = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:p=\"urn:p\"><s:Body><s:Fault><faultcode>s:Client.Auth</faultcode><faultstring>no</faultstring><detail><p:why>x</p:why></detail></s:Fault></s:Body></s:Envelope>";
        let env = parse_envelope(xml, Limits::default()).unwrap();
        let Body::Fault(fault) = env.body else {
            panic!("expected a fault")
        };
        assert_eq!(fault.code_kind(), Some(FaultCode::Client));
        let detail = fault.detail.unwrap();
        assert!(roxmltree::Document::parse(&detail).is_ok(), "{detail}");
        assert!(detail.contains("urn:p"));
    }
}
