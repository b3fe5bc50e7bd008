//! The registry of finding rule names for MS-OMS payloads and OMS-over-SOAP messages.
//!
//! Rule names are a contract: golden vectors and suites match on them. Generic schema rules
//! (`schema.*`) say what kind of structural deviation occurred; the finding's path and
//! requirement say where and which rule of the specification it breaks. Semantic rules name
//! the specific statement.

// --- generic schema structure (any payload) ---
/// Root element not in the OMS namespace (OMS-R007).
pub const SCHEMA_ROOT_NAMESPACE: &str = "schema.root.namespace";
/// A required child element is absent.
pub const SCHEMA_ELEMENT_MISSING: &str = "schema.element.missing";
/// A child element the type does not declare.
pub const SCHEMA_ELEMENT_UNEXPECTED: &str = "schema.element.unexpected";
/// A child element out of sequence order.
pub const SCHEMA_ELEMENT_ORDER: &str = "schema.element.order";
/// A child element more often than maxOccurs.
pub const SCHEMA_ELEMENT_REPEATED: &str = "schema.element.repeated";
/// A child element in another namespace than its document (elementFormDefault=qualified).
pub const SCHEMA_ELEMENT_NAMESPACE: &str = "schema.element.namespace";
/// A required attribute is absent.
pub const SCHEMA_ATTRIBUTE_MISSING: &str = "schema.attribute.missing";
/// An attribute the type does not declare.
pub const SCHEMA_ATTRIBUTE_UNEXPECTED: &str = "schema.attribute.unexpected";
/// Non-whitespace text in element-only content.
pub const SCHEMA_TEXT_UNEXPECTED: &str = "schema.text.unexpected";
/// Element children inside a simple-content element.
pub const SCHEMA_CHILDREN_UNEXPECTED: &str = "schema.children.unexpected";
/// A value outside its XML Schema type (unsignedInt, unsignedShort, boolean).
pub const SCHEMA_VALUE_TYPE: &str = "schema.value.type";
/// The embedded string has whitespace before its XML declaration.
pub const PAYLOAD_LEADING_WHITESPACE: &str = "payload.leadingWhitespace";

// --- serviceInfo ---
/// serviceInfo in the legacy .../OMS/serviceInfo namespace or in none (deviation, E-OMS-03).
pub const SERVICE_INFO_NAMESPACE_LEGACY: &str = "serviceInfo.namespace.legacy";
/// authenticationType not one of passport/fulltrust/other, case-sensitive (OMS-R115).
pub const SERVICE_INFO_AUTHENTICATION_TYPE: &str = "serviceInfo.authenticationType.value";
/// supportedService without SMS_SENDER and MMS_SENDER (OMS-R116, E-OMS-27).
pub const SERVICE_INFO_SUPPORTED_SERVICE_EMPTY: &str = "serviceInfo.supportedService.empty";
/// MMS_SENDER before SMS_SENDER (OMS-R116).
pub const SERVICE_INFO_SUPPORTED_SERVICE_ORDER: &str = "serviceInfo.supportedService.order";
/// WSDL/example spelling of a character-limit attribute (deviation, E-OMS-01).
pub const SERVICE_INFO_ATTRIBUTE_LEGACY_NAME: &str = "serviceInfo.attribute.legacyName";
/// serviceUri or signUpPage not https (deviation, E-OMS-17).
pub const SERVICE_INFO_URI_NOT_HTTPS: &str = "serviceInfo.uri.notHttps";
/// maxDbcsPerMessage above maxSbcsPerMessage in one sender (OMS-R120).
pub const SERVICE_INFO_LIMITS_DBCS_ABOVE_SBCS: &str = "serviceInfo.limits.dbcsAboveSbcs";
/// An offered service accepting no recipient (OMS-R100).
pub const SERVICE_INFO_LIMITS_ZERO_RECIPIENTS: &str = "serviceInfo.limits.zeroRecipients";
/// An SMS service accepting no message per send (OMS-R100).
pub const SERVICE_INFO_LIMITS_ZERO_MESSAGES: &str = "serviceInfo.limits.zeroMessages";
/// An MMS service with maxSizePerMessage 0 (OMS-R122).
pub const SERVICE_INFO_LIMITS_ZERO_SIZE: &str = "serviceInfo.limits.zeroSize";
/// supportSlide true but maxSlidesPerMessage 0 (OMS-R122).
pub const SERVICE_INFO_LIMITS_NO_SLIDES: &str = "serviceInfo.limits.noSlides";
/// An SMS or long-SMS sender whose character limits are 0 (OMS-R100).
pub const SERVICE_INFO_LIMITS_ZERO_LENGTH: &str = "serviceInfo.limits.zeroLength";

// --- xmsData ---
/// xmsHead/to without recipient (OMS-R078).
pub const XMS_HEAD_NO_RECIPIENT: &str = "xmsHead.to.noRecipient";
/// requiredService not SMS_SENDER or MMS_SENDER (OMS-R090, OMS-R095, E-OMS-02).
pub const XMS_HEAD_REQUIRED_SERVICE: &str = "xmsHead.requiredService.value";
/// scheduled not a UTC time YYYY-MM-DDThh:mm:ssZ (OMS-R088).
pub const XMS_HEAD_SCHEDULED_FORMAT: &str = "xmsHead.scheduled.format";
/// scheduled with seconds other than "00" (OMS-R088).
pub const XMS_HEAD_SCHEDULED_SECONDS: &str = "xmsHead.scheduled.seconds";
/// xmsBody/@format not "SMS" or "MMS" (OMS-R083).
pub const XMS_BODY_FORMAT: &str = "xmsBody.format.value";
/// xmsBody without content (OMS-R082).
pub const XMS_BODY_NO_CONTENT: &str = "xmsBody.content.missing";
/// A text message with non-text/plain content (OMS-R028).
pub const XMS_BODY_SMS_CONTENT_TYPE: &str = "xmsBody.sms.contentType";

// --- SMIL (mmsSlides) ---
/// body without par (OMS-R026).
pub const SMIL_NO_PAR: &str = "smil.par.missing";
/// par/@dur not a number of milliseconds (OMS-R070).
pub const SMIL_PAR_DUR: &str = "smil.par.dur";
/// region/@id not "Image" or "Text" (OMS-R072).
pub const SMIL_REGION_ID: &str = "smil.region.id";
/// region/@fit not "slice" or "stream" (OMS-R073).
pub const SMIL_REGION_FIT: &str = "smil.region.fit";
/// region geometry not a non-negative number with optional % (OMS-R074, E-OMS-12).
pub const SMIL_REGION_GEOMETRY: &str = "smil.region.geometry";
/// Two regions with the same id (OMS-R066).
pub const SMIL_REGION_DUPLICATE: &str = "smil.region.duplicate";
/// img/text region naming no region of the layout (OMS-R065, OMS-R077).
pub const SMIL_REGION_UNDEFINED: &str = "smil.region.undefined";
/// A colour not "#RRGGBB" (OMS-R076, OMS-R077, E-OMS-10).
pub const SMIL_COLOR_FORMAT: &str = "smil.color.format";
/// A src naming no content's contentId (OMS-R025, OMS-R065, OMS-R077).
pub const SMIL_SRC_UNRESOLVED: &str = "smil.src.unresolved";
/// A src written as a bare contentId instead of "cid:" + contentId (deviation, E-OMS-13).
pub const SMIL_SRC_BARE: &str = "smil.src.bare";

// --- xmsResponse, batches ---
/// xmsResponse (or a batch xmsResponse) without error element (OMS-R094, OMS-R145).
pub const XMS_RESPONSE_NO_ERROR: &str = "xmsResponse.error.missing";
/// xmsBatch without xmsData (OMS-R142).
pub const BATCH_NO_ITEM: &str = "batch.item.missing";
/// Two batch items with the same id (OMS-R144).
pub const BATCH_ID_DUPLICATE: &str = "batch.id.duplicate";
/// Batch item identifier spelled "Id" (deviation, E-OMS-05).
pub const BATCH_ID_LEGACY_NAME: &str = "batch.id.legacyName";
/// xmsResponses without xmsResponse (OMS-R145).
pub const BATCH_NO_RESPONSE: &str = "batch.response.missing";
/// Two xmsResponse elements with the same id (OMS-R146).
pub const BATCH_RESPONSE_DUPLICATE_ID: &str = "batch.response.duplicateId";
/// A request item without its xmsResponse (OMS-R146).
pub const BATCH_RESPONSE_MISSING_ID: &str = "batch.response.missingId";
/// An xmsResponse whose id names no request item (OMS-R146).
pub const BATCH_RESPONSE_UNKNOWN_ID: &str = "batch.response.unknownId";

// --- delivery error code/severity pairing (MS-OMS 2.2.4.4) ---
/// severity other than exactly "neutral" or "failure" (OMS-R036, OMS-R037).
pub const DELIVERY_SEVERITY_VALUE: &str = "delivery.severity.value";
/// A listed code in another letter case (OMS-R036, OMS-R037, E-OMS-28).
pub const DELIVERY_CODE_CASE: &str = "delivery.code.case";
/// "ok" without severity "neutral" (OMS-R036).
pub const DELIVERY_OK_SEVERITY: &str = "delivery.ok.severity";
/// A failure code of the table without severity "failure" (OMS-R037, E-OMS-33).
pub const DELIVERY_FAILURE_SEVERITY: &str = "delivery.failure.severity";
/// serviceUpdate without severity "neutral" (OMS-R058).
pub const DELIVERY_SERVICE_UPDATE_SEVERITY: &str = "delivery.serviceUpdate.severity";
/// serviceUpdate content not a minute-precision UTC time (OMS-R059).
pub const DELIVERY_SERVICE_UPDATE_CONTENT: &str = "delivery.serviceUpdate.content";
/// "serviceupdate" or another casing of serviceUpdate (deviation, E-OMS-06).
pub const DELIVERY_SERVICE_UPDATE_CASE: &str = "delivery.serviceUpdate.case";
/// A code whose table row requires content, without content.
pub const DELIVERY_CONTENT_MISSING: &str = "delivery.content.missing";
/// Content not in the form the table gives for the code.
pub const DELIVERY_CONTENT_FORMAT: &str = "delivery.content.format";
/// invalidRecipient/crossCarrier without recipientList (OMS-R042, OMS-R043).
pub const DELIVERY_RECIPIENT_LIST_MISSING: &str = "delivery.recipientList.missing";

// --- OMS over SOAP ---
/// SOAPAction / action parameter names another operation than the body (OMS-R106, OMS-R107).
pub const SOAP_ACTION_MISMATCH: &str = "soap.action.mismatch";
/// No SOAPAction header / action parameter (OMS-R106).
pub const SOAP_ACTION_MISSING: &str = "soap.action.missing";
/// Response envelope version differs from the request's (OMS-R004).
pub const SOAP_VERSION_MISMATCH: &str = "soap.version.mismatch";
/// Content-Type announces another SOAP version than the envelope namespace (OMS-R003, OMS-R004).
pub const SOAP_VERSION_CONTENT_TYPE: &str = "soap.version.contentType";
/// Response Content-Type is not a SOAP media type (OMS-R004).
pub const SOAP_CONTENT_TYPE_INVALID: &str = "soap.contentType.invalid";
/// Wrapper, parameter or result element not in the OMS namespace (OMS-R007, OMS-R155).
pub const SOAP_WRAPPER_NAMESPACE: &str = "soap.wrapper.namespace";
/// Request wrapper without its parameter element.
pub const REQUEST_PARAMETER_MISSING: &str = "request.parameter.missing";
/// Parameter element more than once.
pub const REQUEST_PARAMETER_REPEATED: &str = "request.parameter.repeated";
/// Children of the request wrapper other than its parameter (OMS-R108 for GetServiceInfo).
pub const REQUEST_PARAMETER_UNEXPECTED: &str = "request.parameter.unexpected";
/// Parameter carried as child elements instead of escaped text (E-OMS-23).
pub const REQUEST_NOT_ESCAPED_TEXT: &str = "request.notEscapedText";
/// Response wrapper element of another name than <Op>Response (OMS-R155).
pub const RESPONSE_ELEMENT_WRONG: &str = "response.element.wrong";
/// Response wrapper without <Op>Result.
pub const RESULT_MISSING: &str = "result.missing";
/// <Op>Result more than once.
pub const RESULT_REPEATED: &str = "result.repeated";
/// Children of the response wrapper other than <Op>Result.
pub const RESULT_UNEXPECTED: &str = "result.unexpected";
/// Result carried as child elements instead of escaped text (E-OMS-23).
pub const RESULT_NOT_ESCAPED_TEXT: &str = "result.notEscapedText";

/// Every rule name the `oms` module can report.
pub const RULES: &[&str] = &[
    SCHEMA_ROOT_NAMESPACE,
    SCHEMA_ELEMENT_MISSING,
    SCHEMA_ELEMENT_UNEXPECTED,
    SCHEMA_ELEMENT_ORDER,
    SCHEMA_ELEMENT_REPEATED,
    SCHEMA_ELEMENT_NAMESPACE,
    SCHEMA_ATTRIBUTE_MISSING,
    SCHEMA_ATTRIBUTE_UNEXPECTED,
    SCHEMA_TEXT_UNEXPECTED,
    SCHEMA_CHILDREN_UNEXPECTED,
    SCHEMA_VALUE_TYPE,
    PAYLOAD_LEADING_WHITESPACE,
    SERVICE_INFO_NAMESPACE_LEGACY,
    SERVICE_INFO_AUTHENTICATION_TYPE,
    SERVICE_INFO_SUPPORTED_SERVICE_EMPTY,
    SERVICE_INFO_SUPPORTED_SERVICE_ORDER,
    SERVICE_INFO_ATTRIBUTE_LEGACY_NAME,
    SERVICE_INFO_URI_NOT_HTTPS,
    SERVICE_INFO_LIMITS_DBCS_ABOVE_SBCS,
    SERVICE_INFO_LIMITS_ZERO_RECIPIENTS,
    SERVICE_INFO_LIMITS_ZERO_MESSAGES,
    SERVICE_INFO_LIMITS_ZERO_SIZE,
    SERVICE_INFO_LIMITS_NO_SLIDES,
    SERVICE_INFO_LIMITS_ZERO_LENGTH,
    XMS_HEAD_NO_RECIPIENT,
    XMS_HEAD_REQUIRED_SERVICE,
    XMS_HEAD_SCHEDULED_FORMAT,
    XMS_HEAD_SCHEDULED_SECONDS,
    XMS_BODY_FORMAT,
    XMS_BODY_NO_CONTENT,
    XMS_BODY_SMS_CONTENT_TYPE,
    SMIL_NO_PAR,
    SMIL_PAR_DUR,
    SMIL_REGION_ID,
    SMIL_REGION_FIT,
    SMIL_REGION_GEOMETRY,
    SMIL_REGION_DUPLICATE,
    SMIL_REGION_UNDEFINED,
    SMIL_COLOR_FORMAT,
    SMIL_SRC_UNRESOLVED,
    SMIL_SRC_BARE,
    XMS_RESPONSE_NO_ERROR,
    BATCH_NO_ITEM,
    BATCH_ID_DUPLICATE,
    BATCH_ID_LEGACY_NAME,
    BATCH_NO_RESPONSE,
    BATCH_RESPONSE_DUPLICATE_ID,
    BATCH_RESPONSE_MISSING_ID,
    BATCH_RESPONSE_UNKNOWN_ID,
    DELIVERY_SEVERITY_VALUE,
    DELIVERY_CODE_CASE,
    DELIVERY_OK_SEVERITY,
    DELIVERY_FAILURE_SEVERITY,
    DELIVERY_SERVICE_UPDATE_SEVERITY,
    DELIVERY_SERVICE_UPDATE_CONTENT,
    DELIVERY_SERVICE_UPDATE_CASE,
    DELIVERY_CONTENT_MISSING,
    DELIVERY_CONTENT_FORMAT,
    DELIVERY_RECIPIENT_LIST_MISSING,
    SOAP_ACTION_MISMATCH,
    SOAP_ACTION_MISSING,
    SOAP_VERSION_MISMATCH,
    SOAP_VERSION_CONTENT_TYPE,
    SOAP_CONTENT_TYPE_INVALID,
    SOAP_WRAPPER_NAMESPACE,
    REQUEST_PARAMETER_MISSING,
    REQUEST_PARAMETER_REPEATED,
    REQUEST_PARAMETER_UNEXPECTED,
    REQUEST_NOT_ESCAPED_TEXT,
    RESPONSE_ELEMENT_WRONG,
    RESULT_MISSING,
    RESULT_REPEATED,
    RESULT_UNEXPECTED,
    RESULT_NOT_ESCAPED_TEXT,
];

/// Whether `rule` is a name this crate's OMS or SOAP layer can report.
pub fn is_known(rule: &str) -> bool {
    RULES.contains(&rule) || crate::soap::RULES.contains(&rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_across_layers() {
        let mut seen = HashSet::new();
        for rule in RULES.iter().chain(crate::soap::RULES) {
            assert!(seen.insert(*rule), "duplicate rule name {rule}");
        }
        assert!(is_known("batch.id.duplicate"));
        assert!(is_known("soap.fault.incomplete"));
        assert!(!is_known("batch.id.duplicated"));
    }
}
