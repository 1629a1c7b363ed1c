/**
 * Scripts the UI pipeline benchmark runs inside the page. They are strings so
 * this Node-side project needs no DOM types; each measures in the page's own
 * clock (performance.now) so CDP round trips never count as UI latency.
 */

/** Installed before the app loads: frame counter, frame gaps, long tasks and long animation frames. */
export const INIT_SCRIPT = `(() => {
  const b = { frames: 0, lastFrame: 0, maxGap: 0, gapsOver50: 0, gapsOver100: 0, gaps: [], longTasks: [], loafMax: 0, loafOver100: 0, loafs: [] };
  window.__uiBench = b;
  const frame = (t) => {
    if (b.lastFrame) {
      const gap = t - b.lastFrame;
      if (gap > b.maxGap) b.maxGap = gap;
      if (gap > 50) b.gapsOver50++;
      if (gap > 100) b.gapsOver100++;
      if (gap > 50 && b.gaps.length < 20000) b.gaps.push([b.lastFrame, gap]);
    }
    b.lastFrame = t;
    b.frames++;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (b.longTasks.length < 20000) b.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const blocking = e.blockingDuration ?? 0;
        if (e.duration > b.loafMax) b.loafMax = e.duration;
        if (blocking > 100) b.loafOver100++;
        if (e.duration > 50 && b.loafs.length < 20000) b.loafs.push([e.startTime, e.duration]);
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch { /* older chromium: long tasks still measured */ }
})();`;

export interface PageSample {
  now: number;
  frames: number;
  maxGap: number;
  gapsOver50: number;
  gapsOver100: number;
  longTasks: Array<[number, number]>;
  /** [start, length] of frame gaps over 50 ms and long animation frames over 50 ms (only when asked). */
  gaps: Array<[number, number]>;
  loafs: Array<[number, number]>;
  loafMax: number;
  loafOver100: number;
  countText: string;
  heapUsed: number | null;
}

/** One cheap read of the counters (the long-task list is copied only when asked). */
export const sampleExpr = (withTasks: boolean) => `(() => {
  const b = window.__uiBench;
  const el = document.querySelector('[data-testid="message-count"]');
  return {
    now: performance.now(), frames: b.frames, maxGap: b.maxGap, gapsOver50: b.gapsOver50, gapsOver100: b.gapsOver100,
    longTasks: ${withTasks ? 'b.longTasks.slice()' : '[]'}, gaps: ${withTasks ? 'b.gaps.slice()' : '[]'}, loafs: ${withTasks ? 'b.loafs.slice()' : '[]'}, loafMax: b.loafMax, loafOver100: b.loafOver100,
    countText: el ? el.textContent : '',
    heapUsed: performance.memory ? performance.memory.usedJSHeapSize : null,
  };
})()`;

/** Page clock, to bracket windows (e.g. a forced GC) whose long tasks are ours, not the app's. */
export const NOW_EXPR = 'performance.now()';

/**
 * Scroll a virtualized list by `dy` and time until rows are painted at the new
 * position: a row intersects the list's visible middle in a frame.
 */
export const scrollProbeExpr = (listSelector: string, rowTestId: string, dy: number) => `(async () => {
  const el = document.querySelector(${JSON.stringify(listSelector)});
  if (!el) return { ok: false, ms: null, error: 'list not found' };
  const box = el.getBoundingClientRect();
  const mid = box.top + box.height / 2;
  const painted = () => {
    for (const r of el.querySelectorAll('[data-testid="${rowTestId}"]')) {
      const rb = r.getBoundingClientRect();
      if (rb.top <= mid && rb.bottom >= mid) return true;
    }
    return false;
  };
  const t0 = performance.now();
  el.scrollTop = Math.max(0, el.scrollTop + (${dy}));
  const deadline = t0 + 5000;
  return await new Promise((resolve) => {
    let frames = 0;
    const check = () => {
      frames++;
      // The first frame only dispatches the scroll event; judge from the second on.
      if (frames >= 2 && painted()) return resolve({ ok: true, ms: performance.now() - t0, scrollTop: el.scrollTop });
      if (performance.now() > deadline) return resolve({ ok: false, ms: null, error: 'rows not painted within 5 s' });
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
})()`;

/**
 * Start timing at the next `eventName` event on `selector` (or the document);
 * resolves when `doneExpr` holds in a frame.
 */
export const armInputProbeExpr = (selector: string | null, doneExpr: string, eventName = 'input') => `(() => {
  const target = ${selector === null ? 'document' : `document.querySelector(${JSON.stringify(selector)})`};
  if (!target) return false;
  window.__probe = new Promise((resolve) => {
    let t0 = null;
    target.addEventListener(${JSON.stringify(eventName)}, () => { t0 ??= performance.now(); }, { once: true, capture: true });
    const started = performance.now();
    const check = () => {
      let done = false;
      try { done = t0 !== null && (${doneExpr}); } catch { done = false; }
      if (done) return resolve({ ok: true, ms: performance.now() - t0 });
      if (performance.now() - started > 5000) return resolve({ ok: false, ms: null, error: 'no result within 5 s' });
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  return true;
})()`;

export const AWAIT_PROBE_EXPR = 'window.__probe';

/** Rendered message rows all match `topic` and the count line says the filter applies. */
export const topicFilterDone = (topic: string) =>
  `(() => { const c = document.querySelector('[data-testid="message-count"]').textContent; const rows = [...document.querySelectorAll('[data-testid="message-row"]')]; return /match/.test(c) && rows.length > 0 && rows.every((r) => r.textContent.includes(${JSON.stringify(topic)})); })()`;

export const textFilterDone = (text: string) =>
  `(() => { const c = document.querySelector('[data-testid="message-count"]').textContent; const rows = [...document.querySelectorAll('[data-testid="message-row"]')]; return /match/.test(c) && rows.length > 0 && rows.every((r) => r.querySelector('[data-testid="message-payload"]').textContent.includes(${JSON.stringify(text)})); })()`;

export const filterClearedDone = `(() => !/match/.test(document.querySelector('[data-testid="message-count"]').textContent))()`;

/** Packet timeline rows are painted. */
export const timelineShownDone = `document.querySelector('[data-testid="packet-row"]') !== null`;
