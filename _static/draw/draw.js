/*
 * "Draw a digit": the book's models, run in the reader's browser.
 *
 * Two parts, in plain JavaScript with no dependency:
 *  - `preprocess` repeats mnist_book.preprocess_digit step by step, down to the float32
 *    rounding of every operation and the order NumPy and Pillow add numbers in, so that
 *    a drawing becomes the very same 28 x 28 input in the browser as in Python;
 *  - `predict` runs a model exported by mnist_book.export_for_browser: dense, conv2d,
 *    max pooling, flatten and reshape layers in Keras' channels-last layout.
 * The page's controls (canvas, model picker, preview, bars) use both; tests drive the
 * page through `window.digitDemo` and the element ids the page defines.
 */
"use strict";

(() => {
  const f32 = Math.fround;

  // ---- Preprocessing: the steps of mnist_book.preprocess_digit ----------------------

  const SIDE = 28; // MNIST's frame
  const DIGIT_BOX = 20; // the digit's longer side in it
  const MAX_WORKING_SIDE = 560; // larger images are shrunk first
  const LUMA = [f32(0.299), f32(0.587), f32(0.114)]; // float32, as in NumPy
  const MIN_CONTRAST = f32(0.05);
  const INK_THRESHOLD = f32(0.2);
  const BYTE_TO_UNIT = Float32Array.from({length: 256}, (_, value) => value / 255);

  /** Python's round(): halves go to the even neighbour. */
  function roundHalfEven(x) {
    const floor = Math.floor(x);
    const rest = x - floor;
    if (rest !== 0.5) return rest < 0.5 ? floor : floor + 1;
    return floor % 2 === 0 ? floor : floor + 1;
  }

  /**
   * NumPy's sum of the n numbers at `start`, `start + step`, ... of `values`: pairwise
   * summation with eight accumulators, each addition rounded with `round` (Math.fround
   * for a float32 array, nothing for a float64 one).
   */
  function numpySum(values, start, n, step, round) {
    const at = (i) => values[start + i * step];
    if (n < 8) {
      let sum = -0;
      for (let i = 0; i < n; i++) sum = round(sum + at(i));
      return sum;
    }
    if (n <= 128) {
      const r = [0, 1, 2, 3, 4, 5, 6, 7].map(at);
      let i = 8;
      for (; i < n - (n % 8); i += 8) {
        for (let j = 0; j < 8; j++) r[j] = round(r[j] + at(i + j));
      }
      let sum = round(round(round(r[0] + r[1]) + round(r[2] + r[3])) +
                      round(round(r[4] + r[5]) + round(r[6] + r[7])));
      for (; i < n; i++) sum = round(sum + at(i));
      return sum;
    }
    let half = Math.floor(n / 2);
    half -= half % 8;
    return round(numpySum(values, start, half, step, round) +
                 numpySum(values, start + half * step, n - half, step, round));
  }

  const sumFloat32 = (values, start, n, step) => numpySum(values, start, n, step, f32);
  const sumFloat64 = (values) => numpySum(values, 0, values.length, 1, (x) => x);

  /**
   * Pillow's Image.reduce(factor) of an RGBA image: colours premultiplied by their
   * opacity, factor x factor blocks averaged (edge blocks over the pixels they hold)
   * with Pillow's integer rounding, then divided by the opacity again.
   */
  function reduceRGBA(rgba, width, height, factor) {
    const premultiplied = new Uint8ClampedArray(rgba.length);
    for (let i = 0; i < rgba.length; i += 4) {
      const alpha = rgba[i + 3];
      for (let c = 0; c < 3; c++) {
        const t = rgba[i + c] * alpha + 128; // Pillow's MULDIV255
        premultiplied[i + c] = ((t >> 8) + t) >> 8;
      }
      premultiplied[i + 3] = alpha;
    }
    const outWidth = Math.ceil(width / factor);
    const outHeight = Math.ceil(height / factor);
    const out = new Uint8ClampedArray(outWidth * outHeight * 4);
    const sums = new Float64Array(4);
    for (let y = 0; y < outHeight; y++) {
      const rows = Math.min(factor, height - y * factor);
      for (let x = 0; x < outWidth; x++) {
        const columns = Math.min(factor, width - x * factor);
        const count = rows * columns;
        // Pillow: (sum + count / 2) * multiplier >> 24, multiplier = 2^32 / (256 count)
        const multiplier = Math.trunc(f32(4294967296 / (256 * count)));
        sums.fill(Math.floor(count / 2));
        for (let dy = 0; dy < rows; dy++) {
          let i = ((y * factor + dy) * width + x * factor) * 4;
          for (let dx = 0; dx < columns; dx++, i += 4) {
            for (let c = 0; c < 4; c++) sums[c] += premultiplied[i + c];
          }
        }
        const o = (y * outWidth + x) * 4;
        for (let c = 0; c < 4; c++) { // C's unsigned 32-bit product, shifted right by 24
          out[o + c] = Math.floor(((sums[c] * multiplier) % 4294967296) / 16777216);
        }
        const alpha = out[o + 3];
        if (alpha !== 0 && alpha !== 255) { // Pillow's RGBa to RGBA: colour / opacity
          for (let c = 0; c < 3; c++) {
            out[o + c] = Math.min(255, Math.floor(255 * out[o + c] / alpha));
          }
        }
      }
    }
    return {data: out, width: outWidth, height: outHeight};
  }

  /** The float32 grey image in 0-1, transparent pixels composited onto white paper. */
  function toGrey(rgba, width, height) {
    const grey = new Float32Array(width * height);
    for (let p = 0, i = 0; p < grey.length; p++, i += 4) {
      const red = BYTE_TO_UNIT[rgba[i]];
      const green = BYTE_TO_UNIT[rgba[i + 1]];
      const blue = BYTE_TO_UNIT[rgba[i + 2]];
      const opacity = BYTE_TO_UNIT[rgba[i + 3]];
      const luma = f32(f32(f32(red * LUMA[0]) + f32(green * LUMA[1])) + f32(blue * LUMA[2]));
      grey[p] = f32(f32(luma * opacity) + f32(1 - opacity));
    }
    return grey;
  }

  /** How much each pixel differs from the paper on the ink's side, or null if blank. */
  function inkOnBlack(grey, width, height) {
    const border = [];
    for (let x = 0; x < width; x++) border.push(grey[x], grey[(height - 1) * width + x]);
    for (let y = 0; y < height; y++) border.push(grey[y * width], grey[y * width + width - 1]);
    border.sort((a, b) => a - b);
    const middle = border.length >> 1;
    const paper = border.length % 2 ? border[middle]
      : f32(f32(border[middle - 1] + border[middle]) / 2); // np.median: a float32 mean
    let lowest = Infinity;
    let highest = -Infinity;
    for (const value of grey) {
      lowest = Math.min(lowest, value);
      highest = Math.max(highest, value);
    }
    const darkerInk = f32(paper - lowest);
    const lighterInk = f32(highest - paper);
    if (Math.max(darkerInk, lighterInk) < MIN_CONTRAST) return null;
    const darkInk = darkerInk > lighterInk;
    return grey.map((value) => Math.max(0, darkInk ? paper - value : value - paper));
  }

  /** The bounding box of the pixels above 0.2 of the strongest ink, cut out. */
  function cropToInk(ink, width, height) {
    let strongest = 0;
    for (const value of ink) strongest = Math.max(strongest, value);
    const threshold = f32(INK_THRESHOLD * strongest);
    let top = height, bottom = -1, left = width, right = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (ink[y * width + x] > threshold) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
          left = Math.min(left, x);
          right = Math.max(right, x);
        }
      }
    }
    const cropWidth = right - left + 1;
    const cropHeight = bottom - top + 1;
    const crop = new Float32Array(cropWidth * cropHeight);
    for (let y = 0; y < cropHeight; y++) {
      const row = (top + y) * width;
      crop.set(ink.subarray(row + left, row + right + 1), y * cropWidth);
    }
    return {data: crop, width: cropWidth, height: cropHeight};
  }

  /**
   * Pillow's bilinear resampling coefficients for one axis (precompute_coeffs in
   * Resample.c): a triangle filter widened by the scale when shrinking (antialiasing),
   * normalised to sum to 1 for each output pixel.
   */
  function bilinearCoefficients(inSize, outSize) {
    const scale = inSize / outSize;
    const filterScale = Math.max(scale, 1);
    const support = filterScale; // the triangle's support is 1
    const inverse = 1 / filterScale;
    const taps = [];
    for (let xx = 0; xx < outSize; xx++) {
      const center = (xx + 0.5) * scale;
      const first = Math.max(0, Math.trunc(center - support + 0.5));
      const end = Math.min(inSize, Math.trunc(center + support + 0.5));
      const weights = [];
      let total = 0;
      for (let x = first; x < end; x++) {
        const distance = Math.abs((x - center + 0.5) * inverse);
        const weight = distance < 1 ? 1 - distance : 0;
        weights.push(weight);
        total += weight;
      }
      taps.push({first, weights: total === 0 ? weights : weights.map((w) => w / total)});
    }
    return taps;
  }

  /** One pass of Pillow's resampling along rows (horizontal) or columns (vertical). */
  function resamplePass(image, taps, horizontal, firstRow = 0, rows = image.height) {
    const {data, width} = image;
    const outWidth = horizontal ? taps.length : width;
    const outHeight = horizontal ? rows : taps.length;
    const out = new Float32Array(outWidth * outHeight); // Pillow stores float32 too
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        const {first, weights} = taps[horizontal ? x : y];
        let sum = 0;
        for (let k = 0; k < weights.length; k++) {
          const pixel = horizontal ? (firstRow + y) * width + first + k
            : (first - firstRow + k) * width + x;
          sum += data[pixel] * weights[k];
        }
        out[y * outWidth + x] = sum;
      }
    }
    return {data: out, width: outWidth, height: outHeight};
  }

  /**
   * Pillow's resize(..., BILINEAR) of a float32 ("F") image (ImagingResampleInner in
   * Pillow 13's Resample.c): two passes, vertical first when the height shrinks by more
   * than twice as many pixels as the width; the horizontal-first order only resamples
   * the rows the vertical pass will read.
   */
  function resizeBilinear(image, outWidth, outHeight) {
    const {width, height} = image;
    const needHorizontal = outWidth !== width;
    const needVertical = outHeight !== height;
    const rowTaps = bilinearCoefficients(height, outHeight);
    const columnTaps = bilinearCoefficients(width, outWidth);
    const shrink = height - outHeight;
    if (shrink > 0 && shrink > (width - outWidth) * 2) { // vertical pass first
      const once = needVertical ? resamplePass(image, rowTaps, false) : image;
      return needHorizontal ? resamplePass(once, columnTaps, true) : once;
    }
    if (!needHorizontal) return needVertical ? resamplePass(image, rowTaps, false) : image;
    const firstRow = rowTaps[0].first;
    const last = rowTaps[outHeight - 1];
    const rows = last.first + last.weights.length - firstRow;
    const once = resamplePass(image, columnTaps, true, firstRow, rows);
    return needVertical ? resamplePass(once, rowTaps, false, firstRow) : once;
  }

  /** Resize so that the longer side is 20 pixels, keeping the aspect ratio. */
  function fitInBox(crop) {
    const scale = DIGIT_BOX / Math.max(crop.width, crop.height);
    const height = Math.max(1, roundHalfEven(crop.height * scale));
    const width = Math.max(1, roundHalfEven(crop.width * scale));
    return resizeBilinear(crop, width, height);
  }

  /** The offset that brings a profile's centre of mass nearest the frame's centre. */
  function offsetCentringMass(profile) {
    const moment = sumFloat64(Array.from(profile, (value, index) => value * index));
    const centreOfMass = moment / sumFloat32(profile, 0, profile.length, 1);
    const offset = roundHalfEven(SIDE / 2 - centreOfMass);
    return Math.min(Math.max(offset, 0), SIDE - profile.length);
  }

  /** Place the digit in 28 x 28 with its centre of mass in the middle; strongest ink 1. */
  function frameByCentreOfMass(digit) {
    const {data, width, height} = digit;
    // NumPy: digit.sum(axis=1) sums each row pairwise; digit.sum(axis=0) adds the rows
    // one after the other, unless the digit is one pixel wide (then pairwise too).
    const rowSums = Float32Array.from({length: height},
      (_, y) => sumFloat32(data, y * width, width, 1));
    const columnSums = Float32Array.from({length: width}, (_, x) => {
      if (width === 1) return sumFloat32(data, 0, height, 1);
      let sum = -0;
      for (let y = 0; y < height; y++) sum = f32(sum + data[y * width + x]);
      return sum;
    });
    const top = offsetCentringMass(rowSums);
    const left = offsetCentringMass(columnSums);
    const framed = new Float32Array(SIDE * SIDE);
    for (let y = 0; y < height; y++) {
      framed.set(data.subarray(y * width, (y + 1) * width), (top + y) * SIDE + left);
    }
    let strongest = 0;
    for (const value of framed) strongest = Math.max(strongest, value);
    return framed.map((value) => Math.min(1, Math.max(0, value / strongest)));
  }

  /**
   * Turn a picture (an ImageData, or anything with RGBA `data`, `width` and `height`)
   * into the 784 values a model sees, as mnist_book.preprocess_digit does; null when
   * the picture is blank.
   */
  function preprocess(imageData) {
    let {data, width, height} = imageData;
    if (!(width > 0 && height > 0) || data.length !== width * height * 4) {
      throw new TypeError(`preprocess: expected RGBA pixels of ${width} x ${height}, ` +
                          `got ${data.length} values`);
    }
    const factor = Math.ceil(Math.max(width, height) / MAX_WORKING_SIDE);
    if (factor > 1) ({data, width, height} = reduceRGBA(data, width, height, factor));
    const ink = inkOnBlack(toGrey(data, width, height), width, height);
    if (ink === null) return null;
    return frameByCentreOfMass(fitInBox(cropToInk(ink, width, height)));
  }

  // ---- Models: load the exported weights, run the layers ---------------------------

  const scriptUrl = document.currentScript ? document.currentScript.src : location.href;
  const MODELS_URL = new URL("../models/", scriptUrl);
  const loaded = new Map(); // model name -> Promise of {manifest, layers}

  function loadModel(name) {
    if (!loaded.has(name)) {
      loaded.set(name, fetchModel(name).catch((error) => {
        loaded.delete(name); // try again next time
        throw error;
      }));
    }
    return loaded.get(name);
  }

  async function fetchModel(name) {
    const fetchOk = async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return response;
    };
    const manifest = await (await fetchOk(new URL(`${name}.json`, MODELS_URL))).json();
    if (manifest.format_version !== 1 || manifest.dtype !== "float32") {
      throw new Error(`${name}: unsupported weights format ${manifest.format_version}`);
    }
    const weights = await fetchOk(new URL(manifest.weights_file, MODELS_URL));
    const buffer = await weights.arrayBuffer();
    if (buffer.byteLength !== manifest.weights_bytes) {
      throw new Error(`${name}: expected ${manifest.weights_bytes} bytes of weights, ` +
                      `got ${buffer.byteLength}`);
    }
    const view = new DataView(buffer);
    const read = ({offset, shape}) => { // little-endian float32, whatever the platform
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(offset + 4 * i, true);
      return values;
    };
    const layers = manifest.layers.map((layer) => ({
      ...layer,
      kernelValues: layer.kernel ? read(layer.kernel) : null,
      biasValues: layer.bias ? read(layer.bias) : null,
    }));
    return {manifest, layers};
  }

  const size = (shape) => shape.reduce((a, b) => a * b, 1);

  function activate(values, activation) {
    if (activation === "relu") {
      for (let i = 0; i < values.length; i++) values[i] = Math.max(0, values[i]);
    } else if (activation === "softmax") {
      softmaxInPlace(values);
    } else if (activation !== "linear") {
      throw new Error(`unsupported activation ${activation}`);
    }
    return values;
  }

  function softmaxInPlace(values) {
    const highest = Math.max(...values);
    let total = 0;
    for (let i = 0; i < values.length; i++) total += (values[i] = Math.exp(values[i] - highest));
    for (let i = 0; i < values.length; i++) values[i] /= total;
    return values;
  }

  /** Dense: out[j] = bias[j] + sum_i in[i] kernel[i, j], kernel of shape (inputs, units). */
  function dense(input, layer) {
    const units = layer.units;
    const out = new Float64Array(units);
    if (layer.biasValues) out.set(layer.biasValues);
    const kernel = layer.kernelValues;
    for (let i = 0; i < input.length; i++) {
      const value = input[i];
      if (value === 0) continue; // most pixels of a digit are 0
      const row = i * units;
      for (let j = 0; j < units; j++) out[j] += value * kernel[row + j];
    }
    return activate(out, layer.activation);
  }

  /** Rows of output and padding before the first, as TensorFlow's "same" and "valid". */
  function outputSize(inSize, window, stride, padding) {
    if (padding === "valid") return {out: Math.floor((inSize - window) / stride) + 1, before: 0};
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + window - inSize, 0);
    return {out, before: Math.floor(total / 2)};
  }

  /** Conv2D, channels last: input (H, W, C), kernel (kh, kw, C, F), output (OH, OW, F). */
  function conv2d(input, layer) {
    const [height, width, channels] = layer.input_shape;
    const [kh, kw] = layer.kernel_size;
    const [sh, sw] = layer.strides;
    const filters = layer.filters;
    const rows = outputSize(height, kh, sh, layer.padding);
    const columns = outputSize(width, kw, sw, layer.padding);
    const kernel = layer.kernelValues;
    const out = new Float64Array(rows.out * columns.out * filters);
    const sums = new Float64Array(filters);
    for (let oy = 0; oy < rows.out; oy++) {
      for (let ox = 0; ox < columns.out; ox++) {
        if (layer.biasValues) sums.set(layer.biasValues); else sums.fill(0);
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky - rows.before;
          if (iy < 0 || iy >= height) continue;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw + kx - columns.before;
            if (ix < 0 || ix >= width) continue;
            const pixel = (iy * width + ix) * channels;
            const tap = (ky * kw + kx) * channels;
            for (let c = 0; c < channels; c++) {
              const value = input[pixel + c];
              if (value === 0) continue;
              const weights = (tap + c) * filters;
              for (let f = 0; f < filters; f++) sums[f] += value * kernel[weights + f];
            }
          }
        }
        out.set(sums, (oy * columns.out + ox) * filters);
      }
    }
    return activate(out, layer.activation);
  }

  /** MaxPooling2D, channels last; "same" padding ignores the pixels outside. */
  function maxpool(input, layer) {
    const [height, width, channels] = layer.input_shape;
    const [ph, pw] = layer.pool_size;
    const [sh, sw] = layer.strides;
    const rows = outputSize(height, ph, sh, layer.padding);
    const columns = outputSize(width, pw, sw, layer.padding);
    const out = new Float64Array(rows.out * columns.out * channels).fill(-Infinity);
    for (let oy = 0; oy < rows.out; oy++) {
      for (let ox = 0; ox < columns.out; ox++) {
        const o = (oy * columns.out + ox) * channels;
        for (let dy = 0; dy < ph; dy++) {
          const iy = oy * sh + dy - rows.before;
          if (iy < 0 || iy >= height) continue;
          for (let dx = 0; dx < pw; dx++) {
            const ix = ox * sw + dx - columns.before;
            if (ix < 0 || ix >= width) continue;
            const i = (iy * width + ix) * channels;
            for (let c = 0; c < channels; c++) out[o + c] = Math.max(out[o + c], input[i + c]);
          }
        }
      }
    }
    return out;
  }

  const RUN = {dense, conv2d, maxpool, flatten: (x) => x, reshape: (x) => x};

  /** Run the model's layers on one input; return its ten probabilities. */
  function forward(model, pixels) {
    let values = pixels;
    for (const layer of model.layers) {
      values = RUN[layer.kind](values, layer);
      if (values.length !== size(layer.output_shape)) {
        throw new Error(`${layer.name}: expected ${size(layer.output_shape)} outputs, ` +
                        `got ${values.length}`);
      }
    }
    const outputs = Float64Array.from(values);
    if (model.manifest.outputs === "logits") softmaxInPlace(outputs);
    return Array.from(outputs);
  }

  /**
   * The model's ten probabilities for 784 pixel values in 0-1 (28 x 28, row by row,
   * ink bright), e.g. the output of `preprocess`.
   */
  async function predict(name, pixels) {
    const model = await loadModel(name);
    const expected = size(model.manifest.input_shape);
    if (!pixels || pixels.length !== expected) {
      const got = pixels ? pixels.length : pixels;
      throw new TypeError(`predict: expected ${expected} pixel values, got ${got}`);
    }
    return forward(model, pixels);
  }

  // ---- The page -----------------------------------------------------------------------

  const INK_WIDTH = 18; // pixels of the 280 x 280 canvas: about MNIST's stroke width

  function setUpPage() {
    const canvas = document.getElementById("digit-canvas");
    if (!canvas) return; // the script is only meant for the draw page
    const clearButton = document.getElementById("digit-clear");
    const picker = document.getElementById("digit-model");
    const preview = document.getElementById("digit-preview");
    const prediction = document.getElementById("digit-prediction");
    const bars = document.getElementById("digit-bars");
    const fileInput = document.getElementById("digit-file");
    const accuracy = document.getElementById("digit-model-accuracy");
    const context = canvas.getContext("2d", {willReadFrequently: true});
    const previewContext = preview.getContext("2d");
    let picture = null; // the RGBA pixels to predict from: the canvas, or a photo
    let photoShown = false;
    let lastPoint = null;
    let request = 0; // only the latest prediction updates the page

    const barRows = Array.from({length: 10}, (_, digit) => {
      const row = document.createElement("div");
      row.className = "digit-bar";
      row.innerHTML = `<span class="digit-bar-label">${digit}</span>` +
        "<span class=\"digit-bar-track\"><span class=\"digit-bar-fill\"></span></span>" +
        "<span class=\"digit-bar-value\"></span>";
      bars.append(row);
      return row;
    });

    function paper() {
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      photoShown = false;
    }

    function showPreview(pixels) {
      const image = previewContext.createImageData(SIDE, SIDE);
      for (let i = 0; i < SIDE * SIDE; i++) {
        const level = pixels ? Math.round(pixels[i] * 255) : 0;
        image.data.set([level, level, level, 255], i * 4);
      }
      previewContext.putImageData(image, 0, 0);
    }

    function showProbabilities(probabilities) {
      const best = probabilities ? probabilities.indexOf(Math.max(...probabilities)) : -1;
      barRows.forEach((row, digit) => {
        const share = probabilities ? probabilities[digit] : 0;
        row.classList.toggle("digit-bar-best", digit === best);
        row.querySelector(".digit-bar-fill").style.width = `${(100 * share).toFixed(1)}%`;
        row.querySelector(".digit-bar-value").textContent =
          probabilities ? `${(100 * share).toFixed(1)} %` : "";
      });
      prediction.textContent = probabilities
        ? `It looks like a ${best} (${(100 * probabilities[best]).toFixed(1)} % sure).`
        : "Nothing to read yet: write a digit in the box.";
      prediction.classList.remove("digit-error");
      prediction.dataset.digit = probabilities ? String(best) : "";
      prediction.dataset.probabilities = JSON.stringify(probabilities || Array(10).fill(0));
    }

    function showError(error) {
      prediction.textContent = location.protocol === "file:"
        ? "Your browser does not let a page opened as a file load the models. Serve the " +
          "book instead, e.g. python -m http.server --directory _build/html, and open " +
          "this page from there."
        : `The model could not run: ${error.message}`;
      prediction.classList.add("digit-error");
      console.warn(error);
    }

    async function update() {
      const ticket = ++request;
      const pixels = picture ? preprocess(picture) : null;
      showPreview(pixels);
      if (pixels === null) {
        showProbabilities(null);
        return;
      }
      try {
        const probabilities = await predict(picker.value, pixels);
        if (ticket === request) showProbabilities(probabilities);
      } catch (error) {
        showError(error);
      }
    }

    async function showAccuracy() {
      try {
        const {manifest} = await loadModel(picker.value);
        accuracy.textContent = `${(100 * manifest.test_accuracy).toFixed(2)} % of the ` +
          "10,000 test digits right";
      } catch (error) {
        showError(error);
      }
    }

    const position = (event) => {
      const box = canvas.getBoundingClientRect();
      return [(event.clientX - box.left) * canvas.width / box.width,
              (event.clientY - box.top) * canvas.height / box.height];
    };

    function drawTo(point) {
      context.beginPath();
      context.moveTo(...lastPoint);
      context.lineTo(...point);
      context.stroke();
      lastPoint = point;
    }

    canvas.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      event.preventDefault();
      try {
        canvas.setPointerCapture(event.pointerId); // keep the stroke when it leaves the box
      } catch {
        // a pointer that is already gone: draw without capture
      }
      if (photoShown) paper();
      Object.assign(context, {strokeStyle: "#000000", lineWidth: INK_WIDTH,
                              lineCap: "round", lineJoin: "round"});
      lastPoint = position(event);
      drawTo(lastPoint); // a dot, if the pointer does not move
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!lastPoint) return;
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      for (const each of events.length ? events : [event]) drawTo(position(each));
    });
    const endStroke = () => {
      if (!lastPoint) return;
      lastPoint = null;
      picture = context.getImageData(0, 0, canvas.width, canvas.height);
      update();
    };
    canvas.addEventListener("pointerup", endStroke);
    canvas.addEventListener("pointercancel", endStroke);

    clearButton.addEventListener("click", () => {
      paper();
      picture = null;
      if (fileInput) fileInput.value = "";
      update();
    });
    picker.addEventListener("change", () => {
      showAccuracy();
      update();
    });
    if (fileInput) {
      fileInput.addEventListener("change", async () => {
        const file = fileInput.files[0];
        if (!file) return;
        try {
          const bitmap = await createImageBitmap(file);
          const full = new OffscreenCanvas(bitmap.width, bitmap.height).getContext("2d");
          full.drawImage(bitmap, 0, 0);
          picture = full.getImageData(0, 0, bitmap.width, bitmap.height);
          paper(); // show the photo, fitted, where the drawing was
          const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
          const [w, h] = [bitmap.width * scale, bitmap.height * scale];
          context.drawImage(bitmap, (canvas.width - w) / 2, (canvas.height - h) / 2, w, h);
          photoShown = true;
          update();
        } catch (error) {
          showError(new Error(`${file.name} is not an image the browser can read`));
        }
      });
    }

    paper();
    showPreview(null);
    showProbabilities(null);
    showAccuracy(); // loads the chosen model; the other one loads when picked
  }

  window.digitDemo = {predict, preprocess};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpPage);
  } else {
    setUpPage();
  }
})();
