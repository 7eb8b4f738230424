"""``briefgen serve``: build, serve on 127.0.0.1 under the base path, rebuild on change, reload open pages.

The site is built into a temporary folder with a local base URL, so ``site/`` is never touched. A small script,
injected into HTML responses only here, listens on a server-sent-events stream: after a successful rebuild the
page reloads; after a failed one it shows the errors (``file:line: message``) in an overlay, and the server
keeps serving the last good site until the file is fixed.
"""

from __future__ import annotations

import http.server
import json
import queue
import shutil
import tempfile
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import watchfiles

from briefgen.build import BuildOptions, BuildResult, build, selection_for
from briefgen.cache import CACHE_DIR
from briefgen.collect import is_published
from briefgen.config import SiteConfig, load_config
from briefgen.discover import MARKDOWN_SUFFIXES, briefing_stem
from briefgen.errors import BriefgenError, BuildFailed
from briefgen.faults import doing
from briefgen.model import EMPTY_CONTEXT
from briefgen.theme import load_theme
from briefgen.urls import briefing_route, output_file
from briefgen.workers import Task, Worker, unpack
from briefgen.write import replace_file, spare_path

LIVE_PREFIX = "/__briefgen/"
LIVE_SCRIPT = (Path(__file__).parent / "assets" / "live.js").read_text(encoding="utf-8")
KEEPALIVE_SECONDS = 10


@dataclass
class BuildState:
    """What the last build gave: its number, or the problems that stopped it."""

    build: int = 0
    errors: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()  # only these pages are new yet (shown first); empty: the whole site

    def message(self) -> bytes:
        data = {"build": self.build, "errors": list(self.errors), "pages": list(self.pages)}
        return f"data: {json.dumps(data)}\n\n".encode()


@dataclass
class DevServer:
    config_path: Path
    options: BuildOptions
    port: int = 8000
    host: str = "127.0.0.1"
    on_build: Callable[[BuildResult | BuildFailed], None] | None = None  # for the CLI's messages
    state: BuildState = field(default_factory=BuildState)
    _listeners: list[queue.Queue] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _quick_worker: Worker | None = None

    def start(self) -> None:
        """Bind, build once, and serve and watch in background threads."""
        with doing("making the development server's folder", tempfile.gettempdir()):
            self._output = Path(tempfile.mkdtemp(prefix="briefgen-serve-")) / "site"
        self._httpd = http.server.ThreadingHTTPServer((self.host, self.port), _handler_for(self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.config = self._load_config()
        watching = threading.Event()
        threading.Thread(target=self._watch, args=(watching,), daemon=True).start()
        watching.wait(timeout=10)  # a save from now on is seen; one made before is in the first build
        self.rebuild()
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        shutil.rmtree(self._output.parent, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self.config.base_path}"

    @property
    def output(self) -> Path:
        return self._output

    def _load_config(self) -> SiteConfig:
        config = load_config(self.config_path)
        local = f"http://{self.host}:{self.port}{config.base_path}"
        return replace(config, base_url=local, output_dir=str(self._output))

    def rebuild(self, same_number: bool = False) -> None:
        """Build; on success open pages reload. With ``same_number`` the build keeps the number the pages just
        shown first were given, so those are not reloaded twice; every other open page reloads now."""
        self._quick_worker = None  # the config or the theme may have changed
        try:
            self.config = self._load_config()
            result: BuildResult | BuildFailed = build(self.config, self.options, in_place=True,
                                                      cache_name="serve")
            self._publish(BuildState(build=self.state.build + (0 if same_number else 1)))
        except BuildFailed as failure:
            result = failure
            self._publish(BuildState(build=self.state.build, errors=tuple(str(p) for p in failure.problems)))
        except BriefgenError as error:
            result = BuildFailed([])
            self._publish(BuildState(build=self.state.build, errors=(str(error),)))
        if self.on_build is not None:
            self.on_build(result)

    def _publish(self, state: BuildState) -> None:
        with self._lock:
            self.state = state
            for listener in self._listeners:
                listener.put(state)

    def listen(self) -> queue.Queue:
        listener: queue.Queue = queue.Queue()
        with self._lock:
            self._listeners.append(listener)
            listener.put(self.state)
        return listener

    def forget(self, listener: queue.Queue) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def watched_paths(self) -> list[Path]:
        """The site folder, and the theme's folders when they live elsewhere (a theme path, the built-in one)."""
        root = self.config.root
        paths = [root]
        try:
            paths += [folder for folder in load_theme(root, self.config.theme).folders
                      if not folder.resolve().is_relative_to(root.resolve())]
        except BriefgenError:
            pass
        return paths

    def _ignored(self, path: str) -> bool:
        """Changes that are not the site's: the build cache, the output folder, hidden and editor files."""
        resolved = Path(path)
        name = resolved.name
        if name.startswith(".") or name.endswith(("~", ".swp", ".tmp")):
            return True
        output = load_config_output(self.config_path)
        for folder in (self.config.root / CACHE_DIR, output, output and spare_path(output)):
            if folder is not None and resolved.is_relative_to(folder):
                return True
        return False

    def _watch(self, watching: threading.Event) -> None:
        changes = watchfiles.watch(*self.watched_paths(), stop_event=self._stop, debounce=50, step=20,
                                   rust_timeout=100, yield_on_timeout=True,
                                   watch_filter=lambda change, path: not self._ignored(path))
        for batch in changes:
            watching.set()  # the watcher's first answer, even "nothing yet", means it is in place
            if not batch:
                continue
            edited = [Path(path) for change, path in batch
                      if change != watchfiles.Change.deleted and Path(path).suffix.lower() in MARKDOWN_SUFFIXES
                      and Path(path).resolve().is_relative_to(self.config.content_path)]
            shown_first = bool(edited) and len(edited) == len(batch) and self._show_edited_pages_first(edited)
            self.rebuild(same_number=shown_first)

    def _show_edited_pages_first(self, paths: list[Path]) -> bool:
        """Render the pages of the briefings just saved and serve them at once, before the full rebuild
        (listings, feeds) that follows; a file with errors waits for the full rebuild to report them."""
        try:
            theme = load_theme(self.config.root, self.config.theme)
            worker = self._quick_worker or Worker(self.config, theme)
            self._quick_worker = worker
            pages = []
            for path in paths:
                shown = self.config.display(path)
                parsed = worker.run(Task(path, shown, briefing_stem(path, self.config.content_path), True))
                if parsed.errors or parsed.products is None or parsed.briefing is None \
                        or not is_published(parsed.briefing, selection_for(self.options)):
                    return False
                briefing = unpack(parsed.products.body)
                route = self.config.prefix(briefing.lang) + briefing_route(briefing.slug)
                page, _ = worker.renderer_of(briefing).briefing_outputs(briefing, EMPTY_CONTEXT)
                replace_file(self.output, output_file(route), page)
                pages.append(self.config.base_path + route)
            if pages:
                self._publish(BuildState(build=self.state.build + 1, pages=tuple(pages)))
            return bool(pages)
        except (BriefgenError, OSError):  # the full rebuild that follows reports it
            return False


def load_config_output(config_path: Path) -> Path | None:
    """Where ``briefgen build`` writes, so that its output is not taken for a change to the site."""
    try:
        return load_config(config_path).output_path
    except BriefgenError:
        return None


def _handler_for(server: DevServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == LIVE_PREFIX + "events":
                self._events()
            elif path == LIVE_PREFIX + "live.js":
                self._send(200, LIVE_SCRIPT.encode(), "text/javascript; charset=utf-8")
            elif not path.startswith(server.config.base_path):
                self.send_response(302)
                self.send_header("Location", server.config.base_path)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._file(path[len(server.config.base_path):])

        def _file(self, relative: str) -> None:
            root = server.output.resolve()
            target = (root / relative).resolve()
            if target.is_dir():
                if not self.path.split("?")[0].endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", self.path.split("?")[0] + "/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                target = target / "index.html"
            status = 200
            if not target.is_relative_to(root) or not target.is_file():
                status, target = 404, root / "404.html"
            try:
                body = target.read_bytes()
            except OSError:
                self._send(503, b"The site is being rebuilt.", "text/plain; charset=utf-8")
                return
            kind = _content_type(target.name)
            if kind.startswith("text/html"):
                body = _inject(body, server.state.build)
            self._send(status, body, kind)

        def _send(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            listener = server.listen()
            try:
                while not server._stop.is_set():
                    try:
                        self.wfile.write(listener.get(timeout=KEEPALIVE_SECONDS).message())
                    except queue.Empty:
                        self.wfile.write(b": keepalive\n\n")
                    self.wfile.flush()
            except OSError:
                pass
            finally:
                server.forget(listener)

    return Handler


_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript",
          ".xml": "application/xml; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
          ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
          ".webp": "image/webp", ".txt": "text/plain; charset=utf-8", ".ico": "image/x-icon"}


def _content_type(name: str) -> str:
    return _TYPES.get(Path(name).suffix.lower(), "application/octet-stream")


def _inject(html: bytes, build_number: int) -> bytes:
    tag = f'<script src="{LIVE_PREFIX}live.js?build={build_number}"></script>'.encode()
    position = html.rfind(b"</body>")
    return html[:position] + tag + html[position:] if position >= 0 else html + tag
