#!/usr/bin/env python3
"""A MAPI/HTTP notification client, written from MS-OXCNOTIF 3.2, MS-OXCROPS and
MS-OXCMAPIHTTP alone, apart from oxconf's Rust client, so that the notif-client suite can be
run against a client oxconf did not derive from its own code:

    suite = "notif-client"
    [target]
    trigger = "python3 vectors/cnotif/client.py --url {url} --user {user} ..."

It Connects, logs on to a private mailbox, registers for the object events on the Inbox and
prints one JSON line per RopNotify it accepted, {"handle": N, "notification": {...}}, with the
NotificationData in the canonical decode of decode.py. Diagnostics go to stderr. It learns of
pending notifications from NotificationWait, from RopPending of its own session and, with
--udp-port, from push datagrams; after a rejected NotificationWait it polls every PollsMax.
SIGTERM ends it quietly. Standard library only.
"""

import argparse
import base64
import http.client
import json
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import uuid

sys.dont_write_bytecode = True  # a run leaves no __pycache__ in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from decode import Refused, decode  # noqa: E402

# MS-OXCNOTIF 2.2.1.2.1.1 / MS-OXCROPS 2.2.14.1: the object-event bits. TableModified has no
# usable bit (errata E-CN-12) and Extended (0x0400) would change the layout, so neither is set.
EVENT_BITS = 0x0002 | 0x0004 | 0x0008 | 0x0010 | 0x0020 | 0x0040 | 0x0080
INBOX_INDEX = 4  # MS-OXCROPS 2.2.3.1.2: FolderIds[4] of a private-mailbox logon is the Inbox
LOGON_INDEX, SUBSCRIPTION_INDEX = 0, 1  # our slots in the Server object handle table
NO_HANDLE = 0xFFFFFFFF
MAX_ROP_OUT = 0x40000  # MS-OXCRPC 3.1.4.2: the largest pcbOut a client may ask for
NO_COMPRESSION, NO_XOR_MAGIC = 0x0001, 0x0002
HDR_COMPRESSED, HDR_XOR_MAGIC, HDR_LAST = 0x0001, 0x0002, 0x0004
WAIT_TIMEOUT = 400  # seconds; the server holds a wait up to 5 minutes (MS-OXCMAPIHTTP 3.1.5.5)
EXEC_TIMEOUT = 60


def log(*parts):
    print("client.py:", *parts, file=sys.stderr, flush=True)


class ProtocolError(Exception):
    pass


class Reader:
    """Little-endian reads over a byte string that fail with ProtocolError, never IndexError."""

    def __init__(self, data, pos=0):
        self.data, self.pos = data, pos

    def take(self, n, what):
        if n < 0 or self.pos + n > len(self.data):
            raise ProtocolError("truncated " + what)
        raw = self.data[self.pos:self.pos + n]
        self.pos += n
        return raw

    def u8(self, what):
        return self.take(1, what)[0]

    def u16(self, what):
        return struct.unpack("<H", self.take(2, what))[0]

    def u32(self, what):
        return struct.unpack("<I", self.take(4, what))[0]

    def asciiz(self, what):
        end = self.data.find(b"\x00", self.pos)
        if end < 0:
            raise ProtocolError("unterminated " + what)
        raw = self.data[self.pos:end]
        self.pos = end + 1
        return raw

    def utf16z(self, what):
        pos = self.pos
        while pos + 1 < len(self.data):
            if self.data[pos] == 0 and self.data[pos + 1] == 0:
                raw = self.data[self.pos:pos]
                self.pos = pos + 2
                return raw
            pos += 2
        raise ProtocolError("unterminated " + what)

    def rest(self):
        return self.data[self.pos:]


# --- MAPI/HTTP transport (MS-OXCMAPIHTTP 2.2) ------------------------------------------------

def split_stream(data):
    """The de-chunked response: PROCESSING / PENDING lines, DONE, extra header lines, a blank
    line, then the binary body (MS-OXCMAPIHTTP 2.2.7). Returns (late headers, body)."""
    pos = 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            raise ProtocolError("response stream ends before DONE")
        tag = data[pos:end]
        pos = end + 2
        if tag == b"DONE":
            break
        if tag not in (b"PROCESSING", b"PENDING"):
            raise ProtocolError("unexpected meta-tag %r" % tag[:40])
    headers = {}
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            raise ProtocolError("response stream ends inside the additional headers")
        line = data[pos:end]
        pos = end + 2
        if not line:
            return headers, data[pos:]
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()


class Session:
    """One Session Context: the cookies the server set, X-RequestId and X-ClientInfo."""

    def __init__(self, url, user, password, ca_file):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise ProtocolError("the mailbox URL must be https://host[:port]/path")
        self.host, self.port = parts.hostname, parts.port or 443
        self.path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        self.ssl = ssl.create_default_context(cafile=ca_file) if ca_file else \
            ssl.create_default_context()
        self.auth = "Basic " + base64.b64encode(
            ("%s:%s" % (user or "", password or "")).encode("utf-8")).decode("ascii")
        self.cookies = {}  # name -> value, in the order first set
        self.lock = threading.Lock()
        self.request_guid = str(uuid.uuid4()).upper()
        self.counter = 0
        self.client_info = "%s:1" % str(uuid.uuid4()).upper()

    def _headers(self, request_type, length):
        with self.lock:
            self.counter += 1
            cookie = "; ".join("%s=%s" % kv for kv in self.cookies.items())
            request_id = "%s:%d" % (self.request_guid, self.counter)
        headers = {"Content-Type": "application/mapi-http", "Content-Length": str(length),
                   "X-RequestType": request_type, "X-RequestId": request_id,
                   "X-ClientInfo": self.client_info,
                   "X-ClientApplication": "oxconf-pyclient/1.0",
                   "Authorization": self.auth, "Accept": "application/mapi-http"}
        if cookie:
            headers["Cookie"] = cookie
        return headers

    def _keep_cookies(self, response):
        """MS-OXCMAPIHTTP 3.2.5: store every cookie the server sets and send them all back."""
        for value in response.headers.get_all("Set-Cookie") or []:
            pair = value.split(";", 1)[0]
            name, sep, val = pair.partition("=")
            if not sep or not name.strip():
                continue
            with self.lock:
                self.cookies[name.strip()] = val.strip()

    def post(self, request_type, body, timeout):
        """One request; returns the binary request-type body or raises ProtocolError."""
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.ssl,
                                           timeout=timeout)
        try:
            conn.request("POST", self.path, body=body,
                         headers=self._headers(request_type, len(body)))
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as e:
            raise ProtocolError("%s: transport: %s" % (request_type, e))
        finally:
            conn.close()
        self._keep_cookies(response)
        if response.status != 200:
            raise ProtocolError("%s: HTTP %d" % (request_type, response.status))
        code = response.headers.get("X-ResponseCode", "0").strip()
        if code != "0":
            raise ProtocolError("%s: X-ResponseCode %s" % (request_type, code))
        late, payload = split_stream(data)
        if late.get("x-responsecode", "0") != "0":
            raise ProtocolError("%s: late X-ResponseCode %s" % (request_type,
                                                                late["x-responsecode"]))
        return payload


# --- ROP buffers (MS-OXCROPS 2.2.1, MS-OXCRPC 2.2.2.1) ---------------------------------------

def rop_request_buffer(rops, handles):
    """RPC_HEADER_EXT (Last, uncompressed, not obfuscated) + RopSize + RopsList + handles."""
    payload = struct.pack("<H", 2 + len(rops)) + rops + b"".join(
        struct.pack("<I", h) for h in handles)
    if len(payload) > 0xFFFF:
        raise ProtocolError("ROP request too large")
    return struct.pack("<HHHH", 0, HDR_LAST, len(payload), len(payload)) + payload


def rop_response_payloads(rgb_out):
    """The ROP buffers of rgbOut: one per RPC_HEADER_EXT, up to the one flagged Last."""
    r = Reader(rgb_out)
    out = []
    while r.pos < len(rgb_out):
        version, flags = r.u16("RPC_HEADER_EXT.Version"), r.u16("RPC_HEADER_EXT.Flags")
        size, actual = r.u16("RPC_HEADER_EXT.Size"), r.u16("RPC_HEADER_EXT.SizeActual")
        if version != 0:
            raise ProtocolError("RPC_HEADER_EXT.Version %d" % version)
        payload = r.take(size, "RPC_HEADER_EXT payload")
        if flags & HDR_XOR_MAGIC:
            payload = bytes(b ^ 0xA5 for b in payload)
        if flags & HDR_COMPRESSED:
            raise ProtocolError("compressed payload although NoCompression was asked for")
        if actual != size:
            raise ProtocolError("SizeActual %d differs from Size %d" % (actual, size))
        out.append(payload)
        if flags & HDR_LAST:
            break
    return out


def split_rops(payload):
    """(RopsList, handle table) of one ROP output buffer."""
    r = Reader(payload)
    rop_size = r.u16("RopSize")
    if rop_size < 2 or rop_size > len(payload):
        raise ProtocolError("RopSize %d outside the buffer of %d bytes" % (rop_size,
                                                                        len(payload)))
    rops = payload[2:rop_size]
    table = payload[rop_size:]
    handles = [struct.unpack_from("<I", table, i)[0] for i in range(0, len(table) - 3, 4)]
    return rops, handles


def notification_length(rest):
    """The length of the NotificationData at the start of rest: RopNotify carries no size, so
    it is the one prefix that decodes exactly (the decode reads fields strictly in order, so
    no shorter prefix can decode). Returns (length, decoded) or raises Refused."""
    try:
        return len(rest), decode(rest)
    except Refused as e:
        if str(e) != "trailing-bytes":
            raise
    for n in range(2, len(rest)):
        try:
            return n, decode(rest[:n])
        except Refused:
            continue
    raise Refused("trailing-bytes")


def parse_rops(rops):
    """The ROP responses of a RopsList as (RopId, fields) tuples. Stops (with a note) at a ROP
    it cannot size: nothing after it can be framed. RopNotify carries no length, so when the
    byte right after a RopNotify is no RopId at all, that RopNotify's length was a guess over
    damaged data: it is dropped rather than trusted."""
    out = []
    try:
        _frame_rops(Reader(rops), out)
    except ProtocolError as e:
        log("ROP response list cut short: %s" % e)
    return out


def _drop_unframed_notify(out):
    if out and out[-1][0] == 0x2A and "data" in out[-1][1]:
        log("RopNotify for 0x%08X dropped: what follows it cannot be framed"
            % out[-1][1]["handle"])
        out.pop()


def _frame_rops(r, out):
    rops = r.data
    while r.pos < len(rops):
        rop_id = r.u8("RopId")
        if rop_id == 0xFE:  # RopLogon
            index, rv = r.u8("OutputHandleIndex"), r.u32("ReturnValue")
            if rv != 0:
                out.append((rop_id, {"index": index, "rv": rv}))
                break  # a failed logon may carry redirect data; nothing we use follows it
            flags = r.u8("LogonFlags")
            fids = [r.take(8, "FolderIds") for _ in range(13)]
            if flags & 0x01:  # private mailbox layout (MS-OXCROPS 2.2.3.1.2)
                r.take(1 + 16 + 2 + 16 + 8 + 8 + 4, "RopLogon tail")
            else:  # public folders: ReplId, ReplGuid, PerUserGuid
                r.take(2 + 16 + 16, "RopLogon tail")
            out.append((rop_id, {"index": index, "rv": 0, "flags": flags, "fids": fids}))
        elif rop_id == 0x29:  # RopRegisterNotification
            out.append((rop_id, {"index": r.u8("OutputHandleIndex"),
                                 "rv": r.u32("ReturnValue")}))
        elif rop_id == 0x2A:  # RopNotify
            handle, logon_id = r.u32("NotificationHandle"), r.u8("LogonId")
            try:
                n, decoded = notification_length(r.rest())
            except Refused as e:
                out.append((rop_id, {"handle": handle, "error": str(e)}))
                break
            r.take(n, "NotificationData")
            out.append((rop_id, {"handle": handle, "logon": logon_id, "data": decoded}))
        elif rop_id == 0x6E:  # RopPending
            out.append((rop_id, {"session": r.u16("SessionIndex")}))
        elif rop_id == 0xF9:  # RopBackoff
            r.u8("LogonId")
            duration = r.u32("Duration")
            r.take(5 * r.u8("BackoffRopCount"), "BackoffRopData")
            r.take(r.u16("AdditionalDataSize"), "AdditionalData")
            out.append((rop_id, {"duration": duration}))
        elif rop_id == 0xFF:  # RopBufferTooSmall: always the last response
            out.append((rop_id, {"needed": r.u16("SizeNeeded")}))
            break
        else:
            _drop_unframed_notify(out)
            raise ProtocolError("unknown RopId 0x%02X in a response" % rop_id)


# --- the client (MS-OXCNOTIF 3.2) ------------------------------------------------------------

class Client:
    def __init__(self, args):
        self.session = Session(args.url, args.user, args.password, args.ca_file)
        self.mailbox_dn = args.mailbox_dn or ""
        self.exec_lock = threading.Lock()
        self.out_lock = threading.Lock()
        self.handles = []  # our Server object handle table, by index
        self.subscriptions = set()
        self.session_index = None  # learned from the first RopPending (Connect gives none)
        self.polls_max = 0.0  # seconds
        self.last_execute = 0.0
        self.udp = None
        self.udp_context = None
        if args.udp_port:
            self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.udp.bind(("127.0.0.1", int(args.udp_port)))
            self.udp_context = bytes.fromhex(args.udp_context or "")

    def connect(self):
        body = self.mailbox_dn.encode("ascii") + b"\x00" + struct.pack(
            "<IIIII", 0, 1252, 0x0409, 0x0409, 0)
        r = Reader(self.session.post("Connect", body, EXEC_TIMEOUT))
        status = r.u32("StatusCode")
        if status != 0:
            raise ProtocolError("Connect: StatusCode 0x%08X" % status)
        error = r.u32("ErrorCode")
        if error != 0:
            raise ProtocolError("Connect: ErrorCode 0x%08X" % error)
        self.polls_max = r.u32("PollsMax") / 1000.0
        r.u32("RetryCount")
        r.u32("RetryDelay")
        log("connected; PollsMax %d ms" % int(self.polls_max * 1000))

    def execute(self, rops=b"", handles=()):
        """One Execute (serialized); handles every RopNotify / RopPending in its response,
        and returns the other responses. A RopPending of our session asks for another empty
        Execute at once (MS-OXCNOTIF 3.2.5.5.3)."""
        with self.exec_lock:
            responses, again = self._execute_once(rops, handles)
            while again:
                _, again = self._execute_once(b"", ())
        return responses

    def _execute_once(self, rops, handles):
        body = struct.pack("<I", NO_COMPRESSION | NO_XOR_MAGIC)
        rop_buffer = rop_request_buffer(rops, handles)
        body += struct.pack("<I", len(rop_buffer)) + rop_buffer
        body += struct.pack("<II", MAX_ROP_OUT, 0)
        self.last_execute = time.monotonic()
        r = Reader(self.session.post("Execute", body, EXEC_TIMEOUT))
        status = r.u32("StatusCode")
        if status != 0:
            raise ProtocolError("Execute: StatusCode 0x%08X" % status)
        error = r.u32("ErrorCode")
        r.u32("Flags")
        rgb_out = r.take(r.u32("RopBufferSize"), "RopBuffer")
        if error != 0:
            raise ProtocolError("Execute: ErrorCode 0x%08X" % error)
        responses, again = [], False
        for payload in rop_response_payloads(rgb_out):
            rop_list, table = split_rops(payload)
            for rop_id, fields in parse_rops(rop_list):
                if rop_id == 0x2A:
                    self._on_notify(fields)
                elif rop_id == 0x6E:
                    again = self._on_pending(fields["session"]) or again
                else:
                    responses.append((rop_id, fields, table))
        return responses, again

    def _on_notify(self, fields):
        """MS-OXCNOTIF 3.2.5.7: only a handle of one of our subscriptions is taken."""
        handle = fields["handle"]
        if handle not in self.subscriptions:
            log("RopNotify for handle 0x%08X (not ours) ignored" % handle)
            return
        if "error" in fields:
            log("RopNotify for 0x%08X not decodable (%s), ignored" % (handle, fields["error"]))
            return
        line = json.dumps({"handle": handle, "notification": fields["data"]},
                          separators=(",", ":"), ensure_ascii=False)
        with self.out_lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def _on_pending(self, index):
        if self.session_index is None:
            self.session_index = index
            log("session index %d learned from the first RopPending" % index)
        if index != self.session_index:
            log("RopPending for session %d (not ours) ignored" % index)
            return False
        return True

    def logon_and_register(self):
        essdn = self.mailbox_dn.encode("ascii") + b"\x00"
        logon = struct.pack("<BBBBIIH", 0xFE, 0, LOGON_INDEX, 0x01, 0x01000000, 0,
                            len(essdn)) + essdn
        answers = self.execute(logon, [NO_HANDLE])
        logon_answer = next((a for a in answers if a[0] == 0xFE), None)
        if logon_answer is None:
            raise ProtocolError("no RopLogon response")
        _, fields, table = logon_answer
        if fields["rv"] != 0:
            raise ProtocolError("RopLogon failed: 0x%08X" % fields["rv"])
        if len(table) <= LOGON_INDEX:
            raise ProtocolError("RopLogon: no handle at index %d" % LOGON_INDEX)
        logon_handle = table[LOGON_INDEX]
        inbox = fields["fids"][INBOX_INDEX]
        register = struct.pack("<BBBBHB", 0x29, 0, LOGON_INDEX, SUBSCRIPTION_INDEX,
                               EVENT_BITS, 0) + inbox + b"\x00" * 8
        answers = self.execute(register, [logon_handle, NO_HANDLE])
        reg = next((a for a in answers if a[0] == 0x29), None)
        if reg is None:
            raise ProtocolError("no RopRegisterNotification response")
        _, fields, table = reg
        if fields["rv"] != 0:
            raise ProtocolError("RopRegisterNotification failed: 0x%08X" % fields["rv"])
        if len(table) <= SUBSCRIPTION_INDEX:
            raise ProtocolError("RopRegisterNotification: no handle at index 1")
        self.subscriptions.add(table[SUBSCRIPTION_INDEX])
        log("registered on Inbox %s: handle 0x%08X" % (inbox.hex().upper(),
                                                         table[SUBSCRIPTION_INDEX]))

    def fetch(self, why):
        try:
            self.execute()
        except ProtocolError as e:
            log("fetch after %s failed: %s" % (why, e))

    def wait_loop(self):
        """MS-OXCNOTIF 3.2.5.5.1 for NotificationWait: EventPending -> Execute, then wait again;
        a rejected wait is not retried, the client polls instead (3.2.4.5)."""
        while True:
            try:
                r = Reader(self.session.post("NotificationWait", struct.pack("<II", 0, 0),
                                             WAIT_TIMEOUT))
                status = r.u32("StatusCode")
                error = r.u32("ErrorCode") if status == 0 else 0
                pending = r.u32("EventPending") if status == 0 else 0
            except ProtocolError as e:
                log("NotificationWait failed (%s); polling instead" % e)
                break
            if status != 0 or error != 0:
                log("NotificationWait rejected (StatusCode 0x%08X, ErrorCode 0x%08X); "
                    "polling every %d ms" % (status, error, int(self.polls_max * 1000)))
                break
            if pending & 0x00000001:
                self.fetch("EventPending")
        self.poll_loop()

    def poll_loop(self):
        """3.2.4.5: empty Executes at PollsMax intervals, never more often."""
        interval = max(self.polls_max, 0.001)
        rejected_at = time.monotonic()
        while True:
            due = max(self.last_execute, rejected_at) + interval
            now = time.monotonic()
            if now < due:
                time.sleep(due - now)
                continue
            self.fetch("poll interval")

    def udp_loop(self):
        """3.2.5.5.2: a datagram that equals the context bytes -> Execute; anything else is
        left alone."""
        while True:
            try:
                data, _ = self.udp.recvfrom(65535)
            except OSError as e:
                log("UDP socket: %s" % e)
                return
            if data == self.udp_context:
                self.fetch("UDP datagram")
            else:
                log("UDP datagram of %d bytes does not match the context, ignored" % len(data))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--mailbox-dn", default="")
    parser.add_argument("--ca-file", default="")
    parser.add_argument("--udp-port", default="")
    parser.add_argument("--udp-context", default="")
    args = parser.parse_args()

    def quit_quietly(*_):
        try:
            sys.stdout.flush()
        finally:
            os._exit(0)

    signal.signal(signal.SIGTERM, quit_quietly)
    signal.signal(signal.SIGINT, quit_quietly)
    try:
        client = Client(args)  # opens the UDP socket before anything is registered
        client.connect()
        client.logon_and_register()
    except (ProtocolError, OSError, ValueError) as e:
        log("setup failed:", e)
        return 1
    if client.udp is not None:
        threading.Thread(target=client.udp_loop, daemon=True).start()
    threading.Thread(target=client.wait_loop, daemon=True).start()
    while True:
        signal.pause()


if __name__ == "__main__":
    sys.exit(main())
