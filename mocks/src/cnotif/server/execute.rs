//! Execute: the ROP requests of one request buffer, processed in order against the session's
//! handle table, then as many pending RopNotify responses as fit in MaxRopOut and, when some
//! are left over, a RopPending of the session's index (MS-OXCNOTIF 3.1.5.5 to 3.1.5.7).

use wire::rop::{
    self, ec, is_reserved_rop_id, read_requests, read_rop_buffer, read_rpc_ext, types,
    write_rop_buffer, write_rpc_ext, RequestError, RopRequest, RopResponse, NO_HANDLE,
};

use super::faults::Faults;
use super::store::{Event, Object, Scope, Session, Store, Subscription, INBOX};
use wire::rop::LogonSuccess;

/// The most payload one extended buffer may carry (MS-OXCRPC 3.1.4.2.1).
const MAX_PAYLOAD: usize = 0x8000;
const RPC_EXT: usize = 8;

/// What an Execute produced: the EcDoRpcExt2 return value and the RopBuffer (rgbOut).
#[derive(Default)]
pub struct Executed {
    pub error_code: u32,
    pub rop_buffer: Vec<u8>,
    /// The session index of every RopPending appended.
    pub pendings: Vec<u16>,
    /// How many RopNotify entries were appended.
    pub notifies: usize,
}

fn failed(error_code: u32) -> Executed {
    Executed {
        error_code,
        ..Executed::default()
    }
}

/// How notifications are delivered, beyond the reference's rules (the scripted server).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    /// At most this many RopNotify entries per response.
    pub per_response: Option<usize>,
    /// A RopPending of this (foreign) session index, appended to a response that announces
    /// nothing of the session's own.
    pub foreign_pending: Option<u16>,
}

/// Processes one Execute RopBuffer for `session`.
pub fn execute(
    store: &Store,
    session: &Session,
    faults: &Faults,
    rop_buffer: &[u8],
    max_rop_out: u32,
    delivery: Delivery,
) -> Executed {
    let Ok(payload) = read_rpc_ext(rop_buffer) else {
        return failed(ec::RPC_FORMAT);
    };
    // An empty payload is an Execute with nothing to send: only notifications come back.
    let (rops, mut handles) = if payload.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        match read_rop_buffer(&payload) {
            Ok(b) => (b.rops.to_vec(), b.handles),
            Err(_) => return failed(ec::RPC_FORMAT),
        }
    };
    let rops = if faults.is_on("accepts-reserved-rop") {
        rops.into_iter()
            .enumerate()
            .filter(|(i, b)| !(*i == 0 && is_reserved_rop_id(*b)))
            .map(|(_, b)| b)
            .collect()
    } else {
        rops
    };
    let requests = match read_requests(&rops) {
        Ok(r) => r,
        Err(RequestError::UnknownRop { .. }) | Err(RequestError::Bytes(_)) => {
            return failed(ec::RPC_FORMAT)
        }
    };
    let mut events = Vec::new();
    let mut responses: Vec<u8> = Vec::new();
    for req in &requests {
        if let Some(resp) = process(store, session, faults, req, &mut handles, &mut events) {
            let _ = resp.write(&mut responses);
        }
    }
    for e in events {
        store.raise(e, faults);
    }
    let limit = (max_rop_out as usize).min(RPC_EXT + MAX_PAYLOAD);
    let fixed = RPC_EXT + 2 + handles.len() * 4;
    let (notes, count, mut pending) = take_notifications(
        session,
        faults,
        limit,
        fixed + responses.len(),
        delivery.per_response,
    );
    let mut pendings: Vec<u16> = if pending.is_empty() {
        Vec::new()
    } else {
        vec![session.index]
    };
    if let Some(foreign) = delivery.foreign_pending.filter(|_| pending.is_empty()) {
        pending.push(rop::ROP_PENDING);
        pending.extend_from_slice(&foreign.to_le_bytes());
        pendings.push(foreign);
    }
    let rops_out = if faults.is_on("notify-first") {
        let mut v = notes;
        v.extend_from_slice(&responses);
        v.extend_from_slice(&pending);
        v
    } else {
        let mut v = responses;
        v.extend_from_slice(&notes);
        v.extend_from_slice(&pending);
        v
    };
    let payload = match write_rop_buffer(&rops_out, &handles) {
        Ok(p) => p,
        Err(_) => return failed(ec::RPC_FORMAT),
    };
    match write_rpc_ext(&payload, false) {
        Ok(rop_buffer) => Executed {
            error_code: 0,
            rop_buffer,
            pendings,
            notifies: count,
        },
        Err(_) => failed(ec::RPC_FORMAT),
    }
}

/// RopNotify bytes for as many queued notifications as fit after `used` bytes, and the
/// RopPending bytes when some are left.
fn take_notifications(
    session: &Session,
    faults: &Faults,
    limit: usize,
    used: usize,
    per_response: Option<usize>,
) -> (Vec<u8>, usize, Vec<u8>) {
    let mut st = session.lock();
    let mut out = Vec::new();
    let mut count = 0usize;
    let mut size = used;
    let mut last: Option<super::store::Queued> = None;
    while let Some(q) = st.queue.front() {
        let n = 6 + q.data.len();
        let more = st.queue.len() > 1;
        let need = n + if more { 3 } else { 0 };
        if size + need > limit && !faults.is_on("ignores-buffer-limit") {
            break;
        }
        if per_response.is_some_and(|n| count >= n) {
            break;
        }
        let Some(q) = st.queue.pop_front() else {
            break;
        };
        out.push(rop::ROP_NOTIFY);
        out.extend_from_slice(&q.handle.to_le_bytes());
        out.push(q.logon_id);
        out.extend_from_slice(&q.data);
        size += n;
        count += 1;
        last = Some(q);
    }
    let left = !st.queue.is_empty();
    if left && faults.is_on("drops-leftovers") {
        st.queue.clear();
    }
    if left && faults.is_on("repeats-leftovers") {
        if let Some(q) = last {
            st.queue.push_front(q);
        }
    }
    let mut pending = Vec::new();
    let announce = (left && !faults.is_on("no-pending"))
        || (faults.is_on("pending-always") && !out.is_empty());
    // The reference keeps room for the RopPending while it packs (`need` above); a RopPending
    // that cannot fit at all is left out, as MS-OXCNOTIF 3.1.5.7 allows.
    if announce && (size + 3 <= limit || faults.is_on("ignores-buffer-limit")) {
        pending.push(rop::ROP_PENDING);
        pending.extend_from_slice(&session.index.to_le_bytes());
    }
    (out, count, pending)
}

fn handle_at(handles: &[u32], index: u8) -> Option<u32> {
    handles
        .get(index as usize)
        .copied()
        .filter(|h| *h != NO_HANDLE)
}

fn put(handles: &mut [u32], index: u8, handle: u32) -> bool {
    match handles.get_mut(index as usize) {
        Some(slot) => {
            *slot = handle;
            true
        }
        None => false,
    }
}

fn fail(rop_id: u8, index: u8, return_value: u32) -> RopResponse<'static> {
    RopResponse::Failure {
        rop_id,
        index,
        return_value,
    }
}

/// One request; `None` for RopRelease, which has no response.
fn process(
    store: &Store,
    session: &Session,
    faults: &Faults,
    req: &RopRequest,
    handles: &mut [u32],
    events: &mut Vec<Event>,
) -> Option<RopResponse<'static>> {
    let mut st = session.lock();
    let object = req
        .input_index()
        .and_then(|i| handle_at(handles, i))
        .and_then(|h| st.objects.get(&h).cloned().map(|o| (h, o)));
    let bad_handle = req.input_index().is_some() && object.is_none();
    if bad_handle && faults.is_on("bad-handle-success") {
        // Answers as if the ROP had worked on the logon.
        if let RopRequest::RegisterNotification { output_index, .. } = req {
            return Some(RopResponse::RegisterNotification {
                output_index: *output_index,
            });
        }
    }
    Some(match req {
        RopRequest::Logon {
            logon_id,
            output_index,
            ..
        } => {
            let h = st.add(Object::Logon {
                logon_id: *logon_id,
            });
            if !put(handles, *output_index, h) {
                return Some(fail(rop::ROP_LOGON, *output_index, ec::NULL_OBJECT));
            }
            RopResponse::Logon {
                output_index: *output_index,
                success: Box::new(LogonSuccess {
                    logon_flags: 0x01,
                    folder_ids: store.folders,
                    response_flags: 0x01,
                    mailbox_guid: [0x0A; 16],
                    repl_id: 1,
                    repl_guid: [0x0B; 16],
                    logon_time: [0; 8],
                    gwart_time: 0,
                    store_state: 0,
                }),
            }
        }
        RopRequest::OpenFolder {
            output_index,
            folder_id,
            ..
        } => {
            if bad_handle {
                return Some(fail(rop::ROP_OPEN_FOLDER, *output_index, ec::NULL_OBJECT));
            }
            if !store.is_folder(folder_id) {
                return Some(fail(rop::ROP_OPEN_FOLDER, *output_index, ec::NOT_FOUND));
            }
            let h = st.add(Object::Folder { folder: *folder_id });
            if !put(handles, *output_index, h) {
                return Some(fail(rop::ROP_OPEN_FOLDER, *output_index, ec::NULL_OBJECT));
            }
            RopResponse::OpenFolder {
                output_index: *output_index,
                has_rules: 0,
                ghosted: None,
            }
        }
        RopRequest::CreateMessage {
            output_index,
            folder_id,
            ..
        } => {
            if bad_handle {
                return Some(fail(
                    rop::ROP_CREATE_MESSAGE,
                    *output_index,
                    ec::NULL_OBJECT,
                ));
            }
            if !store.is_folder(folder_id) {
                return Some(fail(rop::ROP_CREATE_MESSAGE, *output_index, ec::NOT_FOUND));
            }
            let h = st.add(Object::Message {
                folder: *folder_id,
                id: None,
                saves: 0,
            });
            if !put(handles, *output_index, h) {
                return Some(fail(
                    rop::ROP_CREATE_MESSAGE,
                    *output_index,
                    ec::NULL_OBJECT,
                ));
            }
            RopResponse::CreateMessage {
                output_index: *output_index,
                message_id: None,
            }
        }
        RopRequest::SaveChangesMessage {
            response_index,
            input_index,
            ..
        } => {
            let Some((h, Object::Message { folder, id, saves })) = object else {
                return Some(fail(
                    rop::ROP_SAVE_CHANGES_MESSAGE,
                    *response_index,
                    ec::NULL_OBJECT,
                ));
            };
            let message = id.unwrap_or_else(|| store.new_message_id());
            if saves == 0 {
                events.push(Event::Created { folder, message });
                if folder == store.folders[INBOX] {
                    events.push(Event::NewMail { folder, message });
                }
            } else if !faults.is_on("no-modified-event") {
                events.push(Event::Modified { folder, message });
            }
            st.objects.insert(
                h,
                Object::Message {
                    folder,
                    id: Some(message),
                    saves: saves + 1,
                },
            );
            RopResponse::SaveChangesMessage {
                response_index: *response_index,
                input_index: *input_index,
                message_id: message,
            }
        }
        RopRequest::RegisterNotification {
            output_index,
            types: wanted,
            reserved,
            whole_store,
            scope,
            ..
        } => {
            if object.is_none() {
                return Some(fail(
                    rop::ROP_REGISTER_NOTIFICATION,
                    *output_index,
                    ec::NULL_OBJECT,
                ));
            }
            let logon_id = match req {
                RopRequest::RegisterNotification { logon_id, .. } => *logon_id,
                _ => 0,
            };
            let bad_types = *wanted & !(types::ALL_EVENTS | types::EXTENDED) != 0
                || *wanted & types::ALL_EVENTS == 0
                || reserved.is_some_and(|r| r != 0);
            if bad_types {
                return Some(fail(
                    rop::ROP_REGISTER_NOTIFICATION,
                    *output_index,
                    ec::INVALID_PARAM,
                ));
            }
            let scope = match (whole_store, scope) {
                (true, _) | (false, None) => Scope::WholeStore,
                (false, Some((folder, message))) => {
                    if !store.is_folder(folder) {
                        return Some(fail(
                            rop::ROP_REGISTER_NOTIFICATION,
                            *output_index,
                            ec::NOT_FOUND,
                        ));
                    }
                    if *message == [0; 8] {
                        Scope::Folder(*folder)
                    } else {
                        Scope::Message(*folder, *message)
                    }
                }
            };
            let h = st.add(Object::Subscription);
            st.subscriptions.push(Subscription {
                handle: h,
                logon_id,
                types: *wanted,
                scope,
                released: false,
            });
            let stored = if faults.is_on("register-no-handle") {
                true
            } else {
                put(handles, *output_index, h)
            };
            if !stored {
                return Some(fail(
                    rop::ROP_REGISTER_NOTIFICATION,
                    *output_index,
                    ec::NULL_OBJECT,
                ));
            }
            RopResponse::RegisterNotification {
                output_index: *output_index,
            }
        }
        RopRequest::Release { .. } => {
            if let Some((h, _)) = object {
                st.objects.remove(&h);
                for s in st.subscriptions.iter_mut().filter(|s| s.handle == h) {
                    s.released = true;
                }
                if !faults.is_on("notifies-after-release") {
                    st.queue.retain(|q| q.handle != h);
                }
            }
            return None;
        }
    })
}
