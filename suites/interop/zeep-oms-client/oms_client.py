#!/usr/bin/env python3
"""oxconf oms-client trigger: an MS-OMS client on zeep.

zeep builds every SOAP request from the project's OMS WSDL (vectors/wsdl/oms.wsdl), sends it and
parses the answer; it also renders the embedded xmsData / xmsBatch documents and reads the
serviceInfo, xmsResponse and xmsResponses documents through the WSDL's schema. This adapter
only supplies what a SOAP stack does not know: the MS-OMS client rules (the limits of
serviceInfo, the reading of delivery errors in MS-OMS 2.2.4.4) and the oms-client trigger
contract (arguments in, one JSON outcome line per message out).
"""

import argparse
import base64
import json
import os
import re
import sys
import uuid

import requests
import zeep
import zeep.exceptions
from lxml import etree
from zeep.transports import Transport

NS = "http://schemas.microsoft.com/office/Outlook/2006/OMS"
BINDING = "{%s}OMSServiceSoap" % NS
HERE = os.path.dirname(os.path.abspath(__file__))
WSDL = os.path.join(HERE, "..", "..", "..", "vectors", "wsdl", "oms.wsdl")
CLIENT_NAME = "zeep oms-client adapter"
DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.S)


def log(*args):
    print(*args, file=sys.stderr, flush=True)


class CannotSend(Exception):
    """The client decided not to send (or could not reach the service at all)."""


class Oms:
    """One service URL: the zeep service proxy, its schema and the cached serviceInfo."""

    def __init__(self, url, user, password, ca_file):
        session = requests.Session()
        if ca_file:
            # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE from the environment override
            # Session.verify when the call itself names no CA (zeep's transport names none),
            # so the scenario's CA would be ignored on machines that set them. The service
            # is the one given by {url}: no proxy or netrc from the environment applies.
            session.trust_env = False
            session.verify = ca_file
        transport = Transport(session=session, timeout=15, operation_timeout=15)
        self.client = zeep.Client(WSDL, transport=transport)
        self.service = self.client.create_service(BINDING, url)
        self.user, self.password = user, password
        self.info = None
        self.answered = False

    # The embedded documents travel as strings (E-OMS-23), possibly with their own XML
    # declaration whose encoding is to be ignored (E-OMS-24): the string is already text.
    def read(self, name, text):
        root = etree.fromstring(DECLARATION.sub("", text, count=1).encode("utf-8"))
        return self.client.get_element("{%s}%s" % (NS, name)).parse(root, self.client.wsdl.types)

    def render(self, name, value):
        element = self.client.get_element("{%s}%s" % (NS, name))
        holder = etree.Element("holder")
        element.render(holder, element(**value))
        return etree.tostring(holder[0], encoding="unicode")

    def service_info(self):
        if self.info is None:
            try:
                result = self.service.GetServiceInfo()
            except requests.exceptions.RequestException as e:
                raise CannotSend("GetServiceInfo: %s" % e)
            except zeep.exceptions.Error as e:
                raise CannotSend("GetServiceInfo: %s" % e)
            try:
                self.info = self.read("serviceInfo", result or "")
            except (etree.XMLSyntaxError, zeep.exceptions.Error, ValueError) as e:
                raise CannotSend("serviceInfo unreadable: %s" % e)
            self.answered = True
        return self.info

    def call(self, operation, **kwargs):
        """The result string, or None when the call failed (fault, HTTP status, transport)."""
        try:
            result = getattr(self.service, operation)(**kwargs)
            self.answered = True
            return result
        except requests.exceptions.RequestException as e:
            if not self.answered:
                raise CannotSend("%s: %s" % (operation, e))
            log("%s: %s" % (operation, e))
        except zeep.exceptions.Fault as e:
            self.answered = True
            log("%s: SOAP fault %s" % (operation, e))
        except zeep.exceptions.Error as e:
            self.answered = True
            log("%s: %s" % (operation, e))
        return None

    def user_element(self):
        return {"userId": self.user, "password": self.password}


def limit(value):
    return max(int(value or 0), 1)


def split(text, size):
    """MS-OMS 3.1.4.1.3.3: pieces of at most maxSbcs (US-ASCII) / maxDbcs characters."""
    if not text or size <= 0:
        return [text]
    return [text[i:i + size] for i in range(0, len(text), size)]


def offered(info, name):
    """The SMS_SENDER or MMS_SENDER of serviceInfo. tSupportedService is a sequence that
    repeats (maxOccurs 2), which zeep reads as a list of {SMS_SENDER, MMS_SENDER} under
    '_value_1'."""
    supported = info.supportedService
    if supported is None:
        return None
    for group in getattr(supported, "_value_1", None) or []:
        if group.get(name) is not None:
            return group[name]
    return None


def sms_limits(info):
    sms = offered(info, "SMS_SENDER")
    if sms is None:
        raise CannotSend("the service offers no SMS_SENDER")
    return sms


def sms_units(sms, to, text):
    """(recipients, parts) per request: recipient groups x parts per send."""
    size = sms.maxSbcsPerMessage if text.isascii() else sms.maxDbcsPerMessage
    parts = split(text, int(size or 0))
    per_send = limit(sms.maxMessagesPerSend)
    groups = [to[i:i + limit(sms.maxRecipientsPerMessage)]
              for i in range(0, len(to), limit(sms.maxRecipientsPerMessage))]
    units = []
    for group in groups:
        for start in range(0, len(parts), per_send):
            numbered = list(enumerate(parts, 1))[start:start + per_send]
            units.append((group, numbered))
    return units


def head(service, recipients):
    return {"requiredService": service, "to": {"recipient": list(recipients)}}


def sms_body(token, parts):
    return {"format": "SMS", "content": [
        {"_value_1": text, "contentType": "text/plain",
         "contentId": "%d.txt@%s" % (n, token), "contentLocation": "%d.txt" % n}
        for n, text in parts]}


def mms_body(token, text, gif):
    text_id, image_id = "1.txt@%s" % token, "2.gif@%s" % token
    region = lambda rid, top, height: {"id": rid, "left": "0", "top": top, "width": "120",
                                       "height": height, "fit": "slice"}
    return {
        "format": "MMS",
        "mmsSlides": {
            "head": {
                "meta": {"name": "author", "content": CLIENT_NAME},
                "layout": {
                    "root-layout": {"width": 120, "height": 120, "background-color": "#ffffff"},
                    "region": [region("Image", "0", "90"), region("Text", "90", "30")],
                },
            },
            "body": {"par": [{"dur": "5000",
                              "img": {"src": "cid:" + image_id, "region": "Image"},
                              "text": {"src": "cid:" + text_id, "region": "Text"}}]},
        },
        "content": [
            {"_value_1": text, "contentType": "text/plain", "contentId": text_id,
             "contentLocation": "1.txt"},
            {"_value_1": base64.b64encode(gif).decode("ascii"), "contentType": "image/gif",
             "contentId": image_id, "contentLocation": "2.gif"},
        ],
    }


def interpret(errors, recipients):
    """MS-OMS 2.2.4.4 notes: (failed recipients, serviceUpdate asked). Case-insensitive
    (E-OMS-28); no error element fails everyone; a missing code is an unknown failure; a
    missing severity is neutral; a failure without recipientList concerns everyone."""
    errors = list(errors or [])
    service_update = any((e.code or "").strip().lower() == "serviceupdate" for e in errors)
    if not errors:
        return list(recipients), service_update
    failed, everyone = [], False
    for e in errors:
        if e.code is not None and (e.severity or "").strip().lower() != "failure":
            continue
        named = [r.strip() for r in (e.recipientList or "").split(";") if r.strip()]
        if named:
            failed.extend(named)
        else:
            everyone = True
    if everyone:
        return list(recipients), service_update
    ordered = [r for r in recipients if r in failed] + [r for r in failed if r not in recipients]
    return list(dict.fromkeys(ordered)), service_update


class Tally:
    def __init__(self, mid, to):
        self.id, self.to, self.failed = mid, to, []

    def add(self, failed):
        self.failed.extend(r for r in failed if r not in self.failed)

    def line(self):
        outcome = "failed" if self.failed else "delivered"
        failed = [r for r in self.to if r in self.failed] + \
                 [r for r in self.failed if r not in self.to]
        return json.dumps({"id": self.id, "outcome": outcome, "failed_recipients": failed},
                          separators=(",", ":"))


def deliver(oms, doc, recipients):
    result = oms.call("DeliverXms", xmsData=doc)
    if result is None:
        return list(recipients)
    try:
        response = oms.read("xmsResponse", result)
    except (etree.XMLSyntaxError, zeep.exceptions.Error, ValueError) as e:
        log("xmsResponse unreadable: %s" % e)
        return list(recipients)
    failed, refresh = interpret(response.error, recipients)
    if refresh:
        oms.info = None
    return failed


def deliver_batch(oms, items):
    """items: (id, recipients, parts). Returns the failed recipients per item."""
    token = uuid.uuid4().hex
    doc = oms.render("xmsBatch", {
        "client": CLIENT_NAME,
        "xmsData": [{"id": mid, "user": oms.user_element(), "xmsHead": head("SMS_SENDER", to),
                     "xmsBody": sms_body(token, parts)} for mid, to, parts in items],
    })
    everyone = [list(to) for _, to, _ in items]
    result = oms.call("DeliverXmsBatch", packageXml=doc)
    if result is None:
        return everyone
    try:
        responses = oms.read("xmsResponses", result)
    except (etree.XMLSyntaxError, zeep.exceptions.Error, ValueError) as e:
        log("xmsResponses unreadable: %s" % e)
        return everyone
    by_id = {}
    for r in responses.xmsResponse or []:
        by_id.setdefault(r.id, r)
    out = []
    for mid, to, _ in items:
        answer = by_id.get(mid)
        if answer is None:
            out.append(list(to))
            continue
        failed, refresh = interpret(answer.error, to)
        if refresh:
            oms.info = None
        out.append(failed)
    return out


def xms_data(oms, service, recipients, body):
    return oms.render("xmsData", {"client": CLIENT_NAME, "user": oms.user_element(),
                                  "xmsHead": head(service, recipients), "xmsBody": body})


def send_sms(oms, to, text):
    tally = Tally(0, to)
    for group, parts in sms_units(sms_limits(oms.service_info()), to, text):
        oms.service_info()
        doc = xms_data(oms, "SMS_SENDER", group, sms_body(uuid.uuid4().hex, parts))
        tally.add(deliver(oms, doc, group))
    return [tally]


def send_mms(oms, to, text, image_file):
    info = oms.service_info()
    mms = offered(info, "MMS_SENDER")
    if mms is None:
        raise CannotSend("the service offers no MMS_SENDER")
    with open(image_file, "rb") as f:
        gif = f.read()
    tally = Tally(0, to)
    size = limit(mms.maxRecipientsPerMessage)
    for start in range(0, len(to), size):
        group = to[start:start + size]
        doc = xms_data(oms, "MMS_SENDER", group, mms_body(uuid.uuid4().hex, text, gif))
        tally.add(deliver(oms, doc, group))
    return [tally]


def send_batch(oms, batch_file):
    with open(batch_file, encoding="utf-8") as f:
        messages = json.load(f)["messages"]
    tallies = [Tally(m["id"], list(m["to"])) for m in messages]
    info = oms.service_info()
    sms = sms_limits(info)
    items = [(index, m["id"], group, parts)
             for index, m in enumerate(messages)
             for group, parts in sms_units(sms, list(m["to"]), m["text"])]
    batch_size = int(info.batchSize or 0)
    if batch_size == 0:
        # MS-OMS 3.1.4.1.3.1: batchSize 0 means the service takes no DeliverXmsBatch.
        for index, _, group, parts in items:
            doc = xms_data(oms, "SMS_SENDER", group, sms_body(uuid.uuid4().hex, parts))
            tallies[index].add(deliver(oms, doc, group))
        return tallies
    # Requests of at most batchSize items, never two items with one id in a request.
    batches = []
    for item in items:
        for b in batches:
            if len(b) < batch_size and all(i[1] != item[1] for i in b):
                b.append(item)
                break
        else:
            batches.append([item])
    for b in batches:
        failed = deliver_batch(oms, [(mid, group, parts) for _, mid, group, parts in b])
        for (index, _, _, _), f in zip(b, failed):
            tallies[index].add(f)
    return tallies


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--user", default="")
    p.add_argument("--password", default="")
    p.add_argument("--to", default="")
    p.add_argument("--text", default="")
    p.add_argument("--kind", default="sms")
    p.add_argument("--batch-file", default="")
    p.add_argument("--image-file", default="")
    p.add_argument("--ca-file", default="")
    a = p.parse_args()
    to = [r for r in a.to.split(",") if r]
    oms = Oms(a.url, a.user, a.password, a.ca_file or None)
    try:
        if a.kind == "batch":
            tallies = send_batch(oms, a.batch_file)
        elif a.kind == "mms":
            tallies = send_mms(oms, to, a.text, a.image_file)
        else:
            tallies = send_sms(oms, to, a.text)
    except CannotSend as e:
        log("not sent: %s" % e)
        if a.kind == "batch":
            with open(a.batch_file, encoding="utf-8") as f:
                messages = json.load(f)["messages"]
            tallies = [Tally(m["id"], list(m["to"])) for m in messages]
        else:
            tallies = [Tally(0, to)]
        for t in tallies:
            t.add(t.to)
    for t in tallies:
        print(t.line(), flush=True)


if __name__ == "__main__":
    main()
