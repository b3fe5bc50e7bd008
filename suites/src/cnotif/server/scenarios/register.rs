//! Registration (MS-OXCNOTIF 2.2.1.2.1, 3.1.5.1): RopRegisterNotification creates a
//! subscription and hands its handle back in the handle table.

use super::{summary, Mailbox, EMPTY, LOGON, SUB_A};
use harness::Scenario;
use wire::rop::{ec, types, RopResponse, NO_HANDLE};

pub(super) fn all() -> Vec<Scenario> {
    vec![session_cookie(), returns_handle(), invalid_handle()]
}

/// MS-OXCMAPIHTTP 3.1.5: Connect creates the Session Context and its cookie; without the
/// cookie nothing after Connect reaches the session.
fn session_cookie() -> Scenario {
    Scenario::new("notif-server/session/cookie")
        .title("Connect returns a session context cookie that later requests carry")
        .section("MS-OXCMAPIHTTP 3.1.5")
        .requirements(["MAPIHTTP-R1219", "OXCNOTIF-R096"])
        .caught_by_breaking("no-cookie", ["MAPIHTTP-R1219"])
        .run(|cx| async move {
            let m = super::Mapi::connect(&cx).await?;
            let cookies = m.cookies();
            cx.checks().expect(
                "Connect sets at least one cookie (the session context cookie)",
                !cookies.is_empty(),
                "Set-Cookie on the Connect response",
                "no Set-Cookie",
            )?;
            let done = m.execute(&[], super::super::mapi::LARGE).await?;
            cx.cite(["MAPIHTTP-R1219", "OXCNOTIF-R096"]).expect_eq(
                "an Execute with the cookies and no ROP request at all succeeds",
                0u32,
                done.error_code,
            )?;
            cx.note(format!(
                "cookies: {}",
                cookies
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            Ok(())
        })
}

fn returns_handle() -> Scenario {
    Scenario::new("notif-server/register/returns-handle")
        .title("RopRegisterNotification succeeds and puts the subscription's handle in the handle table")
        .section("MS-OXCNOTIF 2.2.1.2.1")
        .requirements(["OXCNOTIF-R001", "OXCNOTIF-R007", "OXCNOTIF-R073"])
        .caught_by("register-no-handle")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            let (done, first) = b
                .register_raw(SUB_A, LOGON, types::NEW_MAIL | types::OBJECT_CREATED, None)
                .await?;
            let Some(RopResponse::RegisterNotification { output_index }) = first else {
                return Err(cx.checks().fail(
                    "RopRegisterNotification on the logon succeeds",
                    "a RopRegisterNotification response with ReturnValue 0",
                    summary(&done),
                ));
            };
            cx.checks().expect_eq(
                "the response echoes OutputHandleIndex",
                SUB_A,
                output_index,
            )?;
            let handle = b.m.handle(SUB_A);
            cx.checks().expect(
                "the handle table holds the subscription's handle at OutputHandleIndex",
                handle != NO_HANDLE,
                "a server object handle (not 0xFFFFFFFF)",
                format!("0x{handle:08X}"),
            )?;
            Ok(())
        })
}

/// MS-OXCROPS 3.2.5.1 (R4712): a handle index that names no object fails the ROP.
fn invalid_handle() -> Scenario {
    Scenario::new("notif-server/register/invalid-handle")
        .title(
            "RopRegisterNotification on a handle index that names no object fails with 0x000004B9",
        )
        .section("MS-OXCROPS 3.2.5.1")
        .requirements(["ROPS-R4712"])
        .caught_by("bad-handle-success")
        .run(|cx| async move {
            let b = Mailbox::open(&cx).await?;
            let (done, first) = b.register_raw(SUB_A, EMPTY, types::NEW_MAIL, None).await?;
            match first {
                Some(RopResponse::Failure { return_value, .. }) => {
                    if return_value == ec::NULL_OBJECT {
                        cx.checks().check(
                            "the ROP fails with ecNullObject",
                            true,
                            "ReturnValue 0x000004B9",
                            format!("ReturnValue 0x{return_value:08X}"),
                        );
                    } else {
                        cx.checks().info(
                            "the ROP fails, with another error than the one documented",
                            format!("ReturnValue 0x{return_value:08X} (0x000004B9 expected)"),
                        );
                        cx.checks().check(
                            "the ROP fails with ecNullObject",
                            false,
                            "ReturnValue 0x000004B9",
                            format!("ReturnValue 0x{return_value:08X}"),
                        );
                    }
                    Ok(())
                }
                _ if done.error_code != 0 => {
                    cx.checks().info(
                        "the whole Execute failed instead of the one ROP",
                        format!("ErrorCode 0x{:08X}", done.error_code),
                    );
                    Ok(())
                }
                _ => Err(cx.checks().give_up(
                    "a RopRegisterNotification on an empty handle slot fails",
                    "ReturnValue 0x000004B9",
                    summary(&done),
                )),
            }
        })
}
