//! Errors (MS-OXCROPS 2.2.2): a reserved RopId fails the whole call.

use super::Mailbox;
use harness::{Scenario, Stop};
use wire::rop::{write_rop_buffer, write_rpc_ext};

pub(super) fn all() -> Vec<Scenario> {
    vec![reserved_rop()]
}

/// RopId 0x28 is reserved; clients MUST NOT send it and a server SHOULD fail the call.
fn reserved_rop() -> Scenario {
    Scenario::new("notif-server/errors/reserved-rop")
        .title("An Execute whose ROP buffer holds a reserved RopId (0x28) fails")
        .section("MS-OXCROPS 2.2.2")
        .requirements(["ROPS-R17"])
        .caught_by("accepts-reserved-rop")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            let table = b.m.table.lock().map(|t| t.clone()).unwrap_or_default();
            let framed = write_rop_buffer(&[0x28], &table)
                .and_then(|p| write_rpc_ext(&p, false))
                .map_err(Stop::error)?;
            let answer =
                b.m.exchange(
                    wire::mapihttp::RequestType::Execute,
                    wire::mapihttp::ExecuteRequest {
                        flags: wire::mapihttp::EXECUTE_NO_COMPRESSION_NO_XOR,
                        rop_buffer: framed,
                        max_rop_out: super::super::mapi::LARGE,
                    }
                    .write(),
                    None,
                )
                .await?;
            let refused = if answer.status != 200 || answer.response_code != Some(0) {
                Some(format!(
                    "HTTP {}, X-ResponseCode {:?}",
                    answer.status, answer.response_code
                ))
            } else {
                match wire::mapihttp::read_execute_response(&answer.body) {
                    Ok(wire::mapihttp::Body::Failure { status_code }) => {
                        Some(format!("StatusCode 0x{status_code:08X}"))
                    }
                    Ok(wire::mapihttp::Body::Success(s)) if s.error_code != 0 => {
                        Some(format!("ErrorCode 0x{:08X}", s.error_code))
                    }
                    Ok(wire::mapihttp::Body::Success(_)) => None,
                    Err(e) => {
                        return Err(Stop::inconclusive(format!(
                            "the Execute response body is unreadable: {e}"
                        )))
                    }
                }
            };
            cx.checks().check(
                "the Execute holding a reserved RopId fails",
                refused.is_some(),
                "a failed call (ErrorCode such as ecRpcFormat 0x000004B6, or a failure body)",
                refused.unwrap_or_else(|| "ErrorCode 0: the buffer was processed".into()),
            );
            Ok(())
        })
}
