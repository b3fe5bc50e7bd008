//! DeliverXms (MS-OMS 3.1.4.3): what a server does with one message, judged by the xmsResponse
//! it answers (2.2.4.4, 2.2.4.19) against the limits it advertises (3.1.4.1.3.3-3.1.4.1.3.5).
//! One module per concern; `all` keeps the scenarios in their published order.

mod content;
mod credentials;
mod ignored;
mod limits;
mod material;
mod recipients;
mod reporting;
mod schedule;

use harness::Scenario;

pub(super) fn all() -> Vec<Scenario> {
    vec![
        content::sms_ok(),
        limits::multi_part_sms(),
        content::mms_slides(),
        content::mms_no_slides(),
        content::invalid_media(),
        recipients::too_many_recipients(),
        limits::length_limit(),
        limits::long_sms(),
        recipients::invalid_recipient(),
        content::invalid_format(),
        credentials::wrong_password(),
        credentials::no_credentials(),
        schedule::scheduled_past(),
        schedule::scheduled_future(),
        ignored::subject_ignored_for_sms(),
        ignored::custom_data_ignored(),
        ignored::meta_ignored(),
        ignored::content_id_ignored(),
        content::required_service(),
        limits::size_limit(),
        limits::slides_limit(),
        reporting::severity_pairs(),
        reporting::service_update(),
    ]
}
