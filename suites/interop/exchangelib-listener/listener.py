"""A push listener whose parsing and answers come from exchangelib's SendNotification service.

The adapter is only the HTTP transport: it hands each POST body to
exchangelib.services.SendNotification.parse and answers with its ok_payload. exchangelib keeps
no register of subscriptions, so the adapter cannot tell an unknown subscription id from a
known one without adding protocol logic of its own: every notification exchangelib can parse
is answered OK. When parse raises, the listener answers HTTP 500 with the exception text.

Usage: python3 listener.py PORT
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from exchangelib.services import SendNotification


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = 0
        body = self.rfile.read(length)
        service = SendNotification(protocol=None)
        try:
            for notification in service.parse(body):
                sys.stderr.write(f"parsed {notification!r}\n")
            payload, code = service.ok_payload(), 200
        except Exception as e:  # exchangelib's own verdict on the request
            sys.stderr.write(f"exchangelib could not parse the request: {e!r}\n")
            payload, code = str(e).encode("utf-8", "replace"), 500
        self.send_response(code)
        self.send_header("Content-Type", "text/xml; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
