//! DeliverXmsBatch on the reference server: independent items, ids echoed exactly and in
//! order, the batchSize limit and the no-batch configuration.

mod oms_server_support;

use oms_server_support::*;
use oxconf_mocks::oms::server::{reference, ServerConfig};
use rstest::rstest;
use wire::oms::{Operation, XmsResponses};
use wire::soap::{FaultCode, SoapVersion};

fn ids(r: &XmsResponses) -> Vec<u32> {
    r.items.iter().map(|i| i.id).collect()
}

fn item_codes(r: &XmsResponses) -> Vec<Vec<String>> {
    r.items
        .iter()
        .map(|i| {
            i.errors
                .iter()
                .map(|e| e.code.clone().unwrap_or_default())
                .collect()
        })
        .collect()
}

#[rstest]
#[tokio::test]
async fn items_are_judged_independently_in_request_order(
    #[values(SoapVersion::V11, SoapVersion::V12)] version: SoapVersion,
) {
    let peer = Peer::start(&[]).await;
    let mut wrong_password = sms(&["b"]);
    wrong_password.user.as_mut().unwrap().password = Some("nope".into());
    let batch = batch_of(vec![
        (7, sms(&["a"])),
        (3, wrong_password),
        (12, mms(true)),
        (0, sms_from(reference::UNREGISTERED_USER, &["c"])),
    ]);
    let r = peer.batch_text(version, &batch.to_xml()).await;
    assert_eq!(ids(&r), [7, 3, 12, 0]);
    assert_eq!(
        item_codes(&r),
        [
            vec!["ok".to_string()],
            vec!["invalidUser".to_string()],
            vec!["ok".to_string()],
            vec!["unregisteredUser".to_string()],
        ]
    );
    assert_eq!(r.coverage_findings(&batch.ids()), vec![]);
}

#[tokio::test]
async fn duplicate_ids_are_echoed_as_sent() {
    let peer = Peer::start(&[]).await;
    let batch = batch_of(vec![(5, sms(&["a"])), (5, sms(&["b"])), (1, sms(&["c"]))]);
    let call = peer
        .call(
            Operation::DeliverXmsBatch,
            SoapVersion::V11,
            Some(&batch.to_xml()),
        )
        .await;
    let payload = clean_result(&call, SoapVersion::V11);
    // The duplicate is the client's fault; the server still answers each item with its id.
    let parsed = XmsResponses::parse(&payload).unwrap();
    assert_eq!(ids(&parsed.value), [5, 5, 1]);
    assert_eq!(parsed.value.pairing_findings(), vec![]);
}

#[tokio::test]
async fn schema_spelling_of_id_is_accepted() {
    let peer = Peer::start(&[]).await;
    let batch = batch_of(vec![(41, sms(&["a"])), (42, sms(&["b"]))]);
    let r = peer
        .batch_text(SoapVersion::V11, &batch.to_xml_with_id_attribute("Id"))
        .await;
    assert_eq!(ids(&r), [41, 42]);
    assert_eq!(
        item_codes(&r),
        [vec!["ok".to_string()], vec!["ok".to_string()]]
    );
}

#[tokio::test]
async fn utf16_declaration_of_the_package_is_ignored() {
    let peer = Peer::start(&[]).await;
    let xml = batch_of(vec![(1, sms(&["a"]))]).to_xml();
    let body = xml.split_once("?>").unwrap().1;
    let package = format!("<?xml version=\"1.0\" encoding=\"utf-16\"?>{body}");
    let r = peer.batch_text(SoapVersion::V11, &package).await;
    assert_eq!(item_codes(&r), [vec!["ok".to_string()]]);
}

#[tokio::test]
async fn more_messages_than_batch_size_are_all_refused() {
    let peer = Peer::start(&[]).await;
    let items = (0..256).map(|i| (i, sms(&["x"]))).collect();
    let r = peer
        .batch_text(SoapVersion::V11, &batch_of(items).to_xml())
        .await;
    assert_eq!(r.items.len(), 256);
    for item in &r.items {
        assert_eq!(item.errors.len(), 1);
        let e = &item.errors[0];
        assert_eq!(e.code.as_deref(), Some("other"));
        assert_eq!(e.severity.as_deref(), Some("failure"));
        assert!(e.content.as_deref().unwrap().contains("255"));
    }
}

#[tokio::test]
async fn exactly_batch_size_is_processed() {
    let peer = Peer::start(&[]).await;
    let items = (0..255).map(|i| (i, sms(&["x"]))).collect();
    let r = peer
        .batch_text(SoapVersion::V11, &batch_of(items).to_xml())
        .await;
    assert_eq!(r.items.len(), 255);
    assert!(item_codes(&r).iter().all(|c| c == &["ok"]));
}

#[rstest]
#[case::no_batches(Some(0))]
#[case::absent_batch_size(None)]
#[tokio::test]
async fn batch_size_zero_is_a_client_fault(#[case] batch_size: Option<u32>) {
    let mut config = ServerConfig::reference();
    config.service_info.batch_size = batch_size;
    let peer = Peer::start_with(config, &[], false).await;
    let call = peer
        .call(
            Operation::DeliverXmsBatch,
            SoapVersion::V11,
            Some(&batch_of(vec![(1, sms(&["x"]))]).to_xml()),
        )
        .await;
    assert_eq!(call.status(), Some(500));
    let fault = call.fault().expect("a SOAP fault");
    assert_eq!(fault.code_kind(), Some(FaultCode::Client));
    assert!(
        fault.reason.contains("batches are not supported"),
        "{}",
        fault.reason
    );
}

#[rstest]
#[case::not_xml("<xmsBatch")]
#[case::wrong_root("<xmsData xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>")]
#[case::no_items("<xmsBatch xmlns=\"http://schemas.microsoft.com/office/Outlook/2006/OMS\"/>")]
#[tokio::test]
async fn unreadable_packages_are_client_faults(#[case] package: &str) {
    let peer = Peer::start(&[]).await;
    let call = peer
        .call(Operation::DeliverXmsBatch, SoapVersion::V12, Some(package))
        .await;
    assert_eq!(call.status(), Some(400));
    let fault = call.fault().expect("a SOAP fault");
    assert_eq!(fault.code, "Sender");
}

#[tokio::test]
async fn items_carry_service_update_after_a_change() {
    let peer = Peer::start(&[]).await;
    peer.server.bump_service_info();
    let r = peer
        .batch_text(
            SoapVersion::V11,
            &batch_of(vec![(1, sms(&["a"])), (2, sms_from("carol", &["b"]))]).to_xml(),
        )
        .await;
    assert_eq!(
        item_codes(&r),
        [
            vec!["ok".to_string(), "serviceUpdate".to_string()],
            vec!["expiredUser".to_string(), "serviceUpdate".to_string()],
        ]
    );
}
