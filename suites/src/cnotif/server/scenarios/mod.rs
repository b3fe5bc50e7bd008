//! notif-server scenarios, one module per concern: registration, delivery, pending
//! signalling, isolation of subscriptions, NotificationWait, and errors. The helpers here
//! log on, register, cause events over the same protocol and collect the RopNotify responses.

mod delivery;
mod errors;
mod isolation;
mod pending;
mod register;
mod wait;

use super::mapi::{Executed, Mapi, Notified, LARGE};
use harness::{Cx, Scenario, Stop};
use wire::cnotif::Id;
use wire::rop::{ec, LogonSuccess, ResponseError, RopRequest, RopResponse};

pub fn all() -> Vec<Scenario> {
    let mut v = Vec::new();
    v.extend(register::all());
    v.extend(delivery::all());
    v.extend(pending::all());
    v.extend(isolation::all());
    v.extend(wait::all());
    v.extend(errors::all());
    v
}

/// Handle-table slots the scenarios use.
pub(crate) const LOGON: u8 = 0;
pub(crate) const FOLDER: u8 = 1;
pub(crate) const SUB_A: u8 = 2;
pub(crate) const SUB_B: u8 = 3;
pub(crate) const MESSAGE: u8 = 4;
pub(crate) const SUB_C: u8 = 5;
/// A slot the scenarios never fill: its handle is 0xFFFFFFFF.
pub(crate) const EMPTY: u8 = 7;
/// The LogonId the scenarios log on with: not 0, so a server that always writes 0 is seen.
pub(crate) const LOGON_ID: u8 = 3;

/// A logged-on session with the events folder open.
pub(crate) struct Mailbox {
    pub(crate) m: Mapi,
    pub(crate) cx: Cx,
    pub(crate) folders: [Id; 13],
    /// The folder events are caused in.
    pub(crate) folder: Id,
}

/// RopNotify responses of one Execute, in order, and whether RopPending came last.
pub(crate) struct Collected {
    pub(crate) notes: Vec<Notified>,
    pub(crate) pending: Option<u16>,
    pub(crate) pending_last: bool,
    /// A RopNotify or RopPending came before some other ROP response.
    pub(crate) notify_before_response: bool,
    pub(crate) executed: Executed,
}

impl Mailbox {
    pub(crate) async fn open(cx: &Cx) -> Result<Mailbox, Stop> {
        let m = Mapi::connect(cx).await?;
        let logon = RopRequest::Logon {
            logon_id: LOGON_ID,
            output_index: LOGON,
            logon_flags: 0x01,
            open_flags: 0x0100_0000,
            store_state: 0,
            essdn: m.env.mailbox_dn.clone(),
        };
        let done = m.execute(&[logon], LARGE).await?;
        let responses = readable(&done)?;
        let Some(RopResponse::Logon { success, .. }) = responses.first().map(|(_, r)| r.clone())
        else {
            return Err(Stop::inconclusive(format!(
                "RopLogon did not succeed (ErrorCode 0x{:08X}, {}); check notif.mailbox_dn",
                done.error_code,
                summary(&done)
            )));
        };
        let success: LogonSuccess = *success;
        let folder = success.folder_ids[m.env.folder];
        let open = RopRequest::OpenFolder {
            logon_id: LOGON_ID,
            input_index: LOGON,
            output_index: FOLDER,
            folder_id: folder,
            open_mode: 0,
        };
        let done = m.execute(&[open], LARGE).await?;
        match readable(&done)?.first().map(|(_, r)| r.clone()) {
            Some(RopResponse::OpenFolder { .. }) => {}
            _ => {
                return Err(Stop::inconclusive(format!(
                    "RopOpenFolder of the events folder did not succeed: {}",
                    summary(&done)
                )))
            }
        }
        Ok(Mailbox {
            m,
            cx: cx.clone(),
            folders: success.folder_ids,
            folder,
        })
    }

    /// RopRegisterNotification into `slot` on the logon; returns the ROP's response.
    pub(crate) async fn register_raw(
        &self,
        slot: u8,
        input: u8,
        types: u16,
        scope: Option<(Id, Id)>,
    ) -> Result<(Executed, Option<RopResponse<'static>>), Stop> {
        let req = RopRequest::RegisterNotification {
            logon_id: LOGON_ID,
            input_index: input,
            output_index: slot,
            types,
            reserved: None,
            whole_store: scope.is_none(),
            scope,
        };
        let done = self.m.execute(&[req], LARGE).await?;
        let first = readable(&done)?.into_iter().next().map(|(_, r)| owned(r));
        Ok((done, first))
    }

    /// Registers and insists on success: the subscription's handle.
    pub(crate) async fn register(
        &self,
        slot: u8,
        types: u16,
        scope: Option<(Id, Id)>,
    ) -> Result<u32, Stop> {
        let (done, first) = self.register_raw(slot, LOGON, types, scope).await?;
        match first {
            Some(RopResponse::RegisterNotification { .. }) => Ok(self.m.handle(slot)),
            _ => Err(Stop::inconclusive(format!(
                "RopRegisterNotification did not succeed: {}",
                summary(&done)
            ))),
        }
    }

    /// Creates a message in `folder` and saves it: the saved MessageId and whatever
    /// notifications came back with the responses.
    pub(crate) async fn create_and_save(&self, folder: Id) -> Result<(Id, Collected), Stop> {
        self.create_and_save_with(folder, LARGE).await
    }

    /// `create_and_save` with a MaxRopOut of its own (small, to leave notifications queued).
    pub(crate) async fn create_and_save_with(
        &self,
        folder: Id,
        max_rop_out: u32,
    ) -> Result<(Id, Collected), Stop> {
        let reqs = [
            RopRequest::CreateMessage {
                logon_id: LOGON_ID,
                input_index: FOLDER,
                output_index: MESSAGE,
                code_page: 0x0FFF,
                folder_id: folder,
                associated: 0,
            },
            RopRequest::SaveChangesMessage {
                logon_id: LOGON_ID,
                response_index: MESSAGE,
                input_index: MESSAGE,
                save_flags: 0x0A,
            },
        ];
        let done = self.m.execute(&reqs, max_rop_out).await?;
        let collected = self.collect(done)?;
        let mid = collected
            .executed
            .responses()
            .ok()
            .and_then(|rs| {
                rs.into_iter().find_map(|(_, r)| match r {
                    RopResponse::SaveChangesMessage { message_id, .. } => Some(message_id),
                    _ => None,
                })
            })
            .ok_or_else(|| {
                Stop::inconclusive(format!(
                    "creating and saving a message did not succeed: {}",
                    summary(&collected.executed)
                ))
            })?;
        Ok((mid, collected))
    }

    /// Saves the open message again (an ObjectModified on it).
    pub(crate) async fn save_again(&self) -> Result<Collected, Stop> {
        self.save_again_with(LARGE).await
    }

    /// `save_again` with a MaxRopOut of its own: with room for the ROP response only, the
    /// notification it causes stays queued (for a held NotificationWait to report).
    pub(crate) async fn save_again_with(&self, max_rop_out: u32) -> Result<Collected, Stop> {
        let req = RopRequest::SaveChangesMessage {
            logon_id: LOGON_ID,
            response_index: MESSAGE,
            input_index: MESSAGE,
            save_flags: 0x0A,
        };
        let done = self.m.execute(&[req], max_rop_out).await?;
        self.collect(done)
    }

    /// A MaxRopOut with room for one RopSaveChangesMessage response (and a RopPending), so
    /// the notification a save causes is left queued.
    pub(crate) fn tight(&self) -> u32 {
        let slots = self.m.table.lock().map(|t| t.len()).unwrap_or(8) as u32;
        8 + 2 + 4 * slots + 15 + 3
    }

    /// A message of this scenario's own, saved, with an ObjectModified subscription scoped to
    /// it: events of other scenarios (which share the mailbox) never reach that subscription.
    pub(crate) async fn watch_own_message(&self, slot: u8) -> Result<(Id, u32), Stop> {
        let (mid, _) = self.create_and_save(self.folder).await?;
        let _ = self.drain(3).await?;
        let handle = self
            .register(
                slot,
                wire::rop::types::OBJECT_MODIFIED,
                Some((self.folder, mid)),
            )
            .await?;
        Ok((mid, handle))
    }

    /// An Execute with nothing to send, for the notifications alone.
    pub(crate) async fn poll(&self, max_rop_out: u32) -> Result<Collected, Stop> {
        let done = self.m.execute(&[], max_rop_out).await?;
        self.collect(done)
    }

    /// Polls with a large buffer until a response brings no notification (at most `rounds`).
    pub(crate) async fn drain(&self, rounds: usize) -> Result<Vec<Notified>, Stop> {
        let mut all = Vec::new();
        for _ in 0..rounds {
            let c = self.poll(LARGE).await?;
            if c.notes.is_empty() {
                break;
            }
            all.extend(c.notes);
        }
        Ok(all)
    }

    /// The notification ROPs of a response. A RopNotify that does not decode breaks the
    /// presence rules: a failing check on the rule's requirement.
    pub(crate) fn collect(&self, executed: Executed) -> Result<Collected, Stop> {
        let responses = match executed.responses() {
            Ok(r) => r,
            Err(ResponseError::BadNotification { offset, error }) => {
                return Err(self.cx.cite([error.rule.requirement()]).fail(
                    &format!(
                        "the RopNotify at offset {offset} of the response follows the field-presence rules"
                    ),
                    "NotificationData that decodes under MS-OXCNOTIF 2.2.1.4.1.1",
                    format!("{} at byte {} of its NotificationData", error.rule.id(), error.offset()),
                ))
            }
            Err(e) => {
                return Err(Stop::inconclusive(format!(
                    "the Execute response's ROPs are unreadable: {e}"
                )))
            }
        };
        let mut notes = Vec::new();
        let mut pending = None;
        let mut pending_last = false;
        let mut seen_notification = false;
        let mut notify_before_response = false;
        let count = responses.len();
        for (i, (_, r)) in responses.iter().enumerate() {
            match r {
                RopResponse::Notify {
                    handle,
                    logon_id,
                    raw,
                    ..
                } => {
                    seen_notification = true;
                    notes.push(Notified {
                        handle: *handle,
                        logon_id: *logon_id,
                        raw: raw.to_vec(),
                    });
                }
                RopResponse::Pending { session_index } => {
                    seen_notification = true;
                    pending = Some(*session_index);
                    pending_last = i + 1 == count;
                }
                _ => {
                    if seen_notification {
                        notify_before_response = true;
                    }
                }
            }
        }
        Ok(Collected {
            notes,
            pending,
            pending_last,
            notify_before_response,
            executed,
        })
    }

    /// Protocol seconds in wall time.
    pub(crate) fn scale(&self, protocol_secs: f64) -> std::time::Duration {
        self.m.env.minute.mul_f64(protocol_secs / 60.0)
    }
}

/// Whether a Mailbox's events folder is the Inbox (NewMail is raised there).
pub(crate) fn is_inbox(b: &Mailbox) -> bool {
    b.folder == b.folders[LogonSuccess::INBOX]
}

/// The responses of an Execute, or inconclusive when they cannot be read.
pub(crate) fn readable(done: &Executed) -> Result<Vec<(usize, RopResponse<'_>)>, Stop> {
    if done.error_code != 0 {
        return Err(Stop::inconclusive(format!(
            "Execute failed with ErrorCode 0x{:08X}",
            done.error_code
        )));
    }
    done.responses()
        .map_err(|e| Stop::inconclusive(format!("the Execute response's ROPs are unreadable: {e}")))
}

fn owned(r: RopResponse<'_>) -> RopResponse<'static> {
    match r {
        RopResponse::Failure {
            rop_id,
            index,
            return_value,
        } => RopResponse::Failure {
            rop_id,
            index,
            return_value,
        },
        RopResponse::RegisterNotification { output_index } => {
            RopResponse::RegisterNotification { output_index }
        }
        RopResponse::Pending { session_index } => RopResponse::Pending { session_index },
        // Only the register path keeps a response; others are summarised.
        other => RopResponse::Failure {
            rop_id: other.rop_id(),
            index: 0,
            return_value: other.return_value().unwrap_or(ec::SUCCESS),
        },
    }
}

/// One line on what an Execute returned.
pub(crate) fn summary(done: &Executed) -> String {
    if done.error_code != 0 {
        return format!("ErrorCode 0x{:08X}", done.error_code);
    }
    match done.responses() {
        Ok(rs) => rs
            .iter()
            .map(|(_, r)| match r.return_value() {
                Some(0) | None => r.name().to_string(),
                Some(rv) => format!("{} ReturnValue 0x{rv:08X}", r.name()),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Err(e) => e.to_string(),
    }
}

/// The notifications that name one of `mids`. Scenarios run concurrently in one mailbox (and
/// a real mailbox has other traffic), so a whole-store or folder subscription also hears of
/// other messages: every check looks at the scenario's own messages only.
pub(crate) fn about<'a>(notes: &'a [Notified], mids: &[Id]) -> Vec<&'a Notified> {
    notes
        .iter()
        .filter(|n| {
            n.decoded()
                .ok()
                .and_then(|d| d.message_id)
                .is_some_and(|m| mids.contains(&m))
        })
        .collect()
}

/// "NewMail 0100000000200001" for a notification, for evidence.
pub(crate) fn describe(n: &Notified) -> String {
    match n.decoded() {
        Ok(d) => format!(
            "{} handle 0x{:08X} LogonId {} MessageId {}",
            d.kind.name(),
            n.handle,
            n.logon_id,
            d.message_id.map_or("-".into(), |m| wire::binary::hex(&m))
        ),
        Err(e) => format!("undecodable ({})", e.rule.id()),
    }
}
