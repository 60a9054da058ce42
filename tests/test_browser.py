"""Every page of the built book, opened in headless Chromium as a reader would.

For each page: it loads, logs no console error, makes no failed request, every image
decodes, and it shows one search box. Every chapter page links to its own notebook in
Colab, and math is typeset by the book's own MathJax. Screenshots of the introduction and
two chapters (one at its math) are saved under _build/screenshots/ for a human to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mnist_book.chapters import CHAPTERS, Chapter, chapter

from .conftest import ROOT

FIND_BROKEN_IMAGES = """() => Array.from(document.images)
    .filter(image => !image.complete || image.naturalWidth === 0)
    .map(image => image.src)"""
# Search fields and buttons a reader can see (pydata-sphinx-theme's classes).
COUNT_SEARCH_BOXES = """() => Array.from(document.querySelectorAll(".search-button__button"))
    .filter(element => element.checkVisibility()).length"""
# Math elements Sphinx wrote, those MathJax typeset (and its error boxes), and where
# MathJax came from.
COUNT_MATH = """async () => {
    if (window.MathJax?.startup?.promise) await window.MathJax.startup.promise;
    return {source: document.querySelectorAll("span.math, div.math").length,
            typeset: document.querySelectorAll("mjx-container").length,
            errors: document.querySelectorAll("mjx-merror").length,
            local: Array.from(document.scripts).some(s => s.src.includes("/_static/mathjax/"))};
}"""


def page_of(entry: Chapter) -> str:
    return f"notebooks/{entry.stem}.html"


def page_paths(html: Path) -> list[str]:
    pages = [path.relative_to(html).as_posix() for path in html.rglob("*.html")]
    return sorted(page for page in pages if not page.startswith(("_static/", "_sources/")))


def visit(browser, url: str, base: str) -> dict:
    """Open ``url`` and report console errors, failed requests and broken images."""
    page = browser.new_page()
    problems: dict[str, list[str]] = {"console": [], "requests": [], "images": []}
    page.on("console", lambda message: message.type == "error"
            and problems["console"].append(message.text))
    page.on("pageerror", lambda error: problems["console"].append(str(error)))
    # Any failed request, local or not: offline, an outside one fails too.
    page.on("requestfailed", lambda request:
            problems["requests"].append(f"{request.url} ({request.failure})"))
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
    problems["math"] = page.evaluate(COUNT_MATH)
    problems["search_boxes"] = page.evaluate(COUNT_SEARCH_BOXES)
    page.close()
    return problems


@pytest.fixture(scope="module")
def visits(site, browser):
    html, base = site
    return {path: visit(browser, base + path, base) for path in page_paths(html)}


def test_every_page_loads_cleanly(visits):
    assert len(visits) >= len(CHAPTERS) + 4  # + intro, how to run, results, references
    broken = {page: {key: found for key, found in problems.items()
                     if key in ("console", "requests", "images") and found}
              for page, problems in visits.items()}
    assert {page: found for page, found in broken.items() if found} == {}


def test_pages_show_images(visits):
    chapters = [problems for page, problems in visits.items() if page.startswith("notebooks/")]
    assert all(problems["image_count"] > 1 for problems in chapters)


def test_every_page_shows_one_search_box_and_the_repository_button(visits):
    counts = {page: problems["search_boxes"] for page, problems in visits.items()}
    assert counts == dict.fromkeys(visits, 1)
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert [page for page, problems in visits.items() if repository not in problems["links"]] \
        == []


def test_math_is_typeset(visits):
    with_math = {page: problems["math"] for page, problems in visits.items()
                 if problems["math"]["source"]}
    assert page_of(chapter(4)) in with_math  # its $\max(0, z)$, at least
    for page, math in with_math.items():
        assert math["local"] and math["typeset"] >= math["source"] and not math["errors"], \
            f"{page}: {math}"


def test_every_chapter_links_to_its_own_notebook_in_colab(visits):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/")
    for entry in CHAPTERS:
        page, notebook = page_of(entry), f"notebooks/{entry.notebook.name}"
        expected = f"https://colab.research.google.com/github/{repo}/blob/main/{notebook}"
        assert expected in visits[page]["links"], f"{page} has no Colab link to {notebook}"


def test_screenshots(site, browser):
    _, base = site
    folder = ROOT / "_build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    # name: (page, an element to scroll to, if not the top)
    shots = {"intro": ("book/intro.html", None),
             "chapter-02": (page_of(chapter(3)), None),
             "chapter-03-math": (page_of(chapter(4)), "mjx-container")}
    for name, (path, element) in shots.items():
        for mode in ("light", "dark"):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + path, wait_until="networkidle")
            page.evaluate(f"() => document.documentElement.dataset.theme = '{mode}'")
            if element:
                page.evaluate(COUNT_MATH)  # waits for MathJax
                page.locator(element).first.evaluate("e => e.scrollIntoView({block: 'center'})")
            target = folder / f"{name}-{mode}.png"
            page.screenshot(path=str(target), full_page=False)
            page.close()
            assert target.stat().st_size > 10_000
