//! The mock MAPI/HTTP server's faults: each breaks one rule a `notif-server` scenario judges,
//! or makes the server hostile.

use crate::fault::{Fault, FaultSet, FaultTable, Variant};

pub const FAULTS: &[Fault] = &[
    Fault::protocol(
        "register-no-handle",
        "answers RopRegisterNotification with success but leaves 0xFFFFFFFF in the handle table",
    ),
    Fault::protocol(
        "wrong-handle",
        "puts the subscription's handle plus one in RopNotify's NotificationHandle",
    ),
    Fault::protocol(
        "wrong-logon-id",
        "puts LogonId 7 in every RopNotify, whatever the subscription's logon",
    ),
    Fault::protocol(
        "wrong-message-id",
        "reports another MessageId than the saved message's in NewMail",
    ),
    Fault::protocol(
        "folder-flags-on-message",
        "sends message events without the M bit and MessageId",
    ),
    Fault::protocol(
        "t-bit-on-created",
        "sets the T bit (with a TotalMessageCount) on ObjectCreated",
    ),
    Fault::protocol(
        "no-modified-event",
        "raises no ObjectModified when a saved message is saved again",
    ),
    Fault::protocol(
        "no-pending",
        "never sends RopPending, even when notifications are left over",
    ),
    Fault::protocol(
        "pending-always",
        "sends RopPending after its RopNotify responses even when all of them fit",
    ),
    Fault::protocol(
        "notify-first",
        "puts the RopNotify responses before the ROP responses",
    ),
    Fault::protocol(
        "drops-leftovers",
        "discards the notifications that did not fit",
    ),
    Fault::protocol(
        "repeats-leftovers",
        "sends the last RopNotify of a full response again in the next one",
    ),
    Fault::protocol(
        "ignores-buffer-limit",
        "appends every pending RopNotify whatever MaxRopOut says",
    ),
    Fault::protocol(
        "ignores-types",
        "notifies every subscription of every event, whatever its NotificationTypes",
    ),
    Fault::protocol(
        "ignores-scope",
        "notifies folder-scoped subscriptions of events in other folders",
    ),
    Fault::protocol(
        "notifies-after-release",
        "keeps notifying a subscription after RopRelease",
    ),
    Fault::protocol(
        "wait-returns-at-once",
        "completes NotificationWait at once without EventPending",
    ),
    Fault::protocol(
        "wait-past-timeout",
        "holds NotificationWait for twice the 5-minute timeout",
    ),
    Fault::protocol(
        "wait-no-event-pending",
        "completes a held NotificationWait on an event but with EventPending 0",
    ),
    Fault::protocol(
        "no-keepalive",
        "sends no PENDING while a NotificationWait is held",
    ),
    Fault::protocol(
        "accepts-second-wait",
        "holds a second concurrent NotificationWait instead of rejecting it",
    ),
    Fault::protocol(
        "bad-handle-success",
        "answers a ROP whose handle index names no object with success",
    ),
    Fault::protocol(
        "accepts-reserved-rop",
        "skips a reserved RopId and answers the rest of the buffer",
    ),
    Fault::protocol("no-cookie", "sends no session context cookie on Connect"),
    Fault::hostile("hang", "never answers"),
    Fault::hostile("reset", "drops every connection without an answer"),
    Fault::hostile(
        "garbage",
        "answers 200 with bytes that are not a MAPI/HTTP response",
    ),
    Fault::hostile(
        "endless-pending",
        "answers every request with PENDING lines and never DONE",
    ),
];

pub struct MapiServerFaults;

impl FaultTable for MapiServerFaults {
    const PEER: &'static str = "notif-server";
    const FAULTS: &'static [Fault] = FAULTS;
    const VARIANTS: &'static [Variant] = &[];
}

pub type Faults = FaultSet<MapiServerFaults>;
