"""Serve the built book (``_build/html``) on 127.0.0.1, compressed where that helps.

``make serve`` runs this; the browser tests serve the book through the same
handler, so the bytes they measure are the bytes a reader gets. Text formats
(HTML, CSS, JavaScript, JSON, SVG) are sent gzip-compressed to a browser that
accepts it, compressed once per file version and kept in memory; images and
fonts (PNG, WOFF) are already compressed and go as they are. Only loopback
addresses are accepted: this is a reading copy, not a web server.

    python _ext/serve.py [--port 8000] [--dir _build/html]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import ipaddress
import os
import sys
import threading
from pathlib import Path

COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".inv", ".map"}
MIN_SIZE = 1024  # smaller files gain nothing from gzip


class BookHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from ``directory``, gzip for text formats, no request log on stderr."""

    _cache: dict[tuple[str, float], bytes] = {}
    _lock = threading.Lock()
    quiet = True

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        if not self.quiet:
            super().log_message(format, *args)

    def end_headers(self):
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            index = os.path.join(path, "index.html")
            if not self.path.split("?", 1)[0].endswith("/") or not os.path.isfile(index):
                return super().send_head()
            path = index
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        suffix = Path(path).suffix.lower()
        if not (accepts and suffix in COMPRESSIBLE and os.path.isfile(path)):
            return super().send_head()
        stat = os.stat(path)
        if stat.st_size < MIN_SIZE:
            return super().send_head()
        key = (path, stat.st_mtime)
        with self._lock:
            body = self._cache.get(key)
        if body is None:
            with open(path, "rb") as f:
                body = gzip.compress(f.read(), compresslevel=6, mtime=0)
            with self._lock:
                self._cache[key] = body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(stat.st_mtime))
        self.end_headers()
        return io.BytesIO(body)


def make_server(directory: Path | str, port: int = 8000, host: str = "127.0.0.1"):
    """A threading HTTP server for ``directory`` on a loopback ``host``; port 0 picks a free one."""
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"host must be a loopback address such as 127.0.0.1, got {host!r}")
    directory = Path(directory)
    if not (directory / "index.html").is_file():
        raise FileNotFoundError(f"{directory}/index.html not found: build the book first (make book)")
    handler = functools.partial(BookHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--dir", default=str(Path(__file__).resolve().parents[1] / "_build" / "html"))
    args = parser.parse_args(argv)
    try:
        httpd = make_server(args.dir, args.port)
    except (FileNotFoundError, ValueError, OSError) as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 1
    BookHandler.quiet = False
    print(f"Serving {args.dir} at http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl+C stops)", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
