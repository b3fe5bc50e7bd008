#!/usr/bin/env python3
"""A RopNotify NotificationData decoder following the decoder contract of the RopNotify
decode format: hex on stdin, the canonical JSON (exit 0) or {"error": RULE} (exit 1) on
stdout; with --lines, one buffer per line and one JSON object per line.

Written from MS-OXCNOTIF 2.2.1.4.1.1 and the decode-format document, apart from oxconf's Rust
codec (it shares only the presence rules with generate.py), so that the notif-decoder suite can
be run against a decoder oxconf did not write:

    suite = "notif-decoder"
    [target]
    decode = "python3 vectors/cnotif/decode.py"
    decode_lines = true

It is also a small example of the contract for implementers. Standard library only.
"""

import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import ID_FIELDS, INT_FIELDS, TABLE_EVENTS, TYPES, presence  # noqa: E402

ORDER = ["TableEventType", "TableRowFolderID", "TableRowMessageID", "TableRowInstance",
         "InsertAfterTableRowFolderID", "InsertAfterTableRowID", "InsertAfterTableRowInstance",
         "TableRowDataSize", "TableRowData", "FolderId", "MessageId", "ParentFolderId",
         "OldFolderId", "OldMessageId", "OldParentFolderId", "TagCount", "Tags",
         "TotalMessageCount", "UnreadMessageCount", "MessageFlags", "UnicodeFlag",
         "MessageClass"]
SIZES = {"TableEventType": 2, "TableRowInstance": 4, "InsertAfterTableRowInstance": 4,
         "TableRowDataSize": 2, "TagCount": 2, "TotalMessageCount": 4,
         "UnreadMessageCount": 4, "MessageFlags": 4, "UnicodeFlag": 1}


class Refused(Exception):
    pass


def decode(buf):
    if len(buf) < 2:
        raise Refused("truncated:NotificationFlags")
    flags = struct.unpack_from("<H", buf)[0]
    ntype = flags & 0x0FFF
    if ntype == 0x0400:
        raise Refused("notificationtype-reserved")
    if ntype not in TYPES:
        raise Refused("notificationtype-unknown")
    if flags & 0x1000 and ntype != 0x10:
        raise Refused("t-bit-not-objectmodified")
    if flags & 0x2000 and ntype != 0x10:
        raise Refused("u-bit-not-objectmodified")
    if flags & 0x4000 and not flags & 0x8000:
        raise Refused("s-without-m")
    out = {"NotificationType": TYPES[ntype],
           "flags": {k: bool(flags & b) for k, b in
                     (("T", 0x1000), ("U", 0x2000), ("S", 0x4000), ("M", 0x8000))}}
    pos = 2
    tet = None
    present = presence(ntype, flags, None)
    unicode = False
    for name in ORDER:
        if name == "Tags":
            count = out.get("TagCount")
            if count is None or count in (0, 0xFFFF):
                continue
            if count * 4 > len(buf) - pos:
                raise Refused("tagcount-exceeds-buffer")
            out["Tags"] = ["0x%08X" % struct.unpack_from("<I", buf, pos + 4 * i)[0]
                           for i in range(count)]
            pos += count * 4
            continue
        if not present[name]:
            continue
        if name == "TableRowData":
            size = out["TableRowDataSize"]
            out[name] = buf[pos:pos + size].hex().upper()
            pos += size
            continue
        if name == "MessageClass":
            rest = buf[pos:]
            if unicode:
                end = next((i for i in range(0, len(rest) - 1, 2)
                            if rest[i] == 0 and rest[i + 1] == 0), None)
                if end is None:
                    raise Refused("truncated:MessageClass")
                try:
                    out[name] = rest[:end].decode("utf-16-le")
                except UnicodeDecodeError:
                    raise Refused("messageclass-invalid-utf16")
                pos += end + 2
            else:
                end = rest.find(b"\x00")
                if end < 0:
                    raise Refused("truncated:MessageClass")
                if any(b > 0x7F for b in rest[:end]):
                    raise Refused("messageclass-not-ascii")
                out[name] = rest[:end].decode("ascii")
                pos += end + 1
            continue
        size = 8 if name in ID_FIELDS else SIZES[name]
        if len(buf) - pos < size:
            raise Refused("truncated:" + name)
        raw = buf[pos:pos + size]
        pos += size
        if name in ID_FIELDS:
            out[name] = raw.hex().upper()
        elif name == "TableEventType":
            tet = struct.unpack("<H", raw)[0]
            if tet not in TABLE_EVENTS:
                raise Refused("tableeventtype-unknown")
            out[name] = TABLE_EVENTS[tet]
            present = presence(ntype, flags, tet)
        elif name == "UnicodeFlag":
            if raw[0] not in (0, 1):
                raise Refused("unicodeflag-invalid")
            unicode = raw[0] == 1
            out[name] = unicode
        elif name in INT_FIELDS:
            out[name] = int.from_bytes(raw, "little")
            if name == "TableRowDataSize" and out[name] > len(buf) - pos:
                raise Refused("tablerowdatasize-exceeds-buffer")
    if pos != len(buf):
        raise Refused("trailing-bytes")
    return out


def answer(text):
    try:
        buf = bytes.fromhex("".join(text.split()))
    except ValueError:
        return json.dumps({"error": "truncated:NotificationFlags"}), 1
    try:
        return json.dumps(decode(buf), separators=(",", ":"), ensure_ascii=False), 0
    except Refused as e:
        return json.dumps({"error": str(e)}), 1


def main():
    data = sys.stdin.read()
    if "--lines" in sys.argv[1:]:
        status = 0
        for line in data.split("\n")[:-1] if data.endswith("\n") else data.split("\n"):
            out, code = answer(line)
            print(out)
            status = max(status, code)
        return status
    out, code = answer(data)
    print(out)
    return code


if __name__ == "__main__":
    sys.exit(main())
