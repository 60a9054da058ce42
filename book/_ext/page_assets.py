"""Load some static files on one page only.

Jupyter Book v1 adds every ``.js`` and ``.css`` file under ``_static/``, subfolders
included, to every page of the book. The files named in the ``page_assets`` setting
(``{page: [paths under _static/]}``) are taken off that list and added to their own
page only: the "Draw a digit" page's script does not load with every chapter.
"""

from __future__ import annotations

from typing import Any


def _filename(entry: Any) -> str:
    """Sphinx lists files as names or (name, attributes) pairs."""
    return entry[0] if isinstance(entry, (tuple, list)) else entry


def keep_off_other_pages(app, config) -> None:
    owned = {path for paths in config.page_assets.values() for path in paths}
    for setting in ("html_js_files", "html_css_files"):
        files = getattr(config, setting)
        files[:] = [entry for entry in files if _filename(entry) not in owned]


def add_to_their_page(app, pagename, templatename, context, doctree) -> None:
    for path in app.config.page_assets.get(pagename, []):
        if path.endswith(".js"):
            app.add_js_file(path, loading_method="defer")
        elif path.endswith(".css"):
            app.add_css_file(path)
        else:
            raise ValueError(f"page_assets: {path!r} is neither a .js nor a .css file")


def setup(app):
    app.add_config_value("page_assets", {}, "html", types=[dict])
    app.connect("config-inited", keep_off_other_pages)
    app.connect("html-page-context", add_to_their_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
