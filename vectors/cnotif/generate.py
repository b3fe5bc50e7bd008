#!/usr/bin/env python3
"""Writes vectors/cnotif/notification-data.json: the RopNotify NotificationData vectors.

Run it from anywhere with Python 3.8 or later; it needs nothing outside the standard library.
It reads the corrected spec examples kept beside it (spec-examples.json) and writes the vector
file next to it. The output is committed; re-running it must leave the file unchanged
(oxconf's test suite checks the file, not this script).

This is a second implementation of MS-OXCNOTIF 2.2.1.4.1.1 and of the decode format
(ropnotify-decode-format.md), written from the spec text apart from the Rust codec in wire/:
each vector is built field by field from a list of (name, bytes), and its expected decode or
rule comes from that list, not from decoding the bytes. The Rust decoder is then tested
against every entry, so the two implementations check each other.
"""

import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

TYPES = {
    0x0002: "NewMail",
    0x0004: "ObjectCreated",
    0x0008: "ObjectDeleted",
    0x0010: "ObjectModified",
    0x0020: "ObjectMoved",
    0x0040: "ObjectCopied",
    0x0080: "SearchComplete",
    0x0100: "TableModified",
}
TABLE_EVENTS = {
    0x0001: "TableChanged",
    0x0003: "TableRowAdded",
    0x0004: "TableRowDeleted",
    0x0005: "TableRowModified",
    0x0007: "TableRestrictionChanged",
}
T, U, S, M = 0x1000, 0x2000, 0x4000, 0x8000

ID_FIELDS = {
    "TableRowFolderID", "TableRowMessageID", "InsertAfterTableRowFolderID",
    "InsertAfterTableRowID", "FolderId", "MessageId", "ParentFolderId", "OldFolderId",
    "OldMessageId", "OldParentFolderId",
}
INT_FIELDS = {
    "TagCount", "TotalMessageCount", "UnreadMessageCount", "TableRowInstance",
    "InsertAfterTableRowInstance", "TableRowDataSize", "MessageFlags",
}

# Requirement ids per field (the catalogue's OXCNOTIF entries).
FIELD_REQ = {
    "TableEventType": "OXCNOTIF-R034", "TableRowFolderID": "OXCNOTIF-R035",
    "TableRowMessageID": "OXCNOTIF-R036", "TableRowInstance": "OXCNOTIF-R037",
    "InsertAfterTableRowFolderID": "OXCNOTIF-R038", "InsertAfterTableRowID": "OXCNOTIF-R039",
    "InsertAfterTableRowInstance": "OXCNOTIF-R040", "TableRowDataSize": "OXCNOTIF-R041",
    "TableRowData": "OXCNOTIF-R042", "FolderId": "OXCNOTIF-R043", "MessageId": "OXCNOTIF-R044",
    "ParentFolderId": "OXCNOTIF-R045", "OldFolderId": "OXCNOTIF-R046",
    "OldMessageId": "OXCNOTIF-R047", "OldParentFolderId": "OXCNOTIF-R048",
    "TagCount": "OXCNOTIF-R049", "Tags": "OXCNOTIF-R052", "TotalMessageCount": "OXCNOTIF-R053",
    "UnreadMessageCount": "OXCNOTIF-R054", "MessageFlags": "OXCNOTIF-R055",
    "UnicodeFlag": "OXCNOTIF-R056", "MessageClass": "OXCNOTIF-R058",
}
RULE_REQ = {
    "trailing-bytes": "OXCNOTIF-R059", "notificationtype-unknown": "OXCNOTIF-R027",
    "notificationtype-reserved": "OXCNOTIF-R027", "t-bit-not-objectmodified": "OXCNOTIF-R028",
    "u-bit-not-objectmodified": "OXCNOTIF-R029", "s-without-m": "OXCNOTIF-R030",
    "tableeventtype-unknown": "OXCNOTIF-R034", "tagcount-exceeds-buffer": "OXCNOTIF-R052",
    "tablerowdatasize-exceeds-buffer": "OXCNOTIF-R041", "unicodeflag-invalid": "OXCNOTIF-R056",
    "messageclass-not-ascii": "OXCNOTIF-R058", "messageclass-invalid-utf16": "OXCNOTIF-R058",
}


def u16(v):
    return struct.pack("<H", v)


def u32(v):
    return struct.pack("<I", v)


def fid(counter, replica=1):
    """A Folder/Message ID: 2-byte ReplicaId LE, 6-byte GlobalCounter big-endian as printed."""
    return struct.pack("<H", replica) + counter.to_bytes(6, "big")


def presence(ntype, flags, tet):
    """The fields present, from the text of 2.2.1.4.1.1 (E-CN-09 for InsertAfter*Instance)."""
    m = bool(flags & M)
    s = bool(flags & S)
    rows = tet in (3, 4, 5)
    data = tet in (3, 5)
    p = {
        "TableEventType": ntype == 0x0100,
        "TableRowFolderID": rows,
        "TableRowMessageID": m and rows,
        "TableRowInstance": m and rows,
        "InsertAfterTableRowFolderID": data,
        "InsertAfterTableRowID": m and data,
        "InsertAfterTableRowInstance": m and data,
        "TableRowDataSize": data,
        "TableRowData": data,
        "FolderId": ntype not in (0x0100, 0x0400),
        "MessageId": ntype not in (0x0100, 0x0400) and m,
        "ParentFolderId": ntype in (0x04, 0x08, 0x20, 0x40) and (s == m),
        "OldFolderId": ntype in (0x20, 0x40),
        "OldMessageId": ntype in (0x20, 0x40) and m,
        "OldParentFolderId": ntype in (0x20, 0x40) and not m,
        "TagCount": ntype in (0x04, 0x10),
        "TotalMessageCount": bool(flags & T),
        "UnreadMessageCount": bool(flags & U),
        "MessageFlags": ntype == 0x02,
        "UnicodeFlag": ntype == 0x02,
        "MessageClass": ntype == 0x02,
    }
    return p


def json_value(name, raw):
    """The canonical JSON form of one field's bytes (MessageClass without its terminator)."""
    if name in ID_FIELDS:
        return raw.hex().upper()
    if name == "TableEventType":
        return TABLE_EVENTS[struct.unpack("<H", raw)[0]]
    if name in INT_FIELDS:
        return int.from_bytes(raw, "little")
    if name == "Tags":
        return ["0x%08X" % struct.unpack("<I", raw[i:i + 4])[0] for i in range(0, len(raw), 4)]
    if name == "TableRowData":
        return raw.hex().upper()
    raise KeyError(name)


def decoded(fields):
    """The canonical decode of a valid field list [(name, bytes)], NotificationFlags first."""
    flags = struct.unpack("<H", fields[0][1])[0]
    out = {
        "NotificationType": TYPES[flags & 0x0FFF],
        "flags": {"T": bool(flags & T), "U": bool(flags & U), "S": bool(flags & S),
                  "M": bool(flags & M)},
    }
    unicode = False
    for name, raw in fields[1:]:
        if name == "UnicodeFlag":
            unicode = raw == b"\x01"
            out[name] = unicode
        elif name == "MessageClass":
            body = raw[:-2] if unicode else raw[:-1]
            out[name] = body.decode("utf-16-le") if unicode else body.decode("ascii")
        else:
            out[name] = json_value(name, raw)
    return out


def requirements(fields, extra=()):
    reqs = ["OXCNOTIF-R026", "OXCNOTIF-R059"]
    flags = struct.unpack("<H", fields[0][1])[0]
    if flags & (T | U):
        reqs += ["OXCNOTIF-R028"] if flags & T else []
        reqs += ["OXCNOTIF-R029"] if flags & U else []
    if flags & S:
        reqs.append("OXCNOTIF-R030")
    for name, _ in fields[1:]:
        r = FIELD_REQ.get(name)
        if r and r not in reqs:
            reqs.append(r)
    for r in extra:
        if r not in reqs:
            reqs.append(r)
    return sorted(reqs)


# ---- building field lists ------------------------------------------------------------------

ROW = bytes.fromhex("00" + "41006C00690063006500" + "0300" + "CAFE01")  # flag, string, binary
TAGS = [0x0E080003, 0x36020003, 0x36030003]


def build(ntype, flags, tet=None, tag_count=None, tags=TAGS, unicode=False, cls="IPM.Note",
          row=ROW, msgflags=0x22):
    """A valid field list for the type, flags and table event given."""
    value = ntype | flags
    p = presence(ntype, flags, tet)
    f = [("NotificationFlags", u16(value))]
    seq = iter(range(0x782700, 0x782800))

    def next_id():
        return fid(next(seq))

    for name in ["TableEventType", "TableRowFolderID", "TableRowMessageID", "TableRowInstance",
                 "InsertAfterTableRowFolderID", "InsertAfterTableRowID",
                 "InsertAfterTableRowInstance", "TableRowDataSize", "TableRowData",
                 "FolderId", "MessageId", "ParentFolderId", "OldFolderId", "OldMessageId",
                 "OldParentFolderId", "TagCount", "Tags", "TotalMessageCount",
                 "UnreadMessageCount", "MessageFlags", "UnicodeFlag", "MessageClass"]:
        if name == "Tags":
            continue
        if not p[name]:
            continue
        if name == "TableEventType":
            f.append((name, u16(tet)))
        elif name in ID_FIELDS:
            f.append((name, next_id()))
        elif name in ("TableRowInstance", "InsertAfterTableRowInstance"):
            f.append((name, u32(1 if name == "TableRowInstance" else 0)))
        elif name == "TableRowDataSize":
            f.append((name, u16(len(row))))
        elif name == "TableRowData":
            f.append((name, row))
        elif name == "TagCount":
            count = len(tags) if tag_count is None else tag_count
            f.append((name, u16(count)))
            if count not in (0, 0xFFFF):
                f.append(("Tags", b"".join(u32(t) for t in tags[:count])))
        elif name == "TotalMessageCount":
            f.append((name, u32(12)))
        elif name == "UnreadMessageCount":
            f.append((name, u32(5)))
        elif name == "MessageFlags":
            f.append((name, u32(msgflags)))
        elif name == "UnicodeFlag":
            f.append((name, b"\x01" if unicode else b"\x00"))
        elif name == "MessageClass":
            enc = cls.encode("utf-16-le") + b"\x00\x00" if unicode else cls.encode("ascii") + b"\x00"
            f.append((name, enc))
    return f


def hexof(fields):
    return b"".join(raw for _, raw in fields).hex().upper()


def flag_names(flags):
    return "+".join(n for n, b in (("T", T), ("U", U), ("S", S), ("M", M)) if flags & b) or "no flags"


def flags_rule(ntype, flags):
    """The first NotificationFlags rule a type and flags break, or None."""
    if ntype == 0x0400:
        return "notificationtype-reserved"
    if ntype not in TYPES:
        return "notificationtype-unknown"
    if flags & T and ntype != 0x10:
        return "t-bit-not-objectmodified"
    if flags & U and ntype != 0x10:
        return "u-bit-not-objectmodified"
    if flags & S and not flags & M:
        return "s-without-m"
    return None


def truncation_rule(fields, cut):
    """The rule for the buffer cut to `cut` bytes: the field the cut falls in or before."""
    pos = 0
    for i, (name, raw) in enumerate(fields):
        end = pos + len(raw)
        if cut < end:
            if name == "Tags":
                return "tagcount-exceeds-buffer"
            if name == "TableRowData":
                return "tablerowdatasize-exceeds-buffer"
            return "truncated:" + name
        pos = end
    return None


class Out:
    def __init__(self):
        self.groups = []
        self.seen = set()
        self.next_id = 1

    def group(self, name, comment):
        g = {"name": name, "comment": comment, "tests": []}
        self.groups.append(g)
        return g

    def add(self, group, comment, flags, data_hex, result, decoded=None, rule=None, reqs=(),
            errata=()):
        if data_hex in self.seen:
            return
        self.seen.add(data_hex)
        t = {"tcId": self.next_id, "comment": comment, "flags": flags, "hex": data_hex,
             "result": result}
        if decoded is not None:
            t["decoded"] = decoded
        if rule is not None:
            t["rule"] = rule
        t["requirements"] = sorted(set(reqs))
        if errata:
            t["errata"] = list(errata)
        self.next_id += 1
        group["tests"].append(t)


def main():
    with open(os.path.join(HERE, "spec-examples.json"), encoding="utf-8") as f:
        examples = json.load(f)
    out = Out()
    spec_fields = []

    g = out.group("spec-examples", "The 18 example buffers of MS-OXCNOTIF section 4, repaired "
                  "per errata E-CN-01..E-CN-08; 'corrections' names each repair.")
    for ex in examples:
        fields = [(f["name"], bytes.fromhex(f["hex"])) for f in ex["fields"]]
        assert hexof(fields) == ex["notification_data_hex"].upper(), ex["id"]
        spec_fields.append((ex["id"], fields))
        corrected = [c for c in ex["corrections"]]
        flags = ["SpecExample"] + (["Corrected"] if corrected else [])
        comment = "%s: %s" % (ex["id"], ex["title"])
        if corrected:
            comment += "; corrected: " + "; ".join(
                "%s (%s): %s" % (c["field"], c["kind"], c["reason"]) for c in corrected)
        errata = sorted(set(EXAMPLE_ERRATA.get(ex["id"], [])) | {"E-CN-05", "E-CN-08"})
        out.add(g, comment, flags, hexof(fields), "valid", decoded(fields),
                reqs=requirements(fields), errata=errata)

    # Every NotificationType x T/U/S/M combination: valid ones decode, the others carry the
    # first flags rule they break.
    for ntype, tname in TYPES.items():
        g = out.group("generated-" + tname, "Every T/U/S/M combination for %s (TableModified: "
                      "with each TableEventType)." % tname)
        events = list(TABLE_EVENTS) if ntype == 0x0100 else [None]
        for tet in events:
            for flags in range(0, 0x10000, 0x1000):
                rule = flags_rule(ntype, flags)
                fields = build(ntype, flags, tet)
                what = "%s%s, %s" % (tname, "/" + TABLE_EVENTS[tet] if tet else "",
                                     flag_names(flags))
                if rule is None:
                    out.add(g, what, ["Generated"], hexof(fields), "valid", decoded(fields),
                            reqs=requirements(fields))
                else:
                    out.add(g, what + ": " + rule, ["Generated", "Invalid"], hexof(fields),
                            "invalid", rule=rule, reqs=[RULE_REQ[rule], "OXCNOTIF-R026"])

    g = out.group("generated-tagcount", "TagCount 0x0000, 0xFFFF (no Tags) and n for both types "
                  "that carry it; ObjectModified with tags is allowed (E-CN-21).")
    for ntype in (0x0004, 0x0010):
        for m in (0, M):
            for count in (0, 1, 3, 0xFFFF):
                fields = build(ntype, m, tag_count=count)
                out.add(g, "%s %s, TagCount 0x%04X" % (TYPES[ntype], flag_names(m), count),
                        ["Generated"], hexof(fields), "valid", decoded(fields),
                        reqs=requirements(fields, ["OXCNOTIF-R051"] if count == 0xFFFF else
                                          ["OXCNOTIF-R050"] if ntype == 0x10 else []),
                        errata=["E-CN-21"] if ntype == 0x10 and count not in (0, 0xFFFF) else [])

    g = out.group("generated-messageclass", "NewMail with ASCII and Unicode MessageClass: empty, "
                  "long, non-BMP (a surrogate pair), and other MessageFlags.")
    classes = [(False, ""), (False, "IPM.Note"), (False, "IPM.Schedule.Meeting.Request"),
               (False, "IPM.Note." + "X" * 200), (True, ""), (True, "IPM.Note"),
               (True, "IPM.Note.\u00e9t\u00e9"), (True, "IPM.Note.\U0001F4E7"),
               (True, "IPM.\u65e5\u672c")]
    for m in (0, M):
        for unicode, cls in classes:
            fields = build(0x0002, m, unicode=unicode, cls=cls, msgflags=0x01 if m else 0x22)
            out.add(g, "NewMail %s, %s MessageClass %r" % (flag_names(m),
                    "Unicode" if unicode else "ASCII", cls), ["Generated"], hexof(fields),
                    "valid", decoded(fields), reqs=requirements(fields))

    g = out.group("generated-tablerow", "Table row events with empty, small and large row data.")
    for tet in (3, 5):
        for flags in (0, M, M | S):
            for row in (b"", b"\x00", ROW * 40):
                fields = build(0x0100, flags, tet, row=row)
                out.add(g, "%s %s, %d bytes of row data" % (TABLE_EVENTS[tet],
                        flag_names(flags), len(row)), ["Generated"], hexof(fields), "valid",
                        decoded(fields), reqs=requirements(fields))

    # Truncation at every field boundary and inside every multi-byte field of the spec
    # examples, and of a few generated buffers that have fields the examples lack.
    g = out.group("invalid-truncation", "Each spec example (and generated buffers with "
                  "OldParentFolderId, T/U counts and a Unicode class) cut at every field "
                  "boundary and inside every multi-byte field.")
    sources = list(spec_fields) + [
        ("ObjectMoved folder", build(0x0020, 0)),
        ("ObjectCopied in a search folder", build(0x0040, M | S)),
        ("ObjectModified T+U", build(0x0010, T | U)),
        ("NewMail Unicode", build(0x0002, M, unicode=True)),
        ("TableRowAdded in a search folder, empty row", build(0x0100, M | S, 3, row=b"")),
    ]
    for label, fields in sources:
        total = sum(len(raw) for _, raw in fields)
        cuts = set()
        pos = 0
        for name, raw in fields:
            cuts.add(pos)
            if len(raw) >= 2:
                cuts.add(pos + len(raw) // 2)
            if len(raw) >= 3:
                cuts.add(pos + len(raw) - 1)
            pos += len(raw)
        data = b"".join(raw for _, raw in fields)
        for cut in sorted(c for c in cuts if c < total):
            rule = truncation_rule(fields, cut)
            out.add(g, "%s cut to %d of %d bytes: %s" % (label, cut, total, rule),
                    ["Invalid", "Truncated"], data[:cut].hex().upper(), "invalid", rule=rule,
                    reqs=[RULE_REQ.get(rule, "OXCNOTIF-R059"), "OXCNOTIF-R059"])

    g = out.group("invalid-rules", "Each rule of the decode-format document, and the order in "
                  "which they are checked.")
    base_modified = build(0x0010, 0)
    cases = []
    for bad in (0x0000, 0x0001, 0x0003, 0x0006, 0x0200, 0x0800, 0x0FFF):
        cases.append(("NotificationType 0x%04X" % bad, u16(bad) + fid(0x782780), "invalid",
                      "notificationtype-unknown", []))
    cases.append(("unknown type with T set: the type is checked first", u16(0x1003) + b"\0" * 8,
                  "invalid", "notificationtype-unknown", []))
    cases.append(("T and S without M on ObjectCreated: T is checked first",
                  u16(0x5004) + b"\0" * 20, "invalid", "t-bit-not-objectmodified", []))
    cases.append(("U and S without M on NewMail: U is checked before S",
                  u16(0x6002) + b"\0" * 20, "invalid", "u-bit-not-objectmodified", []))
    cases.append(("S without M on ObjectModified with T", u16(0x5010) + b"\0" * 20, "invalid",
                  "s-without-m", []))
    for bad in (0x0000, 0x0002, 0x0006, 0x0008, 0x0100, 0xFFFF):
        cases.append(("TableEventType 0x%04X" % bad, u16(0x0100) + u16(bad), "invalid",
                      "tableeventtype-unknown", []))
    cases.append(("TableEventType 0x0003 followed by nothing", u16(0x0100) + u16(3), "invalid",
                  "truncated:TableRowFolderID", []))
    cases.append(("TagCount 5 with 4 bytes of tags", u16(0x0010) + fid(1) + u16(5) + u32(1),
                  "invalid", "tagcount-exceeds-buffer", []))
    cases.append(("TagCount 0xFFFE with no tags", u16(0x0004) + fid(1) + fid(2) + u16(0xFFFE),
                  "invalid", "tagcount-exceeds-buffer", []))
    cases.append(("TagCount 0xFFFF followed by tags anyway: the tags are trailing bytes",
                  u16(0x0010) + fid(1) + u16(0xFFFF) + u32(0x0E080003), "invalid",
                  "trailing-bytes", ["OXCNOTIF-R051"]))
    cases.append(("TagCount 0 followed by a tag: trailing bytes",
                  u16(0x0010) + fid(1) + u16(0) + u32(0x0E080003), "invalid", "trailing-bytes",
                  []))
    cases.append(("TableRowDataSize 0x00A4 with 163 bytes of row data",
                  u16(0x0100) + u16(3) + fid(1) + fid(2) + u16(164) + b"\0" * 163, "invalid",
                  "tablerowdatasize-exceeds-buffer", []))
    cases.append(("TableRowDataSize 0xFFFF with 3 bytes", u16(0x0100) + u16(5) + fid(1) +
                  fid(2) + u16(0xFFFF) + b"abc", "invalid", "tablerowdatasize-exceeds-buffer", []))
    newmail_head = u16(0x8002) + fid(1) + fid(2) + u32(0x22)
    cases.append(("UnicodeFlag 0x02", newmail_head + b"\x02IPM.Note\x00", "acceptable",
                  "unicodeflag-invalid", []))
    cases.append(("UnicodeFlag 0xFF", newmail_head + b"\xffIPM.Note\x00", "acceptable",
                  "unicodeflag-invalid", []))
    cases.append(("ASCII MessageClass with a byte above 0x7F (Latin-1 e-acute)",
                  newmail_head + b"\x00IPM.Note.\xe9\x00", "acceptable", "messageclass-not-ascii",
                  []))
    cases.append(("ASCII MessageClass without its terminator", newmail_head + b"\x00IPM.Note",
                  "invalid", "truncated:MessageClass", []))
    cases.append(("Unicode MessageClass with a lone high surrogate",
                  newmail_head + b"\x01" + "IPM".encode("utf-16-le") + b"\x3d\xd8\x00\x00",
                  "invalid", "messageclass-invalid-utf16", []))
    cases.append(("Unicode MessageClass with a lone low surrogate",
                  newmail_head + b"\x01" + b"\x0c\xdc" + "x".encode("utf-16-le") + b"\x00\x00",
                  "invalid", "messageclass-invalid-utf16", []))
    cases.append(("Unicode MessageClass with an odd byte and no terminator",
                  newmail_head + b"\x01" + "IPM".encode("utf-16-le") + b"\x00", "invalid",
                  "truncated:MessageClass", []))
    cases.append(("Unicode MessageClass whose only zero bytes straddle two units",
                  newmail_head + b"\x01" + b"\x41\x00\x00\x42", "invalid",
                  "truncated:MessageClass", []))
    cases.append(("reserved NotificationType 0x0400 with no fields", u16(0x0400), "acceptable",
                  "notificationtype-reserved", ["OXCNOTIF-R027"]))
    cases.append(("reserved NotificationType 0x0400 with M", u16(0x8400) + fid(1), "acceptable",
                  "notificationtype-reserved", ["OXCNOTIF-R027"]))
    for extra in (b"\x00", b"\x00" * 8, b"\xff\xff"):
        data = b"".join(raw for _, raw in base_modified) + extra
        cases.append(("ObjectModified followed by %d extra bytes" % len(extra), data, "invalid",
                      "trailing-bytes", []))
    cases.append(("TableChanged followed by a FolderId", u16(0x0100) + u16(1) + fid(1),
                  "invalid", "trailing-bytes", []))
    cases.append(("TableRowAdded without M but with InsertAfterTableRowInstance (E-CN-09)",
                  u16(0x0100) + u16(3) + fid(1) + fid(2) + u32(7) + u16(2) + b"ab", "invalid",
                  "tablerowdatasize-exceeds-buffer", ["OXCNOTIF-R040"]))
    cases.append(("an empty buffer", b"", "invalid", "truncated:NotificationFlags", []))
    cases.append(("one byte", b"\x02", "invalid", "truncated:NotificationFlags", []))
    for comment, data, result, rule, reqs in cases:
        flags = ["Invalid"] if result == "invalid" else ["Acceptable"]
        out.add(g, comment + ": " + rule, flags, data.hex().upper(), result, rule=rule,
                reqs=[RULE_REQ.get(rule, "OXCNOTIF-R059")] + reqs,
                errata=["E-CN-09"] if "E-CN-09" in comment else
                ["E-CN-23"] if rule == "notificationtype-reserved" else [])

    counts = {}
    for grp in out.groups:
        for t in grp["tests"]:
            counts[t["result"]] = counts.get(t["result"], 0) + 1
    doc = {
        "name": "RopNotify NotificationData",
        "spec": "MS-OXCNOTIF 2.2.1.4.1.1",
        "format": "vectors/README.md (section cnotif); decode: ropnotify-decode-format.md",
        "generator": "vectors/cnotif/generate.py",
        "numberOfTests": out.next_id - 1,
        "results": counts,
        "notes": {
            "SpecExample": "one of the 18 example buffers of MS-OXCNOTIF section 4",
            "Corrected": "the printed example was repaired; the comment names the repair",
            "Generated": "built field by field from the presence rules of 2.2.1.4.1.1",
            "Invalid": "must be rejected with 'rule' (the first defect)",
            "Truncated": "a valid buffer cut short",
            "Acceptable": "the spec leaves the reading open: a decoder is not judged on it; "
                          "'rule' is what a strict decoder reports",
        },
        "testGroups": out.groups,
    }
    path = os.path.join(HERE, "notification-data.json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("%d vectors (%s) in %s" % (out.next_id - 1, ", ".join(
        "%d %s" % (n, r) for r, n in sorted(counts.items())), path))


# The errata each spec example is repaired or read under (shared errata list, OXCNOTIF part).
EXAMPLE_ERRATA = {
    "V01": ["E-CN-01"], "V02": ["E-CN-01"], "V03": ["E-CN-01"], "V04": ["E-CN-01"],
    "V05": ["E-CN-01", "E-CN-21"], "V06": ["E-CN-01", "E-CN-21"], "V07": ["E-CN-01", "E-CN-21"],
    "V08": ["E-CN-03", "E-CN-04", "E-CN-21"], "V09": ["E-CN-01"],
    "V10": ["E-CN-01", "E-CN-02"], "V13": ["E-CN-09"], "V14": ["E-CN-06", "E-CN-07", "E-CN-09"],
    "V15": ["E-CN-06", "E-CN-09"], "V16": ["E-CN-09"], "V17": ["E-CN-06"],
}

if __name__ == "__main__":
    main()
