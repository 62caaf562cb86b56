"""_ext/serve.py: the built book on 127.0.0.1, text gzip-compressed, nothing else."""

from __future__ import annotations

import gzip
import importlib.util
import threading
import urllib.request

import pytest

from .conftest import ROOT


def serve_module():
    spec = importlib.util.spec_from_file_location("book_serve", ROOT / "_ext" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def site(tmp_path):
    page = "<!doctype html><title>t</title>" + "<p>backpropagation</p>" * 400
    (tmp_path / "index.html").write_text(page)
    (tmp_path / "tiny.css").write_text("p{}")
    (tmp_path / "plot.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    httpd = serve_module().make_server(tmp_path, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", tmp_path
    httpd.shutdown()
    httpd.server_close()


def get(url, gzip_ok=True):
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.headers, r.read()


def test_text_is_sent_compressed_and_decompresses_to_the_file(site):
    base, root = site
    headers, body = get(f"{base}/index.html")
    assert headers["Content-Encoding"] == "gzip"
    original = (root / "index.html").read_bytes()
    assert gzip.decompress(body) == original and len(body) < len(original) / 10
    headers, body = get(f"{base}/")  # the directory's index.html, compressed too
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == original


def test_what_gzip_cannot_shrink_goes_as_it_is(site):
    base, root = site
    headers, body = get(f"{base}/plot.png")
    assert headers.get("Content-Encoding") is None and body == (root / "plot.png").read_bytes()
    headers, body = get(f"{base}/tiny.css")  # below 1 KB: not worth it
    assert headers.get("Content-Encoding") is None and body == b"p{}"
    headers, body = get(f"{base}/index.html", gzip_ok=False)  # a client that cannot inflate
    assert headers.get("Content-Encoding") is None and body == (root / "index.html").read_bytes()


def test_only_loopback_and_only_a_built_book(tmp_path):
    serve = serve_module()
    (tmp_path / "index.html").write_text("<p>x</p>")
    with pytest.raises(ValueError, match="loopback"):
        serve.make_server(tmp_path, 0, host="0.0.0.0")
    with pytest.raises(FileNotFoundError, match="make book"):
        serve.make_server(tmp_path / "nothing", 0)
