//! Result documents for scripts, including broken ones a client suite feeds a client under
//! test: error elements without code or severity, batch answers with any ids in any order.

use wire::oms::codes;
use wire::oms::{
    DeliveryError, ServiceInfo, UserError, UserInfo, XmsBatch, XmsResponse, XmsResponseWithId,
    XmsResponses,
};

use super::canned::Canned;
use super::record::Recorded;

/// An xmsResponse with exactly these error elements (none, or without code/severity, too).
pub fn xms_response(errors: &[DeliveryError]) -> String {
    XmsResponse {
        errors: errors.to_vec(),
    }
    .to_xml()
}

/// An xmsResponses with these items as given: any ids, repeated or missing, in any order.
pub fn batch_response(items: &[(u32, Vec<DeliveryError>)]) -> String {
    XmsResponses {
        items: items
            .iter()
            .map(|(id, errors)| XmsResponseWithId {
                id: *id,
                errors: errors.clone(),
            })
            .collect(),
    }
    .to_xml()
}

/// The serviceInfo of the corrected MS-OMS 4.1 example (E-OMS-02, E-OMS-17: https URIs).
pub fn example_service_info() -> ServiceInfo {
    ServiceInfo::spec_example()
}

/// A successful userInfo: code "OK" (3.1.4.2.3.3, E-OMS-07), severity left out (E-OMS-20).
pub fn user_info_ok() -> String {
    UserInfo {
        reply_phone: None,
        smtp_address: None,
        error: Some(UserError {
            code: Some(codes::USER_OK.to_owned()),
            severity: None,
            text: String::new(),
        }),
        custom_data: None,
    }
    .to_xml()
}

/// The ids of the batch a request carries, in request order; `None` when the request or its
/// packageXml cannot be read.
pub fn batch_ids(request: &Recorded) -> Option<Vec<u32>> {
    let payload = request.payload()?;
    XmsBatch::parse(payload).ok().map(|p| p.value.ids())
}

/// The default DeliverXmsBatch answer: "ok"/"neutral" for every id of the request, echoed in
/// request order. An unreadable batch gets a Client/Sender fault.
pub fn echo_batch_ok(request: &Recorded) -> Canned {
    match batch_ids(request) {
        Some(ids) => Canned::batch(
            &ids.into_iter()
                .map(|id| (id, vec![DeliveryError::ok()]))
                .collect::<Vec<_>>(),
        ),
        None => Canned::SenderFault {
            reason: "the packageXml of this DeliverXmsBatch request cannot be read as an xmsBatch"
                .to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_documents_are_written_as_asked() {
        let doc = xms_response(&[
            DeliveryError {
                code: None,
                severity: Some("failure".into()),
                ..Default::default()
            },
            DeliveryError {
                code: Some("ok".into()),
                severity: None,
                ..Default::default()
            },
        ]);
        let parsed = XmsResponse::parse(&doc).unwrap();
        assert_eq!(parsed.value.errors[0].code, None);
        assert_eq!(parsed.value.errors[1].severity, None);
        assert!(!parsed.findings.is_empty());
        assert_eq!(
            XmsResponse::parse(&xms_response(&[])).unwrap().value.errors,
            vec![]
        );
    }

    #[test]
    fn batch_response_keeps_order_and_repeats() {
        let doc = batch_response(&[
            (5, vec![DeliveryError::ok()]),
            (1, vec![]),
            (5, vec![DeliveryError::new("other", "failure")]),
        ]);
        let parsed = XmsResponses::parse(&doc).unwrap();
        let ids: Vec<u32> = parsed.value.items.iter().map(|i| i.id).collect();
        assert_eq!(ids, vec![5, 1, 5]);
        assert_eq!(parsed.value.items[1].errors, vec![]);
    }

    #[test]
    fn example_service_info_is_clean() {
        let parsed = ServiceInfo::parse(&example_service_info().to_xml()).unwrap();
        assert_eq!(parsed.findings, vec![]);
        assert_eq!(parsed.value, example_service_info());
    }

    #[test]
    fn user_info_ok_reads() {
        let parsed = UserInfo::parse(&user_info_ok()).unwrap();
        assert_eq!(parsed.findings, vec![]);
        assert_eq!(
            parsed.value.error.and_then(|e| e.code).as_deref(),
            Some("OK")
        );
    }
}
