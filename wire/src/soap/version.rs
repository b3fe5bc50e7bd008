//! SOAP versions and their HTTP binding: which Content-Type and where the action travels.

use crate::finding::{Layer, LayerError};
use crate::media_type::MediaType;

pub const SOAP11_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
pub const SOAP12_ENVELOPE_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SoapVersion {
    V11,
    V12,
}

impl SoapVersion {
    pub const ALL: [SoapVersion; 2] = [SoapVersion::V11, SoapVersion::V12];

    pub fn envelope_ns(self) -> &'static str {
        match self {
            SoapVersion::V11 => SOAP11_ENVELOPE_NS,
            SoapVersion::V12 => SOAP12_ENVELOPE_NS,
        }
    }

    pub fn from_envelope_ns(ns: &str) -> Option<SoapVersion> {
        SoapVersion::ALL.into_iter().find(|v| v.envelope_ns() == ns)
    }

    pub fn label(self) -> &'static str {
        match self {
            SoapVersion::V11 => "SOAP 1.1",
            SoapVersion::V12 => "SOAP 1.2",
        }
    }

    /// The Content-Type header value. SOAP 1.1 carries the action in a separate SOAPAction
    /// header, so `action` only appears for SOAP 1.2; an empty `action` leaves the parameter
    /// out (responses, which need none).
    pub fn content_type(self, action: &str) -> String {
        match self {
            SoapVersion::V11 => "text/xml; charset=utf-8".to_owned(),
            SoapVersion::V12 if action.is_empty() => {
                "application/soap+xml; charset=utf-8".to_owned()
            }
            SoapVersion::V12 => format!("application/soap+xml; charset=utf-8; action=\"{action}\""),
        }
    }
}

/// The first header called `name`, compared case-insensitively as HTTP requires.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Headers a client sends with a request for `action`.
pub fn request_headers(version: SoapVersion, action: &str) -> Vec<(String, String)> {
    let mut headers = vec![("Content-Type".to_owned(), version.content_type(action))];
    if version == SoapVersion::V11 {
        headers.push(("SOAPAction".to_owned(), format!("\"{action}\"")));
    }
    headers
}

/// Version from Content-Type (text/xml => 1.1, application/soap+xml => 1.2) and the action
/// (SOAPAction header, quotes stripped, or the action parameter). Err(LayerError{Http}) if the
/// content type is neither.
///
/// For SOAP 1.2 the `action` parameter wins; a SOAPAction header is used only as a fallback,
/// because some stacks send it regardless of version. An empty action (`SOAPAction: ""`)
/// means "no action" and yields `None`.
pub fn detect(headers: &[(String, String)]) -> Result<(SoapVersion, Option<String>), LayerError> {
    let content_type = header(headers, "content-type")
        .ok_or_else(|| LayerError::new(Layer::Http, "no Content-Type header"))?;
    let media = MediaType::parse(content_type);
    let version = match media.essence.as_str() {
        "text/xml" => SoapVersion::V11,
        "application/soap+xml" => SoapVersion::V12,
        other => {
            return Err(LayerError::new(
                Layer::Http,
                format!("Content-Type {other:?} is neither text/xml (SOAP 1.1) nor application/soap+xml (SOAP 1.2)"),
            ))
        }
    };
    let from_header = header(headers, "soapaction").map(unquote);
    let action = match version {
        SoapVersion::V11 => from_header,
        SoapVersion::V12 => media.param("action").map(str::to_owned).or(from_header),
    }
    .filter(|a| !a.is_empty());
    Ok((version, action))
}

/// Strips surrounding whitespace and one pair of double quotes.
pub(crate) fn unquote(value: &str) -> String {
    let v = value.trim();
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[rstest]
    #[case::soap11_quoted(&[("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", "\"urn:a\"")], SoapVersion::V11, Some("urn:a"))]
    #[case::soap11_unquoted(&[("content-type", "TEXT/XML"), ("soapaction", "urn:a")], SoapVersion::V11, Some("urn:a"))]
    #[case::soap11_empty_action(&[("Content-Type", "text/xml"), ("SOAPAction", "\"\"")], SoapVersion::V11, None)]
    #[case::soap11_no_action(&[("Content-Type", "text/xml")], SoapVersion::V11, None)]
    #[case::soap12_param(&[("Content-Type", "application/soap+xml; charset=utf-8; action=\"urn:b\"")], SoapVersion::V12, Some("urn:b"))]
    #[case::soap12_unquoted_param(&[("Content-Type", "application/soap+xml;action=urn:b;charset=utf-8")], SoapVersion::V12, Some("urn:b"))]
    #[case::soap12_semicolon_in_quotes(&[("Content-Type", "application/soap+xml; action=\"urn:b;c\"")], SoapVersion::V12, Some("urn:b;c"))]
    #[case::soap12_header_fallback(&[("Content-Type", "application/soap+xml"), ("SOAPAction", "\"urn:c\"")], SoapVersion::V12, Some("urn:c"))]
    fn detects_version_and_action(
        #[case] headers: &[(&str, &str)],
        #[case] version: SoapVersion,
        #[case] action: Option<&str>,
    ) {
        let (v, a) = detect(&h(headers)).unwrap();
        assert_eq!(v, version);
        assert_eq!(a.as_deref(), action);
    }

    #[rstest]
    #[case::missing(&[])]
    #[case::html(&[("Content-Type", "text/html")])]
    #[case::json(&[("Content-Type", "application/json; charset=utf-8")])]
    fn refuses_other_content_types(#[case] headers: &[(&str, &str)]) {
        let err = detect(&h(headers)).unwrap_err();
        assert_eq!(err.layer, Layer::Http);
    }

    #[rstest]
    #[case(SoapVersion::V11)]
    #[case(SoapVersion::V12)]
    fn request_headers_detect_back(#[case] version: SoapVersion) {
        let headers = request_headers(version, "http://x/Op");
        let (v, a) = detect(&headers).unwrap();
        assert_eq!(v, version);
        assert_eq!(a.as_deref(), Some("http://x/Op"));
        assert_eq!(
            header(&headers, "soapaction").is_some(),
            version == SoapVersion::V11
        );
    }

    #[test]
    fn labels_and_namespaces() {
        assert_eq!(SoapVersion::V11.label(), "SOAP 1.1");
        assert_eq!(SoapVersion::V12.label(), "SOAP 1.2");
        assert_eq!(
            SoapVersion::from_envelope_ns(SOAP12_ENVELOPE_NS),
            Some(SoapVersion::V12)
        );
        assert_eq!(
            SoapVersion::V12.content_type(""),
            "application/soap+xml; charset=utf-8"
        );
    }
}
