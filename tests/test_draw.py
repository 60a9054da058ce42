"""The "Draw a digit" page (book/draw.md) reads digits as Keras and Python do.

The built book is served on 127.0.0.1 and the page opened in headless Chromium. Every
request to another host is blocked and counted as a failure, and so is every console
error, page error and failed request. The page is driven through the ids and the
`window.digitDemo` functions it promises to keep:

- `digitDemo.predict` gives Keras' probabilities (of the model rebuilt from the exported
  files) on 1,000 test digits within 1e-4, for both models, and scores on all 10,000
  exactly the accuracy the manifest records; a small model using every layer option the
  exporter accepts runs as in Keras too;
- `digitDemo.preprocess` gives what `preprocess_digit` gives for the same pixels, on
  drawings the browser's canvas makes: tiny, huge, off-centre, thin, thick, transparent,
  light on dark, coloured, and photo-sized ones that are shrunk first;
- digits written stroke by stroke with the mouse are read correctly by both models;
- on a phone's screen a finger writes without scrolling the page, and the answer sits
  right under the canvas;
- a blank canvas predicts nothing, the clear button brings that state back, and a photo
  chosen in the file input is read too;
- text and bars stay readable in the light and the dark theme;
- the page's script and styles load on this page only.

Run with `-s` to see the measured figures: agreement, accuracy, download size and the
time from the end of a stroke to the updated bars.
"""

from __future__ import annotations

import base64
import io
import json
import statistics
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pytest

from benchmarks.execute import EXPORT_DIR
from mnist_book import export_for_browser, preprocess_digit, scale_pixels
from mnist_book.chapters import drawing_page_models

from .conftest import ROOT
from .exported import load_exported, probabilities, small_cnn

PAGE = "book/draw.html"
MODEL_NAMES = list(drawing_page_models())
CANVAS_SIDE = 280  # the drawing canvas's pixels

# Digits as strokes of (x, y) points in a unit box, y pointing down, written as a person
# would: several strokes for a 4 and a 5.
DIGITS = {
    0: [[(0.5 + 0.26 * np.sin(t), 0.5 - 0.4 * np.cos(t))
         for t in np.linspace(0, 2 * np.pi, 25)]],
    1: [[(0.55, 0.08), (0.45, 0.92)]],
    2: [[(0.22, 0.3), (0.3, 0.14), (0.48, 0.08), (0.66, 0.13), (0.74, 0.28), (0.66, 0.46),
         (0.45, 0.64), (0.25, 0.82), (0.2, 0.9), (0.8, 0.9)]],
    3: [[(0.25, 0.15), (0.48, 0.07), (0.7, 0.16), (0.7, 0.32), (0.45, 0.47), (0.7, 0.58),
         (0.76, 0.76), (0.6, 0.91), (0.36, 0.93), (0.22, 0.84)]],
    4: [[(0.55, 0.08), (0.2, 0.62), (0.82, 0.62)], [(0.65, 0.3), (0.62, 0.94)]],
    5: [[(0.33, 0.1), (0.28, 0.45), (0.5, 0.4), (0.7, 0.5), (0.74, 0.7), (0.6, 0.88),
         (0.4, 0.91), (0.24, 0.82)], [(0.33, 0.1), (0.75, 0.1)]],
    6: [[(0.66, 0.08), (0.45, 0.24), (0.3, 0.5), (0.28, 0.74), (0.42, 0.92), (0.62, 0.9),
         (0.72, 0.72), (0.62, 0.55), (0.44, 0.52), (0.3, 0.64)]],
    7: [[(0.2, 0.12), (0.8, 0.12), (0.5, 0.56), (0.38, 0.92)]],
    8: [[(0.5, 0.5), (0.7, 0.34), (0.68, 0.14), (0.5, 0.07), (0.32, 0.14), (0.3, 0.34),
         (0.5, 0.5), (0.72, 0.68), (0.7, 0.88), (0.5, 0.94), (0.3, 0.88), (0.28, 0.68),
         (0.5, 0.5)]],
    9: [[(0.7, 0.28), (0.6, 0.1), (0.42, 0.08), (0.3, 0.2), (0.32, 0.38), (0.5, 0.46),
         (0.7, 0.36), (0.7, 0.28), (0.68, 0.6), (0.62, 0.93)]],
}

# The page's JavaScript, called from the tests.
PREDICT_ALL = """async ({name, pixels, scale, keep}) => {
    const bytes = Uint8Array.from(atob(pixels), (c) => c.charCodeAt(0));
    const levels = Float32Array.from(scale);  // the float32 value of each byte, as in Python
    const count = bytes.length / 784;
    const predictions = [];
    const probabilities = [];
    const start = performance.now();
    for (let i = 0; i < count; i++) {
        const digit = new Float32Array(784);
        for (let j = 0; j < 784; j++) digit[j] = levels[bytes[i * 784 + j]];
        const p = await window.digitDemo.predict(name, digit);
        predictions.push(p.indexOf(Math.max(...p)));
        if (i < keep) probabilities.push(...p);
    }
    return {predictions, probabilities, ms: performance.now() - start};
}"""
DRAW_AND_PREPROCESS = """({width, height, paper, gradient, ink, lineWidth, strokes}) => {
    const context = new OffscreenCanvas(width, height).getContext("2d");
    if (gradient) {  // uneven light, as on a photo
        const fill = context.createLinearGradient(0, 0, width, height);
        fill.addColorStop(0, gradient[0]);
        fill.addColorStop(1, gradient[1]);
        context.fillStyle = fill;
    } else {
        context.fillStyle = paper || "rgba(0, 0, 0, 0)";  // no paper: transparent
    }
    context.fillRect(0, 0, width, height);
    Object.assign(context, {strokeStyle: ink, lineWidth, lineCap: "round", lineJoin: "round"});
    for (const stroke of strokes) {
        context.beginPath();
        context.moveTo(...stroke[0]);
        for (const point of stroke.slice(1)) context.lineTo(...point);
        context.stroke();
    }
    const image = context.getImageData(0, 0, width, height);
    let binary = "";
    for (let i = 0; i < image.data.length; i += 0x8000) {
        binary += String.fromCharCode(...image.data.subarray(i, i + 0x8000));
    }
    const start = performance.now();
    const pixels = window.digitDemo.preprocess(image);
    return {rgba: btoa(binary), pixels: pixels && Array.from(pixels),
            ms: performance.now() - start};
}"""
# Times from the end of each stroke (pointerup) to the update of the probabilities.
MEASURE_LATENCY = """() => {
    window.strokeLatencies = [];
    let strokeEnd = null;
    window.addEventListener("pointerup", (event) => {
        if (event.target.id === "digit-canvas") strokeEnd = performance.now();
    }, {capture: true});
    new MutationObserver(() => {
        if (strokeEnd !== null) window.strokeLatencies.push(performance.now() - strokeEnd);
        strokeEnd = null;
    }).observe(document.getElementById("digit-prediction"),
               {attributes: true, attributeFilter: ["data-probabilities"]});
}"""
PREDICTION = "() => ({...document.getElementById('digit-prediction').dataset})"
CHANGED = "(before) => document.getElementById('digit-prediction').dataset.probabilities !== before"
PREVIEW = """() => Array.from(document.getElementById("digit-preview").getContext("2d")
    .getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0))"""
# The contrast ratio (WCAG) between an element's text colour and the background behind it.
CONTRAST = """(selector) => {
    const rgb = (text) => text.match(/[\\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => [r, g, b].map((v) => v / 255)
        .map((v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const element = document.querySelector(selector);
    let behind = element;
    while (behind && rgb(getComputedStyle(behind).backgroundColor)[3] === 0) {
        behind = behind.parentElement;
    }
    const back = behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)";
    const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(rgb(back))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@dataclass
class Visit:
    """An open page, and everything that went wrong while it was open."""

    page: Any
    problems: list[str] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)  # bytes received from the site


def open_page(browser, base: str, path: str = PAGE, **options: Any) -> Visit:
    """Open ``path`` with every host but 127.0.0.1 blocked, recording what goes wrong."""
    context = browser.new_context(**options)
    visit = Visit(context.new_page())

    def only_the_site(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            visit.problems.append(f"request outside the site: {route.request.url}")
            route.abort()

    def received(response):
        if response.status >= 400:
            visit.problems.append(f"{response.url}: HTTP {response.status}")
        elif response.url.startswith(base):  # the test server sends every file whole
            visit.sizes[response.url] = int(response.headers.get("content-length", 0))

    context.route("**/*", only_the_site)
    page = visit.page
    page.on("console", lambda message: message.type == "error"
            and visit.problems.append(f"console error: {message.text}"))
    page.on("pageerror", lambda error: visit.problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda request: request.url.startswith(base)
            and visit.problems.append(f"failed request: {request.url} ({request.failure})"))
    page.on("response", received)
    response = page.goto(base + path, wait_until="networkidle")
    assert response is not None and response.ok
    return visit


@pytest.fixture
def draw(site, browser):
    """The draw page, open, with its first model loaded; closed after the test."""
    _, base = site
    visit = open_page(browser, base, viewport={"width": 1280, "height": 1000})
    visit.page.wait_for_function(
        "() => document.getElementById('digit-model-accuracy').textContent !== ''")
    yield visit
    visit.page.context.close()


@pytest.fixture(scope="module")
def models():
    """Each exported model: its manifest and the Keras model rebuilt from its files."""
    return {name: (json.loads((EXPORT_DIR / f"{name}.json").read_text()),
                   load_exported(EXPORT_DIR / f"{name}.json")) for name in MODEL_NAMES}


def in_box(strokes, left: float, top: float, size: float) -> list[list[list[float]]]:
    """The strokes of a unit box, moved into a square of ``size`` at (left, top)."""
    return [[[left + size * x, top + size * y] for x, y in stroke] for stroke in strokes]


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_predict_agrees_with_keras_and_scores_the_manifest_accuracy(draw, models, mnist,
                                                                     name):
    _, (x_test, y_test) = mnist
    manifest, model = models[name]
    scale = scale_pixels(np.arange(256, dtype=np.uint8))
    result = draw.page.evaluate(PREDICT_ALL, {
        "name": name, "pixels": base64.b64encode(x_test.tobytes()).decode(),
        "scale": scale.tolist(), "keep": 1000})
    keras_probabilities = probabilities(model, manifest, scale_pixels(x_test))
    in_browser = np.array(result["probabilities"]).reshape(1000, 10)
    gap = np.abs(in_browser - keras_probabilities[:1000]).max()
    predictions = np.array(result["predictions"])
    accuracy = float((predictions == y_test).mean())
    keras_accuracy = float((keras_probabilities.argmax(axis=1) == y_test).mean())
    print(f"\n{name}: max |browser - Keras| probability on 1,000 digits {gap:.1e}; "
          f"accuracy on 10,000: browser {accuracy:.4f}, Keras {keras_accuracy:.4f}, "
          f"manifest {manifest['test_accuracy']:.4f}; "
          f"{result['ms'] / len(x_test):.2f} ms per digit in the browser")
    assert gap < 1e-4
    assert accuracy == keras_accuracy == manifest["test_accuracy"]
    assert draw.problems == []


def test_every_layer_option_the_exporter_accepts_runs_as_in_keras(draw, book_build,
                                                                   tmp_path):
    """Strides, "same" pooling, a convolution without bias, softmax out: a small random
    model, exported into the served site for this test only."""
    html, _ = book_build
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(2)
    model = small_cnn()
    export_for_browser(model, tmp_path, "test-every-option", test_accuracy=0)
    served = [html / "_static" / "models" / path.name for path in tmp_path.iterdir()]
    try:
        for path in served:
            path.write_bytes((tmp_path / path.name).read_bytes())
        digits = np.random.default_rng(3).random((20, 28, 28), dtype=np.float32)
        in_browser = draw.page.evaluate(
            """async (digits) => Promise.all(digits.map((digit) =>
                window.digitDemo.predict("test-every-option", Float32Array.from(digit))))""",
            digits.reshape(20, 784).tolist())
    finally:
        for path in served:
            path.unlink(missing_ok=True)
    np.testing.assert_allclose(in_browser, model.predict(digits, verbose=0), atol=1e-5)
    assert draw.problems == []


def drawings() -> list[dict]:
    """Pictures for the preprocessing comparison, each drawn by the browser's canvas."""
    base = {"width": CANVAS_SIDE, "height": CANVAS_SIDE, "paper": "#ffffff",
            "ink": "#000000", "lineWidth": 18}
    cases = [
        ("seven", {"strokes": in_box(DIGITS[7], 50, 40, 190)}),
        ("tiny two", {"strokes": in_box(DIGITS[2], 130, 120, 14), "lineWidth": 3}),
        ("tiny one in a corner", {"strokes": in_box(DIGITS[1], 250, 4, 22), "lineWidth": 4}),
        ("a dot", {"strokes": [[[140, 140], [140, 140]]], "lineWidth": 12}),
        ("huge eight over the edges", {"strokes": in_box(DIGITS[8], -60, -50, 400),
                                       "lineWidth": 40}),
        ("huge zero", {"strokes": in_box(DIGITS[0], -5, -5, 290), "lineWidth": 30}),
        ("three top left", {"strokes": in_box(DIGITS[3], 0, 0, 100)}),
        ("four bottom right", {"strokes": in_box(DIGITS[4], 175, 170, 105)}),
        ("six at the left edge", {"strokes": in_box(DIGITS[6], -30, 60, 150)}),
        ("thin five", {"strokes": in_box(DIGITS[5], 60, 50, 170), "lineWidth": 1}),
        ("thick nine", {"strokes": in_box(DIGITS[9], 40, 30, 200), "lineWidth": 45}),
        ("wide one", {"strokes": [[[20, 140], [260, 150]]], "lineWidth": 10}),
        ("tall one", {"strokes": [[[139, 5], [141, 275]]], "lineWidth": 2}),
        ("transparent page", {"strokes": in_box(DIGITS[2], 50, 50, 180), "paper": None}),
        ("light on dark", {"strokes": in_box(DIGITS[3], 50, 50, 180), "paper": "#101018",
                           "ink": "#f0f0f0"}),
        ("half-transparent ink", {"strokes": in_box(DIGITS[4], 50, 50, 180),
                                  "paper": None, "ink": "rgba(0, 0, 0, 0.5)"}),
        ("blue ink on yellow", {"strokes": in_box(DIGITS[5], 40, 40, 200),
                                "paper": "#ffe628", "ink": "#141ec8"}),
        ("pencil on grey", {"strokes": in_box(DIGITS[6], 40, 40, 200), "paper": "#b3b3b3",
                            "ink": "#4d4d4d", "lineWidth": 8}),
        ("small page", {"width": 60, "height": 90, "strokes": in_box(DIGITS[7], 5, 20, 50),
                        "lineWidth": 5}),
        ("560 x 560", {"width": 560, "height": 560, "strokes": in_box(DIGITS[9], 80, 80, 400),
                       "lineWidth": 36}),
        ("photo 1600 x 1200", {"width": 1600, "height": 1200, "paper": None,
                               "gradient": ["#f4f1e8", "#c9c4b6"], "ink": "#1b2a5a",
                               "strokes": in_box(DIGITS[8], 500, 250, 700), "lineWidth": 60}),
        ("photo 2001 x 999", {"width": 2001, "height": 999, "paper": None,
                              "gradient": ["#ffffff", "#dddddd"], "ink": "#333333",
                              "strokes": in_box(DIGITS[0], 1200, 100, 800), "lineWidth": 70}),
        ("blank page", {"strokes": []}),
        ("grey page", {"strokes": [], "paper": "#808080"}),
    ]
    return [{"name": name, **base, **case} for name, case in cases]


def test_preprocess_matches_preprocess_digit_on_canvas_drawings(draw):
    worst, compared, slowest = 0, 0, 0.0
    for drawing in drawings():
        result = draw.page.evaluate(DRAW_AND_PREPROCESS, drawing)
        rgba = np.frombuffer(base64.b64decode(result["rgba"]), np.uint8)
        rgba = rgba.reshape(drawing["height"], drawing["width"], 4)
        try:
            expected = preprocess_digit(rgba)
        except ValueError as error:
            assert "blank" in str(error)
            assert result["pixels"] is None, f"{drawing['name']}: blank in Python, not in JS"
            continue
        assert result["pixels"] is not None, f"{drawing['name']}: blank in JS only"
        in_browser = np.array(result["pixels"]).reshape(28, 28)
        levels = np.abs(np.round(in_browser * 255) - np.round(expected * 255)).max()
        assert levels <= 1, f"{drawing['name']}: {levels} grey levels apart"
        worst = max(worst, float(np.abs(in_browser - expected).max()))
        compared += 1
        slowest = max(slowest, result["ms"])
    print(f"\npreprocess: {compared} drawings, max |browser - Python| {worst:.1e}, "
          f"slowest {slowest:.0f} ms")
    assert compared >= 20
    assert draw.problems == []


def write(page, strokes, box) -> None:
    """Write strokes (unit-box points) on the canvas with the mouse, one stroke at a time,
    waiting after each for the page to update its answer."""
    left, top, side = box
    for stroke in strokes:
        before = page.evaluate(PREDICTION)["probabilities"]
        points = [(left + side * (0.1 + 0.8 * x), top + side * (0.1 + 0.8 * y))
                  for x, y in stroke]
        page.mouse.move(*points[0])
        page.mouse.down()
        for start, end in zip(points, points[1:], strict=False):
            steps = max(1, int(np.hypot(end[0] - start[0], end[1] - start[1]) / 6))
            page.mouse.move(*end, steps=steps)
        page.mouse.up()
        page.wait_for_function(CHANGED, arg=before)


def choose_model(page, name: str) -> None:
    before = page.evaluate(PREDICTION)["probabilities"]
    page.select_option("#digit-model", name)
    page.wait_for_function(CHANGED, arg=before)


def test_digits_written_with_the_mouse_are_recognised(draw):
    page = draw.page
    page.evaluate(MEASURE_LATENCY)
    canvas = page.locator("#digit-canvas").bounding_box()
    box = (canvas["x"], canvas["y"], canvas["width"])
    read = {}
    for digit, strokes in DIGITS.items():
        first, second = ("cnn", "mlp") if digit % 2 == 0 else ("mlp", "cnn")
        page.click("#digit-clear")
        page.select_option("#digit-model", first)  # on a blank canvas: nothing to wait for
        write(page, strokes, box)
        read[digit] = {first: page.evaluate(PREDICTION)["digit"]}
        choose_model(page, second)
        read[digit][second] = page.evaluate(PREDICTION)["digit"]
    latencies = page.evaluate("() => window.strokeLatencies")
    print(f"\nfrom the end of a stroke to updated bars: median "
          f"{statistics.median(latencies):.1f} ms, max {max(latencies):.1f} ms "
          f"over {len(latencies)} strokes")
    assert read == {digit: {"cnn": str(digit), "mlp": str(digit)} for digit in DIGITS}
    assert len(latencies) == sum(len(strokes) for strokes in DIGITS.values())
    assert statistics.median(latencies) < 100
    assert draw.problems == []


def test_a_finger_draws_without_scrolling_the_page_and_sees_the_answer_under_it(site, browser):
    _, base = site
    phone = {"width": 390, "height": 844}
    visit = open_page(browser, base, viewport=phone, has_touch=True, is_mobile=True)
    page = visit.page
    page.locator("#digit-canvas").scroll_into_view_if_needed()
    scrolled = page.evaluate("() => window.scrollY")
    canvas = page.locator("#digit-canvas").bounding_box()
    points = [(canvas["x"] + canvas["width"] * (0.1 + 0.8 * x),
               canvas["y"] + canvas["height"] * (0.1 + 0.8 * y))
              for x, y in np.linspace(DIGITS[1][0][0], DIGITS[1][0][1], 30)]
    touch = page.context.new_cdp_session(page)  # a real touch, as a phone sends it
    before = page.evaluate(PREDICTION)["probabilities"]
    for kind, (x, y) in zip(["touchStart"] + ["touchMove"] * 29, points, strict=True):
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_function(CHANGED, arg=before)
    assert page.evaluate(PREDICTION)["digit"] == "1"
    assert page.evaluate("() => window.scrollY") == scrolled
    answer = page.locator("#digit-prediction").bounding_box()
    bars = page.locator("#digit-bars").bounding_box()
    canvas = page.locator("#digit-canvas").bounding_box()
    assert 0 <= answer["y"] - (canvas["y"] + canvas["height"]) <= 40  # right under the canvas
    assert bars["y"] + bars["height"] - canvas["y"] <= phone["height"] - 100  # one screen
    assert visit.problems == []
    page.context.close()


def test_a_blank_canvas_predicts_nothing_and_clear_empties_the_page(draw):
    page = draw.page
    empty = {"digit": "", "probabilities": json.dumps([0] * 10).replace(" ", "")}
    assert page.evaluate(PREDICTION) == empty
    assert set(page.evaluate(PREVIEW)) == {0}  # all black
    assert page.eval_on_selector("#digit-canvas", "e => getComputedStyle(e).touchAction") == \
        "none"
    assert page.eval_on_selector_all("#digit-model option", "os => os.map(o => o.value)") \
        == ["cnn", "mlp"]
    assert page.locator("#digit-bars .digit-bar").count() == 10
    canvas = page.locator("#digit-canvas").bounding_box()
    write(page, DIGITS[7], (canvas["x"], canvas["y"], canvas["width"]))
    shown = page.evaluate(PREDICTION)
    assert shown["digit"] == "7"
    assert sum(json.loads(shown["probabilities"])) == pytest.approx(1)
    assert max(page.evaluate(PREVIEW)) == 255  # the strongest ink is 1
    page.click("#digit-clear")
    page.wait_for_function("() => document.getElementById('digit-prediction')"
                           ".dataset.digit === ''")
    assert page.evaluate(PREDICTION) == empty
    assert set(page.evaluate(PREVIEW)) == {0}
    assert draw.problems == []


def test_a_photo_from_the_file_input_is_read_like_preprocess_digit_reads_it(draw):
    from PIL import Image, ImageDraw

    photo = Image.new("RGB", (1400, 1050), "#e9e5da")  # paper, a little grey
    pen = ImageDraw.Draw(photo)
    for stroke in in_box(DIGITS[4], 400, 200, 650):
        pen.line([tuple(point) for point in stroke], fill="#20203a", width=55, joint="curve")
    png = io.BytesIO()
    photo.save(png, format="PNG")
    before = draw.page.evaluate(PREDICTION)["probabilities"]
    draw.page.set_input_files("#digit-file", files=[
        {"name": "four.png", "mimeType": "image/png", "buffer": png.getvalue()}])
    draw.page.wait_for_function(CHANGED, arg=before)
    assert draw.page.evaluate(PREDICTION)["digit"] == "4"
    expected = np.round(preprocess_digit(np.asarray(photo.convert("RGBA"))) * 255)
    preview = np.array(draw.page.evaluate(PREVIEW)).reshape(28, 28)
    assert np.abs(preview - expected).max() <= 1
    assert draw.problems == []


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_page_reads_well_in_both_themes(draw, mode):
    page = draw.page
    page.evaluate(f"() => document.documentElement.dataset.theme = '{mode}'")
    canvas = page.locator("#digit-canvas").bounding_box()
    write(page, DIGITS[3], (canvas["x"], canvas["y"], canvas["width"]))
    for selector in ("#digit-prediction", ".digit-bar-label", ".digit-bar-value",
                     "#digit-model", "#digit-clear", "label[for=digit-model]"):
        assert page.evaluate(CONTRAST, selector) >= 4.5, (mode, selector)
    folder = ROOT / "_build" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.locator(".digit-demo").screenshot(path=str(folder / f"draw-{mode}.png"))
    assert draw.problems == []


def test_the_download_is_small(site, browser):
    _, base = site
    visit = open_page(browser, base)
    visit.page.wait_for_function(
        "() => document.getElementById('digit-model-accuracy').textContent !== ''")
    first = sum(visit.sizes.values())
    with visit.page.expect_response(lambda response: response.url.endswith("/mlp.bin")) as mlp:
        visit.page.select_option("#digit-model", "mlp")
    mlp.value.finished()
    total = sum(visit.sizes.values())
    own = {url.removeprefix(base): size for url, size in visit.sizes.items()
           if "/_static/draw/" in url or "/_static/models/" in url}
    print(f"\ndownload: {first:,} bytes on opening the page (CNN), {total:,} bytes with "
          f"both models; the page's own files: {own}")
    assert len(own) == 6  # draw.js, draw.css and two files per model
    assert all(size < 1_000_000 for size in own.values())
    assert sum(own.values()) < 1_400_000
    assert visit.problems == []
    visit.page.context.close()


def test_the_page_script_loads_on_the_draw_page_only(book_build):
    html, _ = book_build
    pages = [path for path in html.rglob("*.html")
             if not path.relative_to(html).as_posix().startswith(("_static/", "_sources/"))]
    loading = sorted(path.relative_to(html).as_posix() for path in pages
                     if "_static/draw/" in path.read_text(encoding="utf-8"))
    assert loading == [PAGE]
    text = (html / PAGE).read_text(encoding="utf-8")
    assert "draw/draw.js" in text and "draw/draw.css" in text
