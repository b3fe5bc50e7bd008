//! What an OMS server under test must claim (or be configured for) before some scenarios run.

use harness::Claim;

pub const SEND_XMS: Claim = Claim::new("send_xms", "set [claims] send_xms = true");
pub const HTTPS: Claim = Claim::new(
    "https",
    "point target.url at the service's https:// endpoint (MS-OMS 2.1)",
);
pub const REPLIES: Claim = Claim::new(
    "replies",
    "set oms.reply_trigger and oms.reply_address so the service can be made to emit a phone reply",
);
pub const MMS_REPLIES: Claim = Claim::new(
    "mms_replies",
    "set [claims] mms_replies = true (with oms.reply_trigger) if the trigger can emit MMS replies",
);
pub const SERVICE_UPDATE: Claim = Claim::new(
    "service_update",
    "set oms.service_update_trigger to a command that changes the service information",
);
pub const UNREGISTERED_USER: Claim = Claim::new(
    "unregistered_user",
    "set oms.unregistered_user (an account without the service)",
);
pub const EXPIRED_USER: Claim = Claim::new(
    "expired_user",
    "set oms.expired_user (a prepaid account with no credit left)",
);
pub const SMS_ONLY_USER: Claim = Claim::new(
    "sms_only_user",
    "set oms.sms_only_user (an account subscribed to SMS only)",
);
pub const LOW_BALANCE_USER: Claim = Claim::new(
    "low_balance_user",
    "set oms.low_balance_user (a prepaid account with a low balance)",
);
pub const DAY_LIMITED_USER: Claim = Claim::new(
    "day_limited_user",
    "set oms.day_limited_user (an account whose daily quota is used up)",
);
pub const MONTH_LIMITED_USER: Claim = Claim::new(
    "month_limited_user",
    "set oms.month_limited_user (an account whose monthly quota is used up)",
);
pub const CEASED_USER: Claim = Claim::new(
    "ceased_user",
    "set oms.ceased_user (an account whose service was terminated)",
);
pub const CROSS_CARRIER: Claim = Claim::new(
    "cross_carrier_recipient",
    "set oms.cross_carrier_recipient (a number on a carrier the service cannot reach)",
);
pub const UNREACHABLE: Claim = Claim::new(
    "unreachable_recipient",
    "set oms.unreachable_recipient (a number whose delivery fails on the service side)",
);
pub const BLOCKED_TEXT: Claim = Claim::new(
    "blocked_text",
    "set oms.blocked_text (a word or character the service refuses)",
);

/// Every claim the reference peer makes: it implements everything.
pub const ALL: &[Claim] = &[
    SEND_XMS,
    HTTPS,
    REPLIES,
    MMS_REPLIES,
    SERVICE_UPDATE,
    UNREGISTERED_USER,
    EXPIRED_USER,
    SMS_ONLY_USER,
    LOW_BALANCE_USER,
    DAY_LIMITED_USER,
    MONTH_LIMITED_USER,
    CEASED_USER,
    CROSS_CARRIER,
    UNREACHABLE,
    BLOCKED_TEXT,
];
