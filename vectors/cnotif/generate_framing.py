#!/usr/bin/env python3
"""Writes vectors/cnotif/rop-buffers.json and vectors/cnotif/mapihttp-responses.json: golden
vectors for the framing that carries notifications (MS-OXCROPS 2.2.1 ROP buffers behind an
RPC_HEADER_EXT, MS-OXCMAPIHTTP 2.2.7 response streams).

Standard library only; run it from anywhere. Like generate.py, it builds every case from its
fields, from the layouts in the referenced-specs digest (sections 4 to 6), not by running
oxconf's codec, so the Rust test of these files checks one implementation against another.
"""

import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def rpc_ext(payload, flags=0x0004, xor=False):
    if xor:
        flags |= 0x0002
        payload = bytes(b ^ 0xA5 for b in payload)
    return u16(0) + u16(flags) + u16(len(payload)) + u16(len(payload)) + payload


def rop_buffer(rops, handles):
    return u16(len(rops) + 2) + rops + b"".join(u32(h) for h in handles)


def load_examples():
    with open(os.path.join(HERE, "spec-examples.json"), encoding="utf-8") as f:
        return {e["id"]: bytes.fromhex(e["notification_data_hex"]) for e in json.load(f)}


def notify(handle, logon, data):
    return bytes([0x2A]) + u32(handle) + bytes([logon]) + data


def pending(index):
    return bytes([0x6E]) + u16(index)


def rop_cases(ex):
    cases = []

    def add(comment, raw, result, rops=None, handles=None, rule=None, flags=()):
        c = {"id": len(cases) + 1, "comment": comment, "flags": list(flags),
             "hex": raw.hex().upper(), "result": result}
        if rops is not None:
            c["rops"] = rops
            c["handles"] = handles
        if rule is not None:
            c["rule"] = rule
        cases.append(c)

    n1 = notify(0x11, 0, ex["V01"])
    n8 = notify(0x12, 3, ex["V08"])
    n14 = notify(0x13, 1, ex["V14"])
    add("V01 NewMail as a RopNotify, then RopPending of session 3",
        rpc_ext(rop_buffer(n1 + pending(3), [0x11])), "valid",
        [{"rop": "RopNotify", "handle": 0x11, "logon_id": 0, "data_hex": ex["V01"].hex().upper()},
         {"rop": "RopPending", "session_index": 3}], [0x11], flags=["SpecExample"])
    add("three RopNotify (V01, V08, V14) back to back: each ends where its NotificationData does",
        rpc_ext(rop_buffer(n1 + n8 + n14, [0x11, 0x12, 0x13])), "valid",
        [{"rop": "RopNotify", "handle": 0x11, "logon_id": 0, "data_hex": ex["V01"].hex().upper()},
         {"rop": "RopNotify", "handle": 0x12, "logon_id": 3, "data_hex": ex["V08"].hex().upper()},
         {"rop": "RopNotify", "handle": 0x13, "logon_id": 1, "data_hex": ex["V14"].hex().upper()}],
        [0x11, 0x12, 0x13], flags=["SpecExample"])
    reg = bytes([0x29, 0x02]) + u32(0)
    add("a RopRegisterNotification success response, then a RopNotify (V11)",
        rpc_ext(rop_buffer(reg + notify(0x21, 0, ex["V11"]), [0x20, 0xFFFFFFFF, 0x21])), "valid",
        [{"rop": "RopRegisterNotification", "output_index": 2, "return_value": 0},
         {"rop": "RopNotify", "handle": 0x21, "logon_id": 0, "data_hex": ex["V11"].hex().upper()}],
        [0x20, 0xFFFFFFFF, 0x21])
    fail = bytes([0x29, 0x02]) + u32(0x000004B9)
    add("a failed RopRegisterNotification: RopId, OutputHandleIndex, ReturnValue 0x000004B9 and nothing else",
        rpc_ext(rop_buffer(fail, [0x20])), "valid",
        [{"rop": "RopRegisterNotification", "output_index": 2, "return_value": 0x000004B9}], [0x20])
    add("a RopBufferTooSmall: SizeNeeded 0x0100 and the unprocessed request bytes",
        rpc_ext(rop_buffer(bytes([0xFF]) + u16(0x0100) + bytes([0x01, 0x00, 0x02]), [])), "valid",
        [{"rop": "RopBufferTooSmall", "size_needed": 0x0100, "request_hex": "010002"}], [])
    add("the same V01 RopNotify with the payload obfuscated (XorMagic 0xA5)",
        rpc_ext(rop_buffer(n1, [0x11]), xor=True), "valid",
        [{"rop": "RopNotify", "handle": 0x11, "logon_id": 0, "data_hex": ex["V01"].hex().upper()}],
        [0x11])
    first = rop_buffer(n1, [0x11])
    chained = u16(0) + u16(0) + u16(len(first[:10])) + u16(len(first[:10])) + first[:10] + \
        rpc_ext(first[10:])
    add("a payload split over two chained RPC_HEADER_EXT (Last only on the second)", chained,
        "valid",
        [{"rop": "RopNotify", "handle": 0x11, "logon_id": 0, "data_hex": ex["V01"].hex().upper()}],
        [0x11])
    add("an empty RopsList and no handles: RopSize 2", rpc_ext(rop_buffer(b"", [])), "valid", [], [])
    add("RPC_HEADER_EXT Version 1", u16(1) + rpc_ext(rop_buffer(b"", []))[2:], "invalid",
        rule="rpc-ext-version")
    add("the Compressed flag (oxconf asks for no compression)",
        rpc_ext(rop_buffer(n1, [0x11]), flags=0x0005), "invalid", rule="rpc-ext-compressed")
    good = rpc_ext(rop_buffer(n1, [0x11]))
    bad_actual = good[:6] + u16(len(good) - 8 + 1) + good[8:]
    add("SizeActual differs from Size without compression", bad_actual, "invalid",
        rule="rpc-ext-size-actual")
    add("the payload is shorter than Size", good[:-3], "invalid", rule="truncated:Payload")
    add("no RPC_HEADER_EXT with Last: the chain ends without one",
        u16(0) + u16(0) + u16(4) + u16(4) + rop_buffer(b"", [0x11])[:4], "invalid",
        rule="truncated:RPC_HEADER_EXT")
    add("RopSize 1 (it counts its own two bytes)", rpc_ext(u16(1)), "invalid",
        rule="ropsize-too-small")
    add("a handle table that is not a whole number of u32",
        rpc_ext(rop_buffer(n1, [0x11]) + b"\x00"), "invalid", rule="handle-table-not-u32s")
    add("a RopNotify whose NotificationData breaks the T-bit rule (T on NewMail)",
        rpc_ext(rop_buffer(notify(0x11, 0, bytes([0x02, 0x90]) + ex["V01"][2:]), [0x11])),
        "invalid", rule="t-bit-not-objectmodified")
    add("a RopId without a response layout (0x28, reserved)",
        rpc_ext(rop_buffer(bytes([0x28, 0, 0]), [])), "invalid", rule="unknown-rop")
    return cases


def stream(tags, headers, body):
    out = b"".join(t.encode() + b"\r\n" for t in tags)
    out += b"".join(("%s: %s\r\n" % h).encode() for h in headers)
    if "DONE" in tags:
        out += b"\r\n" + body
    return out


def mapihttp_cases():
    cases = []

    def add(comment, raw, request_type, result, tags=None, body=None, rule=None):
        c = {"id": len(cases) + 1, "comment": comment, "request_type": request_type,
             "hex": raw.hex().upper(), "result": result}
        if tags is not None:
            c["tags"] = tags
        if body is not None:
            c["body"] = body
        if rule is not None:
            c["rule"] = rule
        cases.append(c)

    wait_on = u32(0) + u32(0) + u32(1) + u32(0)
    wait_off = u32(0) + u32(0) + u32(0) + u32(0)
    add("a NotificationWait completed by an event after two keep-alives",
        stream(["PROCESSING", "PENDING", "PENDING", "DONE"], [("X-ElapsedTime", "61234"),
               ("X-StartTime", "Thu, 03 Dec 2026 09:00:00 GMT")], wait_on),
        "NotificationWait", "valid", ["PROCESSING", "PENDING", "PENDING", "DONE"],
        {"status_code": 0, "error_code": 0, "event_pending": True})
    add("a NotificationWait that timed out: EventPending 0",
        stream(["PROCESSING"] + ["PENDING"] * 10 + ["DONE"], [("X-ElapsedTime", "300001")],
               wait_off), "NotificationWait", "valid",
        ["PROCESSING"] + ["PENDING"] * 10 + ["DONE"],
        {"status_code": 0, "error_code": 0, "event_pending": False})
    add("a second NotificationWait rejected: ErrorCode ecRejected 0x000007EE",
        stream(["PROCESSING", "DONE"], [], u32(0) + u32(0x7EE) + u32(0) + u32(0)),
        "NotificationWait", "valid", ["PROCESSING", "DONE"],
        {"status_code": 0, "error_code": 0x7EE, "event_pending": False})
    rop = rpc_ext(rop_buffer(b"", []))
    execute = u32(0) + u32(0) + u32(0) + u32(len(rop)) + rop + u32(0)
    add("an Execute success body carrying an empty ROP buffer",
        stream(["PROCESSING", "DONE"], [("X-ElapsedTime", "2")], execute), "Execute", "valid",
        ["PROCESSING", "DONE"],
        {"status_code": 0, "error_code": 0, "flags": 0, "rop_buffer_hex": rop.hex().upper()})
    add("an Execute failure body: StatusCode 0x000006BB (server busy)",
        stream(["PROCESSING", "DONE"], [], u32(0x6BB) + u32(0)), "Execute", "valid",
        ["PROCESSING", "DONE"], {"status_code": 0x6BB})
    dn = b"/o=Example/ou=Exchange Administrative Group\x00"
    name = "Alice".encode("utf-16-le") + b"\x00\x00"
    connect = u32(0) + u32(0) + u32(60000) + u32(6) + u32(10000) + dn + name + u32(0)
    add("a Connect success body: PollsMax 60000 ms, RetryCount 6, RetryDelay 10000 ms",
        stream(["PROCESSING", "DONE"], [], connect), "Connect", "valid", ["PROCESSING", "DONE"],
        {"status_code": 0, "error_code": 0, "polls_max": 60000, "retry_count": 6,
         "retry_delay": 10000, "dn_prefix": "/o=Example/ou=Exchange Administrative Group",
         "display_name": "Alice"})
    add("a stream that stops after PENDING (no DONE)",
        stream(["PROCESSING", "PENDING"], [], b""), "NotificationWait", "invalid",
        rule="unfinished")
    add("a line that is not a meta-tag", b"PROCESSING\r\nHELLO\r\n", "NotificationWait",
        "invalid", rule="bad-line")
    add("a meta-tag line of 2000 bytes", b"P" * 2000 + b"\r\n", "NotificationWait", "invalid",
        rule="line-too-long")
    add("a body with a byte after its auxiliary buffer",
        stream(["PROCESSING", "DONE"], [], wait_on + b"\x00"), "NotificationWait", "invalid",
        rule="body-trailing-bytes")
    add("a body cut inside EventPending", stream(["PROCESSING", "DONE"], [], wait_on[:10]),
        "NotificationWait", "invalid", rule="truncated:EventPending")
    return cases


def main():
    ex = load_examples()
    docs = {
        "rop-buffers.json": {
            "name": "ROP buffers behind RPC_HEADER_EXT, as in an Execute response's RopBuffer",
            "spec": "MS-OXCROPS 2.2.1, MS-OXCRPC 2.2.2.1, MS-OXCNOTIF 2.2.1.4.1",
            "format": "vectors/README.md (section cnotif, framing)",
            "generator": "vectors/cnotif/generate_framing.py",
            "cases": rop_cases(ex),
        },
        "mapihttp-responses.json": {
            "name": "MAPI/HTTP response streams (meta-tags, additional headers, body)",
            "spec": "MS-OXCMAPIHTTP 2.2.4, 2.2.7",
            "format": "vectors/README.md (section cnotif, framing)",
            "generator": "vectors/cnotif/generate_framing.py",
            "cases": mapihttp_cases(),
        },
    }
    for name, doc in docs.items():
        with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        print("%d cases in %s" % (len(doc["cases"]), name))


if __name__ == "__main__":
    main()
