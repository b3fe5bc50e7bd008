//! What the service advertises, read the way scenarios provoke it: a sender the service does
//! not advertise skips the scenario (the capability is optional), and the longest text part a
//! sender accepts follows the suite's text-length decision.
//!
//! Text-length decision (the specification gives per-message limits only): without
//! LONG_SMS_SENDER a text part may be as long as the SMS_SENDER limit for its characters; with
//! LONG_SMS_SENDER it may be 255 segments of the LONG_SMS_SENDER per-segment limit, 255 being
//! the most segments a concatenated SMS can have (its segment count is one octet). A server
//! answering lengthLimit may name either sender's pair in its content.

use harness::Stop;
use wire::oms::text::MAX_SEGMENTS;
use wire::oms::{MmsSender, ServiceInfo, SmsSender};

/// The advertised SMS_SENDER; without one the scenario is skipped (a service may offer MMS
/// only).
pub fn sms_sender(info: &ServiceInfo) -> Result<&SmsSender, Stop> {
    info.supported_service
        .sms
        .as_ref()
        .ok_or_else(|| Stop::skip("the service does not advertise SMS_SENDER"))
}

/// The advertised MMS_SENDER; without one the scenario is skipped (a service may offer SMS
/// only).
pub fn mms_sender(info: &ServiceInfo) -> Result<&MmsSender, Stop> {
    info.supported_service
        .mms
        .as_ref()
        .ok_or_else(|| Stop::skip("the service does not advertise MMS_SENDER"))
}

/// The advertised MMS_SENDER when it supports SMIL slides; otherwise the scenario is skipped.
pub fn slide_sender(info: &ServiceInfo) -> Result<&MmsSender, Stop> {
    let mms = mms_sender(info)?;
    if mms.support_slide {
        Ok(mms)
    } else {
        Err(Stop::skip(
            "MMS_SENDER advertises supportSlide=\"false\": no SMIL presentations",
        ))
    }
}

/// The longest text part the service accepts: (single-byte, double-byte) characters.
pub fn text_ceiling(sender: &SmsSender) -> (u64, u64) {
    match &sender.long {
        Some(long) => (
            MAX_SEGMENTS * u64::from(long.max_sbcs_per_message),
            MAX_SEGMENTS * u64::from(long.max_dbcs_per_message),
        ),
        None => (
            u64::from(sender.limits.max_sbcs_per_message),
            u64::from(sender.limits.max_dbcs_per_message),
        ),
    }
}

/// An SMS_SENDER for tests: 140 single-byte or 70 double-byte characters per SMS, and with
/// `long` a LONG_SMS_SENDER of 153 or 67 per segment.
#[cfg(test)]
pub(crate) fn test_sender(long: bool) -> SmsSender {
    let limits = |sb: u32, db: u32| wire::oms::SmsLimits {
        max_recipients_per_message: 10,
        max_messages_per_send: 10,
        max_sbcs_per_message: sb,
        max_dbcs_per_message: db,
    };
    SmsSender {
        limits: limits(140, 70),
        long: long.then(|| limits(153, 67)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(false, (140, 70))]
    #[case(true, (255 * 153, 255 * 67))]
    fn ceilings(#[case] long: bool, #[case] expected: (u64, u64)) {
        assert_eq!(text_ceiling(&test_sender(long)), expected);
    }
}
