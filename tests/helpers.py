"""Readers of generated output, as a user meets it: parsed HTML and every file of a build."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from bs4 import BeautifulSoup


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def page_path(output: Path, base_path: str, html_file: Path) -> str:
    """The URL path a generated HTML file is served at."""
    relative = html_file.relative_to(output).as_posix()
    return base_path + (relative[:-len("index.html")] if relative.endswith("index.html") else relative)


def local_target(output: Path, base_path: str, url: str, page: str = "") -> Path | None:
    """The file a URL (resolved against ``page``) is served from, or None when it leaves the base path."""
    path = unquote(urlsplit(urljoin(page or base_path, url)).path)
    if not path.startswith(base_path):
        return None
    relative = path[len(base_path):]
    target = output / relative
    if relative == "" or relative.endswith("/"):
        target = target / "index.html"
    return target


def internal_urls(page: BeautifulSoup) -> list[str]:
    urls = []
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for element in page.find_all(tag):
            value = element.get(attribute)
            if value and not value.startswith(("http://", "https://", "#", "mailto:")):
                urls.append(value)
    return urls


class SubPathServer:
    """A static server on 127.0.0.1 that serves ``folder`` under ``prefix`` (as GitHub Pages serves a project
    site) and answers every missing path with the folder's 404.html and status 404."""

    def __init__(self, folder: Path, prefix: str):
        import http.server
        import threading

        root, base = folder, prefix

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send_head(self):
                path = unquote(urlsplit(self.path).path)  # as static hosts decode it
                target = None
                if path.startswith(base):
                    candidate = root / path[len(base):]
                    if candidate.is_dir() and (candidate / "index.html").is_file() and path.endswith("/"):
                        target = candidate / "index.html"
                    elif candidate.is_file():
                        target = candidate
                if target is None:
                    body = (root / "404.html").read_bytes()
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    import io
                    return io.BytesIO(body)
                self.path = "/" + quote(target.relative_to(root).as_posix())
                return super().send_head()

            def translate_path(self, path):
                return str(root / unquote(urlsplit(path).path).lstrip("/"))

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{prefix}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class SearchReader:
    """The built-in search index of a built site, looked up the way ``search.js`` does: every query word must
    match (the last one as the start of a word); most title matches first, then newest first."""

    def __init__(self, output: Path):
        import json
        self.output, self._json = output, json
        self.manifest = json.loads((output / "search/index.json").read_text(encoding="utf-8"))
        width = self.manifest["idLength"]
        self.order = [self.manifest["order"][i:i + width] for i in range(0, len(self.manifest["order"]), width)]

    def ids(self, run: str) -> set[str]:
        width = self.manifest["idLength"]
        return {run[i:i + width] for i in range(0, len(run), width)}

    def shard(self, word: str) -> dict:
        from briefgen.search import shard_name
        name = shard_name(word)
        if name not in self.manifest["shards"]:
            return {}
        return self._json.loads((self.output / f"search/w/{name}.json").read_text(encoding="utf-8"))

    def record(self, doc_id: str) -> list:
        path = self.output / f"search/docs/{doc_id[:2]}.json"
        return self._json.loads(path.read_text(encoding="utf-8"))[doc_id]

    def query(self, text: str) -> list[str]:
        """The routes of the briefings found, best first."""
        from briefgen.search import words_of
        terms = list(dict.fromkeys(words_of(text)))
        if not terms:
            return []
        found = []
        for position, term in enumerate(terms):
            entries = [entry for word, entry in self.shard(term).items()
                       if word == term or (position == len(terms) - 1 and word.startswith(term))]
            found.append((set().union(*(self.ids(e[0]) for e in entries)),
                          set().union(*(self.ids(e[1]) for e in entries))))
        hits = set.intersection(*(every for every, _ in found)) & set(self.order)
        newest = {doc_id: at for at, doc_id in enumerate(self.order)}
        ranked = sorted(hits, key=lambda i: (-sum(i in title for _, title in found), newest[i]))
        return [self.record(doc_id)[0] for doc_id in ranked]
