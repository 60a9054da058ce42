"""Write each inline <script> once per page.

Sphinx 7.4 lists a body-only script added after the HTML builder starts twice: once with
the file name None (from ``app.add_js_file``) and once with "" (re-read from the registry
before writing). sphinx-thebe's ``const THEBE_JS_URL = ...`` then throws "Identifier
'THEBE_JS_URL' has already been declared" on every page. Fixed upstream by
sphinx-doc/sphinx#13402 (Sphinx 8), which jupyter-book v1 (sphinx~=7.0) cannot use.
"""

from __future__ import annotations

from typing import Any


def _script_key(script: Any) -> tuple:
    attributes = getattr(script, "attributes", {})
    return (getattr(script, "filename", script) or "", getattr(script, "priority", None),
            tuple(sorted(attributes.items())))


def write_each_script_once(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique  # in place: this list is the builder's, which other handlers extend


def setup(app):
    # Late, after the handlers that add page-specific scripts (MathJax, myst-nb).
    app.connect("html-page-context", write_each_script_once, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
