"""An in-process HTTP server that plays the publishers for the fetch tests: each path answers a
queue of recorded responses (the last one repeats), and every request is kept for the assertions.
No network: it listens on 127.0.0.1 only."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    cut_after: int | None = None  # send the full Content-Length, then only this many bytes, then close
    delay: float = 0.0  # seconds before answering (a slow server)
    length: bool = True  # send a Content-Length

    @classmethod
    def json(cls, value, status: int = 200, **headers) -> "Reply":
        return cls(status, json.dumps(value).encode(), {"Content-Type": "application/json", **headers})

    @classmethod
    def redirect(cls, location: str) -> "Reply":
        return cls(302, b"", {"Location": location})


class Publisher:
    def __init__(self):
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, str, dict, bytes]] = []  # (method, path, headers, body)
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _answer(self):
                size = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(size) if size else b""
                publisher.requests.append((self.command, self.path, dict(self.headers), body))
                reply = publisher.next_reply(self.path)
                time.sleep(reply.delay)
                payload = reply.body
                wanted = self.headers.get("Range", "")
                status = reply.status
                if wanted.startswith("bytes=") and status == 200 and reply.cut_after is None:
                    start = int(wanted.removeprefix("bytes=").split("-")[0])
                    payload, status = payload[start:], 206
                    reply = Reply(206, payload, {**reply.headers, "Content-Range":
                                                 f"bytes {start}-{len(reply.body) - 1}/{len(reply.body)}"})
                self.send_response(status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.length:
                    self.send_header("Content-Length", str(len(payload)))
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    self.wfile.write(payload if reply.cut_after is None else payload[:reply.cut_after])
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def next_reply(self, path: str) -> Reply:
        key = path if path in self.routes else path.split("?", 1)[0]
        queue = self.routes.get(key)
        if not queue:
            return Reply(404, b"introuvable")
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def paths(self) -> list[str]:
        return [path for _, path, _, _ in self.requests]

    def __enter__(self) -> "Publisher":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
