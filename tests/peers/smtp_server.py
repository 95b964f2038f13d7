#!/usr/bin/python3
"""A real SMTP server for Preflight's email tests, built on aiosmtpd (Debian: python3-aiosmtpd).

Run with Debian's /usr/bin/python3:

    /usr/bin/python3 tests/peers/smtp_server.py --maildir DIR
        [--host 127.0.0.1] [--port 0]
        [--cert CERT.pem --key KEY.pem]   offer STARTTLS with this certificate
        [--require-starttls]              refuse mail until STARTTLS (needs --cert/--key)
        [--user NAME --password SECRET]   require AUTH (PLAIN or LOGIN) with these credentials;
                                          AUTH is only offered after STARTTLS when a
                                          certificate is given

It binds (port 0: any free port), then prints "listening on PORT" and flushes.

Every accepted message is saved as DIR/NNNN.eml (the DATA exactly as received, CRLF line ends)
with DIR/NNNN.json beside it:

    {"mail_from": str, "rcpt_tos": [str], "login": str or null, "tls": bool, "eml": "NNNN.eml"}

so a test can check that STARTTLS and AUTH really happened. The .json file is written after the
.eml file, so a test that sees NNNN.json can read the message.

Recipients whose local part asks for it make the server misbehave, to test error handling:

    smtp-reply-NNN@...   RCPT TO is answered with SMTP code NNN (e.g. 451 or 550)
    smtp-hang@...        the end of DATA is answered only after 30 seconds

Stop it with SIGTERM or SIGINT.
"""

import argparse
import asyncio
import json
import logging
import os
import re
import signal
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

REPLY_PATTERN = re.compile(r"^smtp-reply-(\d{3})@", re.IGNORECASE)
HANG_PATTERN = re.compile(r"^smtp-hang@", re.IGNORECASE)
HANG_SECONDS = 30

# aiosmtpd itself still sets the deprecated Session.login_data and warns about it on stderr.
warnings.filterwarnings("ignore", message="Session.login_data is deprecated")
# Nobody reads our output after "listening on": keep aiosmtpd's per-connection warnings (clients
# that time out or hang up, as tests make them do) from filling the pipe.
logging.getLogger("mail.log").setLevel(logging.ERROR)


class SavingHandler:
    """Stores each message in the mail folder; misbehaves for the special recipients."""

    def __init__(self, maildir):
        self.maildir = maildir
        self.lock = threading.Lock()
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        match = REPLY_PATTERN.match(address)
        if match:
            code = match.group(1)
            return f"{code} {'4.0.0' if code.startswith('4') else '5.0.0'} scripted reply"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(HANG_PATTERN.match(rcpt) for rcpt in envelope.rcpt_tos):
            await asyncio.sleep(HANG_SECONDS)
        with self.lock:
            self.count += 1
            name = f"{self.count:04d}"
        eml = os.path.join(self.maildir, name + ".eml")
        with open(eml, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        login = getattr(session.auth_data, "login", None)
        if isinstance(login, bytes):
            login = login.decode("utf-8", errors="replace")
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "login": login if session.authenticated else None,
            "tls": session.ssl is not None,
            "eml": name + ".eml",
        }
        tmp = os.path.join(self.maildir, name + ".json.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(meta, f)
        os.replace(tmp, os.path.join(self.maildir, name + ".json"))
        return "250 Message accepted"


class Authenticator:
    """Accepts exactly one user name and password, over PLAIN or LOGIN."""

    def __init__(self, user, password):
        self.user = user.encode("utf-8")
        self.password = password.encode("utf-8")

    def __call__(self, server, session, envelope, mechanism, auth_data):
        if mechanism not in ("PLAIN", "LOGIN") or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login == self.user and auth_data.password == self.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)


class EphemeralPortController(Controller):
    """A Controller that may bind port 0: it learns the real port before its self-check."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--require-starttls", action="store_true")
    parser.add_argument("--user")
    parser.add_argument("--password", default="")
    args = parser.parse_args()
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")
    if args.require_starttls and not args.cert:
        parser.error("--require-starttls needs --cert and --key")
    os.makedirs(args.maildir, exist_ok=True)

    smtp_options = {"server_hostname": "preflight-test-smtp"}
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        smtp_options["tls_context"] = context
        smtp_options["require_starttls"] = args.require_starttls
    if args.user:
        smtp_options["authenticator"] = Authenticator(args.user, args.password)
        smtp_options["auth_required"] = True
        # Plain-text AUTH is allowed only without a certificate (no TLS to require then).
        smtp_options["auth_require_tls"] = bool(args.cert)

    controller = EphemeralPortController(
        SavingHandler(args.maildir), hostname=args.host, port=args.port, **smtp_options)
    controller.start()
    print(f"listening on {controller.port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(3600):
        pass
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
