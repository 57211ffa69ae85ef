/**
 * The demo page: decode an image in the browser, trace it in a Web Worker per fit mode
 * (demo/worker.ts), and show the fit over the source with knots, the per-piece error table
 * (hover a row to highlight its piece), the red/blue overlay, the warnings and the downloads.
 */
import type { FitMode } from '../src/index.js';
import type { PieceView, TraceRequest, TraceView, WorkerMessage } from './protocol.js';

interface Source {
  name: string;
  image: ImageData;
}

const $ = <T extends Element>(sel: string, root: ParentNode = document): T => {
  const el = root.querySelector<T>(sel);
  if (!el) throw new Error(`demo: missing ${sel}`);
  return el;
};

const status = $<HTMLParagraphElement>('#status');
const results = $<HTMLElement>('#results');
const tolerance = $<HTMLInputElement>('#tolerance');
const toleranceValue = $<HTMLOutputElement>('#tolerance-value');

let source: Source | null = null;
let job = 0;
let workers: Worker[] = [];
let urls: string[] = [];

const STAGES: Record<string, [start: number, weight: number, label: string]> = {
  load: [0, 0.04, 'reading pixels'],
  contours: [0.04, 0.08, 'tracing contours'],
  corners: [0.12, 0.04, 'finding corners'],
  fit: [0.16, 0.76, 'fitting contour'],
  raster: [0.92, 0.06, 're-rendering the fit'],
  report: [0.98, 0.02, 'writing the report'],
};

function setStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

function modes(): FitMode[] {
  const v = $<HTMLInputElement>('input[name=mode]:checked').value;
  return v === 'both' ? ['conic', 'linear'] : [v as FitMode];
}

function showTolerance(): void {
  toleranceValue.value = `${Number(tolerance.value).toFixed(2)} px`;
}

// ---------------------------------------------------------------------------------------------
// Input: drop, paste, file picker, samples
// ---------------------------------------------------------------------------------------------

async function decode(blob: Blob): Promise<ImageData> {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const { width, height } = bitmap;
  const canvas =
    typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height) : Object.assign(document.createElement('canvas'), { width, height });
  const ctx = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('no 2D canvas context');
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return ctx.getImageData(0, 0, width, height);
}

async function load(blob: Blob, name: string): Promise<void> {
  setStatus(`Decoding ${name}…`);
  try {
    source = { name, image: await decode(blob) };
  } catch (err) {
    setStatus(`Could not decode ${name} as an image (PNG, JPEG or WebP): ${err instanceof Error ? err.message : String(err)}`, true);
    return;
  }
  trace();
}

function firstImage(files: FileList | DataTransferItemList | null | undefined): File | null {
  if (!files) return null;
  for (const item of Array.from(files as ArrayLike<File | DataTransferItem>)) {
    const file = item instanceof File ? item : item.kind === 'file' ? item.getAsFile() : null;
    if (file && (file.type.startsWith('image/') || file.type === '')) return file;
  }
  return null;
}

$<HTMLInputElement>('#file').addEventListener('change', (e) => {
  const file = firstImage((e.target as HTMLInputElement).files);
  if (file) void load(file, file.name);
});

document.addEventListener('paste', (e) => {
  const file = firstImage(e.clipboardData?.items);
  if (file) {
    e.preventDefault();
    void load(file, file.name && file.name !== 'image.png' ? file.name : 'pasted.png');
  }
});

document.addEventListener('dragover', (e) => {
  e.preventDefault();
  document.body.classList.add('dragging');
});
document.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) document.body.classList.remove('dragging');
});
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dragging');
  const file = firstImage(e.dataTransfer?.files);
  if (file) void load(file, file.name);
  else setStatus('That was not an image file.', true);
});

for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-sample]')) {
  button.addEventListener('click', async () => {
    const name = button.dataset.sample!;
    const response = await fetch(name);
    if (!response.ok) return setStatus(`Could not load the sample ${name}: HTTP ${response.status}`, true);
    await load(await response.blob(), name);
  });
}

for (const input of document.querySelectorAll<HTMLInputElement>('input[name=mode]')) input.addEventListener('change', () => trace());
tolerance.addEventListener('input', showTolerance);
tolerance.addEventListener('change', () => trace());
for (const input of document.querySelectorAll<HTMLInputElement>('input[name=layer]')) {
  const apply = () => {
    const cls = input.value === 'outline' ? 'show-outline' : `hide-${input.value}`;
    results.classList.toggle(cls, input.value === 'outline' ? input.checked : !input.checked);
  };
  input.addEventListener('change', apply);
  apply();
}
showTolerance();

// ---------------------------------------------------------------------------------------------
// Tracing: one worker per mode; a new request cancels the running ones
// ---------------------------------------------------------------------------------------------

function trace(): void {
  if (!source) return;
  for (const w of workers) w.terminate();
  for (const u of urls) URL.revokeObjectURL(u);
  workers = [];
  urls = [];
  const id = ++job;
  const { image, name } = source;
  const list = modes();
  const tol = Number(tolerance.value);
  document.body.dataset.state = 'running';
  document.body.dataset.job = String(id);
  results.replaceChildren();
  results.classList.toggle('single', list.length === 1);
  setStatus(`${name}: ${image.width} × ${image.height} px, tolerance ${tol.toFixed(2)} px — tracing…`);
  let pending = list.length;
  const finish = () => {
    if (--pending > 0 || id !== job) return;
    document.body.dataset.state = 'done';
    setStatus(`${name}: ${image.width} × ${image.height} px, tolerance ${tol.toFixed(2)} px. Hover a table row to find its piece on the drawing.`);
  };
  for (const mode of list) {
    const card = makeCard(mode, image, name);
    results.append(card.root);
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: `conicfit-${mode}` });
    workers.push(worker);
    worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      if (m.id !== job) return;
      if (m.type === 'progress') card.progress(m.stage, m.done, m.total);
      else {
        if (m.type === 'result') card.show(m.view, m.svg, m.json, m.overlay);
        else card.fail(`${m.code}: ${m.message}`);
        worker.terminate();
        finish();
      }
    };
    worker.onerror = (e) => {
      card.fail(`the worker failed: ${e.message}`);
      finish();
    };
    const rgba = image.data.slice().buffer;
    const request: TraceRequest = { id, width: image.width, height: image.height, rgba, mode, tolerance: tol };
    worker.postMessage(request, [rgba]);
  }
}

// ---------------------------------------------------------------------------------------------
// One result card
// ---------------------------------------------------------------------------------------------

const SVG_NS = 'http://www.w3.org/2000/svg';

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

const f3 = (x: number): string => x.toFixed(3);

function makeCard(mode: FitMode, image: ImageData, name: string) {
  const { width, height } = image;
  const root = el('article', 'card');
  root.dataset.mode = mode;
  root.dataset.state = 'running';
  root.innerHTML = `
    <header><h2>${mode === 'conic' ? 'Conic' : 'Linear'} fit</h2><span class="summary"></span></header>
    <div class="progress"><progress max="1" value="0"></progress><span class="label">starting…</span></div>
    <div class="views">
      <figure><div class="stack fit-view"><canvas class="src"></canvas></div>
        <figcaption>Fit over the source<span class="key corner"></span>corner<span class="key intermediate"></span>knot</figcaption></figure>
      <figure><div class="stack"><canvas class="overlay"></canvas></div>
        <figcaption>Re-rendered fit<span class="key miss"></span><span title="ink the fit misses">ink missed</span><span class="key extra"></span><span title="fit where there is no ink">extra</span><span class="key both"></span>both</figcaption></figure>
    </div>
    <ul class="warnings"></ul>
    <div class="downloads"><a class="button dl-svg" aria-disabled="true">Download SVG</a><a class="button dl-json" aria-disabled="true">Download JSON</a></div>
    <div class="table-wrap"><table class="pieces"><thead><tr>
      <th>#</th><th>contour</th><th>kind</th><th>points</th><th>u</th><th>RMS px</th><th>max dev. px</th><th title="within tolerance">≤ tol.</th>
    </tr></thead><tbody></tbody></table></div>`;
  // The views keep the image's aspect ratio and fit in the window's height.
  for (const stack of root.querySelectorAll<HTMLElement>('.stack')) {
    stack.style.aspectRatio = `${width} / ${height}`;
    stack.style.width = `min(100%, ${((44 * width) / height).toFixed(2)}vh)`;
  }
  const src = $<HTMLCanvasElement>('canvas.src', root);
  src.width = width;
  src.height = height;
  src.getContext('2d')!.putImageData(image, 0, 0);
  const bar = $<HTMLProgressElement>('progress', root);
  const label = $<HTMLSpanElement>('.progress .label', root);
  const base = name.replace(/\.[^.]*$/, '') || 'trace';

  return {
    root,
    progress(stage: string, done: number, total: number): void {
      root.dataset.progress = String(Number(root.dataset.progress ?? 0) + 1);
      const [start, weight, text] = STAGES[stage] ?? [0, 0, stage];
      bar.value = start + (total > 0 ? (weight * done) / total : 0);
      label.textContent = stage === 'fit' ? `${text} ${Math.min(done + 1, total)} of ${total}` : `${text}…`;
    },
    fail(message: string): void {
      root.dataset.state = 'done';
      $('.views', root).remove();
      $('.table-wrap', root).remove();
      $('.downloads', root).remove();
      $('.warnings', root).replaceChildren(Object.assign(el('li', 'error'), { textContent: message }));
    },
    show(view: TraceView, svg: string, json: string, overlay: ArrayBuffer): void {
      root.dataset.state = 'done';
      const t = view.totals;
      const raster = view.raster ? ` · IoU ${view.raster.iou.toFixed(4)}` : '';
      $('.summary', root).textContent =
        `${t.contours} contours · ${view.pieces.length} pieces · ${t.corners} corners · max dev. ${f3(t.maxDeviation)} px${raster} · ${Math.round(view.ms)} ms`;
      drawFit($('.fit-view', root), view, root);
      const ov = $<HTMLCanvasElement>('canvas.overlay', root);
      ov.width = width;
      ov.height = height;
      ov.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(overlay), width, height), 0, 0);
      const warnings = $('.warnings', root);
      if (view.warnings.length === 0)
        warnings.append(el('li', 'none', 'No warnings: every piece is within tolerance and the re-rendered fit matches the ink.'));
      for (const w of view.warnings) {
        const li = el('li');
        li.append(el('code', '', w.code), w.message);
        warnings.append(li);
      }
      link($<HTMLAnchorElement>('.dl-svg', root), svg, 'image/svg+xml', `${base}-${view.mode}.svg`);
      link($<HTMLAnchorElement>('.dl-json', root), json, 'application/json', `${base}-${view.mode}.json`);
      fillTable($('tbody', root), view.pieces, root);
    },
  };
}

function link(a: HTMLAnchorElement, text: string, type: string, filename: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  urls.push(url);
  a.href = url;
  a.download = filename;
  a.removeAttribute('aria-disabled');
}

function drawFit(stack: HTMLElement, view: TraceView, card: HTMLElement): void {
  const { width, height } = view;
  const svg = svgEl('svg', { viewBox: `0 0 ${width} ${height}`, class: 'fit' });
  svg.append(svgEl('path', { d: view.fill, class: 'fit-fill' }));
  const outline = svgEl('g', { class: 'fit-outline' });
  outline.append(svgEl('path', { d: view.source }));
  svg.append(outline);
  const pieces = svgEl('g', { class: 'fit-pieces' });
  view.pieces.forEach((p, i) => {
    const path = svgEl('path', { d: p.d, class: `${p.kind}${p.withinTolerance ? '' : ' over'}`, 'data-row': i });
    path.addEventListener('mouseenter', () => highlight(card, i, true));
    path.addEventListener('mouseleave', () => highlight(card, i, false));
    pieces.append(path);
  });
  svg.append(pieces);
  const knots = svgEl('g', { class: 'fit-knots' });
  // Markers: 1/80 of the image, but no bigger than 0.4 of the median piece chord, so dense knots do not hide the outline.
  const chords = view.knots.length > 1 ? view.pieces.map((p) => chordOf(p.d)).sort((a, b) => a - b) : [];
  const s = Math.min(Math.max(width, height) / 80, chords.length > 0 ? 0.4 * chords[chords.length >> 1] : Infinity);
  for (const k of view.knots) {
    knots.append(
      k.kind === 'corner'
        ? svgEl('rect', { x: k.x - s / 2, y: k.y - s / 2, width: s, height: s, class: 'corner' })
        : svgEl('circle', { cx: k.x, cy: k.y, r: s / 2.6, class: 'intermediate' }),
    );
  }
  svg.append(knots);
  stack.append(svg);
}

/** Distance between the first and last points of a piece's path data (`M x y … x y`). */
function chordOf(d: string): number {
  const n = d.match(/-?\d*\.?\d+(?:e-?\d+)?/g)?.map(Number) ?? [];
  return n.length >= 4 ? Math.hypot(n[n.length - 2] - n[0], n[n.length - 1] - n[1]) : 0;
}

function highlight(card: HTMLElement, row: number, on: boolean): void {
  const path = card.querySelector(`.fit-pieces path[data-row="${row}"]`);
  const tr = card.querySelectorAll('tbody tr')[row];
  path?.classList.toggle('hl', on);
  path?.parentElement?.classList.toggle('hovering', on);
  // Drawn last so the highlight is on top of the neighbouring pieces.
  if (on && path) path.parentNode!.append(path);
  tr?.classList.toggle('hl', on);
}

function fillTable(tbody: HTMLElement, pieces: PieceView[], card: HTMLElement): void {
  const rows = pieces.map((p, i) => {
    const tr = el('tr');
    const cells = [String(i + 1), String(p.contour + 1), p.kind, String(p.pointCount), p.u === null ? '—' : f3(p.u), f3(p.rms), f3(p.maxDeviation)];
    for (const c of cells) tr.append(el('td', '', c));
    tr.append(el('td', p.withinTolerance ? 'yes' : 'no', p.withinTolerance ? 'yes' : 'no'));
    tr.addEventListener('mouseenter', () => highlight(card, i, true));
    tr.addEventListener('mouseleave', () => highlight(card, i, false));
    return tr;
  });
  tbody.replaceChildren(...rows);
}
