//! ROP responses: those of the requests in [`super::request`], and the notification and
//! control ROPs a server adds (digest 4.4 to 4.6).

use super::*;
use crate::binary::{BinError, NoTrace, Reader};
use crate::cnotif::{self, Id, NotificationData};

/// The private-mailbox RopLogon success fields after ReturnValue (160 bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogonSuccess {
    pub logon_flags: u8,
    /// The 13 special folder ids; [4] is the Inbox (MS-OXCSTOR 2.2.1.1.3).
    pub folder_ids: [Id; 13],
    pub response_flags: u8,
    pub mailbox_guid: [u8; 16],
    pub repl_id: u16,
    pub repl_guid: [u8; 16],
    pub logon_time: [u8; 8],
    pub gwart_time: u64,
    pub store_state: u32,
}

impl LogonSuccess {
    /// Index of the Inbox in `folder_ids`.
    pub const INBOX: usize = 4;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RopResponse<'a> {
    /// A ROP that failed: RopId, its first handle index, ReturnValue (nothing else follows).
    Failure {
        rop_id: u8,
        index: u8,
        return_value: u32,
    },
    Logon {
        output_index: u8,
        success: Box<LogonSuccess>,
    },
    OpenFolder {
        output_index: u8,
        has_rules: u8,
        /// IsGhosted ≠ 0 brings ServerCount, CheapServerCount and the servers, kept raw.
        ghosted: Option<&'a [u8]>,
    },
    CreateMessage {
        output_index: u8,
        message_id: Option<Id>,
    },
    SaveChangesMessage {
        response_index: u8,
        input_index: u8,
        message_id: Id,
    },
    RegisterNotification {
        output_index: u8,
    },
    Notify {
        handle: u32,
        logon_id: u8,
        /// The NotificationData bytes, as on the wire.
        raw: &'a [u8],
        data: NotificationData<'a>,
    },
    Pending {
        session_index: u16,
    },
    BufferTooSmall {
        size_needed: u16,
        /// The unprocessed rest of the request RopsList.
        request: &'a [u8],
    },
    Backoff {
        logon_id: u8,
        duration_ms: u32,
        rops: Vec<(u8, u32)>,
        additional: &'a [u8],
    },
}

impl RopResponse<'_> {
    pub fn rop_id(&self) -> u8 {
        match self {
            RopResponse::Failure { rop_id, .. } => *rop_id,
            RopResponse::Logon { .. } => ROP_LOGON,
            RopResponse::OpenFolder { .. } => ROP_OPEN_FOLDER,
            RopResponse::CreateMessage { .. } => ROP_CREATE_MESSAGE,
            RopResponse::SaveChangesMessage { .. } => ROP_SAVE_CHANGES_MESSAGE,
            RopResponse::RegisterNotification { .. } => ROP_REGISTER_NOTIFICATION,
            RopResponse::Notify { .. } => ROP_NOTIFY,
            RopResponse::Pending { .. } => ROP_PENDING,
            RopResponse::BufferTooSmall { .. } => ROP_BUFFER_TOO_SMALL,
            RopResponse::Backoff { .. } => ROP_BACKOFF,
        }
    }

    pub fn name(&self) -> &'static str {
        match self.rop_id() {
            ROP_LOGON => "RopLogon",
            ROP_OPEN_FOLDER => "RopOpenFolder",
            ROP_CREATE_MESSAGE => "RopCreateMessage",
            ROP_SAVE_CHANGES_MESSAGE => "RopSaveChangesMessage",
            ROP_REGISTER_NOTIFICATION => "RopRegisterNotification",
            ROP_NOTIFY => "RopNotify",
            ROP_PENDING => "RopPending",
            ROP_BUFFER_TOO_SMALL => "RopBufferTooSmall",
            ROP_BACKOFF => "RopBackoff",
            ROP_RELEASE => "RopRelease",
            _ => "ROP",
        }
    }

    /// The ReturnValue, for the ROPs that have one.
    pub fn return_value(&self) -> Option<u32> {
        match self {
            RopResponse::Failure { return_value, .. } => Some(*return_value),
            RopResponse::Notify { .. }
            | RopResponse::Pending { .. }
            | RopResponse::BufferTooSmall { .. }
            | RopResponse::Backoff { .. } => None,
            _ => Some(0),
        }
    }

    /// Appends the response's wire form. Err for a notification the encoder refuses.
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), String> {
        out.push(self.rop_id());
        match self {
            RopResponse::Failure {
                index,
                return_value,
                ..
            } => {
                out.push(*index);
                out.extend_from_slice(&return_value.to_le_bytes());
            }
            RopResponse::Logon {
                output_index,
                success: s,
            } => {
                out.push(*output_index);
                out.extend_from_slice(&0u32.to_le_bytes());
                out.push(s.logon_flags);
                for id in &s.folder_ids {
                    out.extend_from_slice(id);
                }
                out.push(s.response_flags);
                out.extend_from_slice(&s.mailbox_guid);
                out.extend_from_slice(&s.repl_id.to_le_bytes());
                out.extend_from_slice(&s.repl_guid);
                out.extend_from_slice(&s.logon_time);
                out.extend_from_slice(&s.gwart_time.to_le_bytes());
                out.extend_from_slice(&s.store_state.to_le_bytes());
            }
            RopResponse::OpenFolder {
                output_index,
                has_rules,
                ghosted,
            } => {
                out.push(*output_index);
                out.extend_from_slice(&0u32.to_le_bytes());
                out.push(*has_rules);
                match ghosted {
                    Some(servers) => {
                        out.push(1);
                        out.extend_from_slice(servers);
                    }
                    None => out.push(0),
                }
            }
            RopResponse::CreateMessage {
                output_index,
                message_id,
            } => {
                out.push(*output_index);
                out.extend_from_slice(&0u32.to_le_bytes());
                match message_id {
                    Some(id) => {
                        out.push(1);
                        out.extend_from_slice(id);
                    }
                    None => out.push(0),
                }
            }
            RopResponse::SaveChangesMessage {
                response_index,
                input_index,
                message_id,
            } => {
                out.push(*response_index);
                out.extend_from_slice(&0u32.to_le_bytes());
                out.push(*input_index);
                out.extend_from_slice(message_id);
            }
            RopResponse::RegisterNotification { output_index } => {
                out.push(*output_index);
                out.extend_from_slice(&0u32.to_le_bytes());
            }
            RopResponse::Notify {
                handle,
                logon_id,
                raw,
                ..
            } => {
                out.extend_from_slice(&handle.to_le_bytes());
                out.push(*logon_id);
                out.extend_from_slice(raw);
            }
            RopResponse::Pending { session_index } => {
                out.extend_from_slice(&session_index.to_le_bytes())
            }
            RopResponse::BufferTooSmall {
                size_needed,
                request,
            } => {
                out.extend_from_slice(&size_needed.to_le_bytes());
                out.extend_from_slice(request);
            }
            RopResponse::Backoff {
                logon_id,
                duration_ms,
                rops,
                additional,
            } => {
                out.push(*logon_id);
                out.extend_from_slice(&duration_ms.to_le_bytes());
                out.push(rops.len() as u8);
                for (id, ms) in rops {
                    out.push(*id);
                    out.extend_from_slice(&ms.to_le_bytes());
                }
                out.extend_from_slice(&(additional.len() as u16).to_le_bytes());
                out.extend_from_slice(additional);
            }
        }
        Ok(())
    }
}

/// Why a RopsList of responses could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponseError {
    /// A RopId this codec has no layout for: nothing after it can be read.
    UnknownRop {
        rop_id: u8,
        offset: usize,
    },
    /// A RopNotify whose NotificationData does not decode: its end is unknown.
    BadNotification {
        offset: usize,
        error: cnotif::DecodeError,
    },
    Bytes(BinError),
}

impl From<BinError> for ResponseError {
    fn from(e: BinError) -> Self {
        ResponseError::Bytes(e)
    }
}

impl std::fmt::Display for ResponseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResponseError::UnknownRop { rop_id, offset } => {
                write!(
                    f,
                    "RopId 0x{rop_id:02X} at offset {offset} has no known layout"
                )
            }
            ResponseError::BadNotification { offset, error } => {
                write!(
                    f,
                    "the RopNotify at offset {offset} does not decode: {error}"
                )
            }
            ResponseError::Bytes(e) => e.fmt(f),
        }
    }
}

/// One response with the offset it starts at in the RopsList.
pub type Located<'a> = (usize, RopResponse<'a>);

/// Reads every response of a RopsList, in order.
pub fn read_responses(rops: &[u8]) -> Result<Vec<Located<'_>>, ResponseError> {
    let mut trace = NoTrace;
    let mut r = Reader::new(rops, &mut trace);
    let mut out = Vec::new();
    while r.remaining() > 0 {
        let at = r.pos();
        let rop_id = r.u8("RopId")?;
        let resp = match rop_id {
            ROP_NOTIFY => {
                let handle = r.u32("NotificationHandle")?;
                let logon_id = r.u8("LogonId")?;
                let rest = r.rest();
                let (data, used) = cnotif::decode_prefix(rest)
                    .map_err(|error| ResponseError::BadNotification { offset: at, error })?;
                let raw = r.bytes("NotificationData", used)?;
                RopResponse::Notify {
                    handle,
                    logon_id,
                    raw,
                    data,
                }
            }
            ROP_PENDING => RopResponse::Pending {
                session_index: r.u16("SessionIndex")?,
            },
            ROP_BUFFER_TOO_SMALL => {
                let size_needed = r.u16("SizeNeeded")?;
                let request = r.bytes("RequestBuffers", r.remaining())?;
                RopResponse::BufferTooSmall {
                    size_needed,
                    request,
                }
            }
            ROP_BACKOFF => {
                let logon_id = r.u8("LogonId")?;
                let duration_ms = r.u32("Duration")?;
                let count = r.u8("BackoffRopCount")?;
                let mut list = Vec::with_capacity(count as usize);
                for _ in 0..count {
                    list.push((r.u8("RopIdBackoff")?, r.u32("Duration")?));
                }
                let size = r.u16("AdditionalDataSize")? as usize;
                let additional = r.bytes("AdditionalData", size)?;
                RopResponse::Backoff {
                    logon_id,
                    duration_ms,
                    rops: list,
                    additional,
                }
            }
            ROP_LOGON
            | ROP_OPEN_FOLDER
            | ROP_CREATE_MESSAGE
            | ROP_SAVE_CHANGES_MESSAGE
            | ROP_REGISTER_NOTIFICATION => {
                let index = r.u8("HandleIndex")?;
                let return_value = r.u32("ReturnValue")?;
                if return_value != 0 {
                    RopResponse::Failure {
                        rop_id,
                        index,
                        return_value,
                    }
                } else {
                    success(&mut r, rop_id, index)?
                }
            }
            other => {
                return Err(ResponseError::UnknownRop {
                    rop_id: other,
                    offset: at,
                })
            }
        };
        out.push((at, resp));
    }
    Ok(out)
}

fn success<'a>(
    r: &mut Reader<'a, '_, NoTrace>,
    rop_id: u8,
    index: u8,
) -> Result<RopResponse<'a>, BinError> {
    Ok(match rop_id {
        ROP_LOGON => {
            let logon_flags = r.u8("LogonFlags")?;
            let mut folder_ids = [[0u8; 8]; 13];
            for id in &mut folder_ids {
                *id = r.array("FolderIds")?;
            }
            RopResponse::Logon {
                output_index: index,
                success: Box::new(LogonSuccess {
                    logon_flags,
                    folder_ids,
                    response_flags: r.u8("ResponseFlags")?,
                    mailbox_guid: r.array("MailboxGuid")?,
                    repl_id: r.u16("ReplId")?,
                    repl_guid: r.array("ReplGuid")?,
                    logon_time: r.array("LogonTime")?,
                    gwart_time: r.u64("GwartTime")?,
                    store_state: r.u32("StoreState")?,
                }),
            }
        }
        ROP_OPEN_FOLDER => {
            let has_rules = r.u8("HasRules")?;
            let ghosted = if r.u8("IsGhosted")? != 0 {
                // ServerCount, CheapServerCount and the ASCIIZ server names, kept raw.
                let before = r.rest();
                let start = r.pos();
                let servers = r.u16("ServerCount")?;
                let _cheap = r.u16("CheapServerCount")?;
                for _ in 0..servers {
                    let rest = r.rest();
                    let Some(end) = rest.iter().position(|b| *b == 0) else {
                        return Err(BinError::Incomplete {
                            field: "Servers",
                            offset: r.pos(),
                            needed: rest.len() + 1,
                            available: rest.len(),
                        });
                    };
                    r.bytes("Servers", end + 1)?;
                }
                Some(&before[..r.pos() - start])
            } else {
                None
            };
            RopResponse::OpenFolder {
                output_index: index,
                has_rules,
                ghosted,
            }
        }
        ROP_CREATE_MESSAGE => {
            let has = r.u8("HasMessageId")?;
            RopResponse::CreateMessage {
                output_index: index,
                message_id: if has != 0 {
                    Some(r.array("MessageId")?)
                } else {
                    None
                },
            }
        }
        ROP_SAVE_CHANGES_MESSAGE => RopResponse::SaveChangesMessage {
            response_index: index,
            input_index: r.u8("InputHandleIndex")?,
            message_id: r.array("MessageId")?,
        },
        _ => RopResponse::RegisterNotification {
            output_index: index,
        },
    })
}

/// The RopsList of `responses`.
pub fn write_responses(responses: &[RopResponse<'_>]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for r in responses {
        r.write(&mut out)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::request::{read_requests, write_requests};
    use super::*;

    #[test]
    fn requests_and_responses_round_trip() {
        let reqs = vec![
            RopRequest::Logon {
                logon_id: 0,
                output_index: 0,
                logon_flags: 1,
                open_flags: 0x0100_0000,
                store_state: 0,
                essdn: "/o=Example/cn=alice".into(),
            },
            RopRequest::RegisterNotification {
                logon_id: 0,
                input_index: 0,
                output_index: 1,
                types: types::NEW_MAIL | types::EXTENDED,
                reserved: Some(0),
                whole_store: false,
                scope: Some(([1; 8], [0; 8])),
            },
            RopRequest::Release {
                logon_id: 0,
                input_index: 1,
            },
        ];
        let bytes = write_requests(&reqs);
        assert_eq!(read_requests(&bytes).unwrap(), reqs);

        let data = cnotif::decode(&[0x00, 0x01, 0x01, 0x00]).unwrap();
        let resps = vec![
            RopResponse::RegisterNotification { output_index: 1 },
            RopResponse::Failure {
                rop_id: ROP_OPEN_FOLDER,
                index: 2,
                return_value: ec::NOT_FOUND,
            },
            RopResponse::Notify {
                handle: 9,
                logon_id: 0,
                raw: &[0x00, 0x01, 0x01, 0x00],
                data,
            },
            RopResponse::Pending { session_index: 3 },
        ];
        let bytes = write_responses(&resps).unwrap();
        let read: Vec<RopResponse> = read_responses(&bytes)
            .unwrap()
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        assert_eq!(read, resps);
    }
}
