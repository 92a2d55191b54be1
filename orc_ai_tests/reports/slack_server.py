"""A local HTTP endpoint answering the Slack Web API methods a report delivery uses, recording every request."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class SlackEndpoint:
    """``base_url`` is what a real ``WebClient`` is pointed at; ``fail_with`` makes chat.postMessage fail."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail_with: str | None = None
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                if self.path.startswith("/upload/"):
                    body: Any = raw  # the file itself, whatever content type the client names
                elif "json" in kind:
                    body = json.loads(raw or b"{}")
                elif "x-www-form-urlencoded" in kind:
                    body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                else:
                    body = raw
                endpoint.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                self._answer(endpoint.answer(self.path))

            def _answer(self, payload: dict[str, Any] | None) -> None:
                data = b"OK" if payload is None else json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain" if payload is None else "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/api/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def answer(self, path: str) -> dict[str, Any] | None:
        method = path.removeprefix("/api/")
        if method == "chat.postMessage":
            if self.fail_with:
                return {"ok": False, "error": self.fail_with}
            return {"ok": True, "channel": "C0REPORTS", "ts": f"1700000000.{len(self.requests):06d}"}
        if method == "files.getUploadURLExternal":
            return {"ok": True, "file_id": "F0REPORT", "upload_url": f"http://127.0.0.1:{self.port}/upload/F0REPORT"}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": "F0REPORT", "title": "ORC AI agent report"}]}
        if path.startswith("/upload/"):
            return None
        return {"ok": False, "error": "unknown_method"}

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["path"] == f"/api/{method}"]

    def __enter__(self) -> SlackEndpoint:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
