"""A company's webhook receiver on loopback (http.server in a thread): it checks the signature and timestamp as
the README tells a receiver to, keeps what it got, and answers with the statuses it is told to."""

from __future__ import annotations

import json
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from alerts.delivery.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify


@dataclass
class Receiver:
    secret: str = ""
    url: str = ""
    received: list[dict[str, Any]] = field(default_factory=list)  # {"verified", "body", "type", "path", "host"}
    statuses: list[int] = field(default_factory=list)  # answered in turn, then ``answer``
    answer: int = 204

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [got["body"] for got in self.received if got["verified"]]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            ok = verify(receiver.secret, self.headers.get(TIMESTAMP_HEADER, ""), body,
                        self.headers.get(SIGNATURE_HEADER, ""), time.time())
            receiver.received.append({"verified": ok, "body": json.loads(body), "path": self.path,
                                      "type": self.headers["Content-Type"], "host": self.headers["Host"]})
            status = receiver.statuses.pop(0) if receiver.statuses else receiver.answer
            self.send_response(status if ok else 401)
            if self.path == "/endless":  # headers, then a body that never ends
                self.send_header("Content-Length", str(10**12))
                self.end_headers()
                try:
                    while True:
                        self.wfile.write(b"x" * 65536)
                except OSError:
                    return
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def loopback_receiver(secret: str = "", tls: ssl.SSLContext | None = None,
                      name: str = "127.0.0.1") -> Iterator[Receiver]:
    """Listening on 127.0.0.1; with ``tls`` over https, its URL naming ``name`` (which the test resolves)."""
    receiver = Receiver(secret=secret)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"{'https' if tls else 'http'}://{name}:{server.server_address[1]}/hook"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
