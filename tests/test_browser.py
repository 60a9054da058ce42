"""Every page of the built book, opened in headless Chromium as a reader would.

For each page: it loads, logs no console error, requests no missing local file, and every
image decodes. Every chapter page links to its own notebook in Colab. Screenshots of the
introduction and a chapter are saved under _build/screenshots/ for a human to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
# Flags for a sandboxed, offline CI machine: no background traffic, no GPU, no first-run UI.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Known and not ours to fix here, each matched exactly:
# - sphinx-thebe declares `const THEBE_JS_URL` twice on every page (theme extension bug);
# - MathJax comes from a CDN, which this offline machine cannot resolve.
KNOWN_CONSOLE_ERRORS = (
    "Identifier 'THEBE_JS_URL' has already been declared",
    "Failed to load resource: net::ERR_NAME_NOT_RESOLVED",
)
FIND_BROKEN_IMAGES = """() => Array.from(document.images)
    .filter(image => !image.complete || image.naturalWidth === 0)
    .map(image => image.src)"""


@pytest.fixture(scope="module")
def site(book_build):
    """Serve the built HTML on 127.0.0.1 for the duration of the module."""
    html, _ = book_build
    handler = functools.partial(QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield html, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package "
                    "(make test does it with apt-get) or set CHROMIUM=/path/to/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def page_paths(html: Path) -> list[str]:
    pages = [path.relative_to(html).as_posix() for path in html.rglob("*.html")]
    return sorted(page for page in pages if not page.startswith(("_static/", "_sources/")))


def visit(browser, url: str, base: str) -> dict:
    """Open ``url`` and report console errors, failed local requests and broken images."""
    page = browser.new_page()
    problems: dict[str, list[str]] = {"console": [], "requests": [], "images": []}

    def record_error(text: str) -> None:
        if text not in KNOWN_CONSOLE_ERRORS:
            problems["console"].append(text)

    page.on("console", lambda message: message.type == "error" and record_error(message.text))
    page.on("pageerror", lambda error: record_error(str(error)))
    page.on("requestfailed", lambda request: request.url.startswith(base)
            and problems["requests"].append(f"{request.url} ({request.failure})"))
    page.on("response", lambda response: response.url.startswith(base)
            and response.status >= 400
            and problems["requests"].append(f"{response.url} ({response.status})"))
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    problems["images"] = page.evaluate(FIND_BROKEN_IMAGES)
    problems["image_count"] = page.evaluate("() => document.images.length")
    problems["links"] = page.evaluate("() => Array.from(document.links).map(a => a.href)")
    page.close()
    return problems


@pytest.fixture(scope="module")
def visits(site, browser):
    html, base = site
    return {path: visit(browser, base + path, base) for path in page_paths(html)}


def test_every_page_loads_cleanly(visits):
    chapters = list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert len(visits) >= len(chapters) + 4  # + intro, how to run, results, references
    broken = {page: {key: found for key, found in problems.items()
                     if key in ("console", "requests", "images") and found}
              for page, problems in visits.items()}
    assert {page: found for page, found in broken.items() if found} == {}


def test_pages_show_images(visits):
    chapters = [problems for page, problems in visits.items() if page.startswith("notebooks/")]
    assert all(problems["image_count"] > 1 for problems in chapters)


def test_every_chapter_links_to_its_own_notebook_in_colab(visits):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    chapters = [page for page in visits if re.fullmatch(r"notebooks/\d\d_\w+\.html", page)]
    assert len(chapters) == len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    for page in chapters:
        notebook = page.removesuffix(".html") + ".ipynb"
        expected = f"https://colab.research.google.com/github/{repo}/blob/main/{notebook}"
        assert expected in visits[page]["links"], f"{page} has no Colab link to {notebook}"


def test_screenshots(site, browser):
    _, base = site
    folder = ROOT / "_build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    shots = {"intro": "book/intro.html", "chapter-02": "notebooks/02_softmax_regression.html"}
    for name, path in shots.items():
        for mode in ("light", "dark"):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + path, wait_until="networkidle")
            page.evaluate(f"() => document.documentElement.dataset.theme = '{mode}'")
            target = folder / f"{name}-{mode}.png"
            page.screenshot(path=str(target), full_page=False)
            page.close()
            assert target.stat().st_size > 10_000
