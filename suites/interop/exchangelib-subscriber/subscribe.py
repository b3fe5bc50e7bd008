"""Trigger for the push-subscriber suite: exchangelib subscribes the Inbox to push notifications.

Everything on the wire is exchangelib's: the adapter configures an Account against the given
EWS URL (no autodiscover, HTTP Basic, a fixed server version), calls
Folder.subscribe_to_push, and prints one JSON line with what exchangelib returned, or the
name of the exception it raised (exchangelib names its exceptions after the EWS response codes).

Usage: python3 subscribe.py EWS_URL USER PASSWORD CALLBACK_URL
"""
import json
import sys

from exchangelib import BASIC, DELEGATE, Account, Configuration, Credentials, Version
from exchangelib.version import EXCHANGE_2016


def main():
    ews_url, user, password, callback_url = sys.argv[1:5]
    config = Configuration(
        service_endpoint=ews_url,
        credentials=Credentials(user, password),
        auth_type=BASIC,
        version=Version(build=EXCHANGE_2016),
    )
    try:
        account = Account(
            primary_smtp_address=user,
            config=config,
            autodiscover=False,
            access_type=DELEGATE,
        )
        subscription_id, watermark = account.inbox.subscribe_to_push(callback_url=callback_url)
    except Exception as e:  # exchangelib's verdict on the server's answer
        sys.stderr.write(f"exchangelib raised {e!r}\n")
        print(json.dumps({"error": type(e).__name__}))
        return
    print(json.dumps({"subscription_id": subscription_id, "watermark": watermark}))


if __name__ == "__main__":
    main()
