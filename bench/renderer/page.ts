/**
 * What the renderer benchmark runs inside the page. Source text, not functions: the Node side's
 * typecheck has no DOM types, and text survives bundling unchanged. Each `call*` returns an
 * expression for `page.evaluate`, which awaits the promise it makes.
 */

/** Resolves after the frame in which `check()` first held has been painted (rAF, then a task after it). */
const AFTER_PAINT_WHEN = `
  (check) => new Promise((resolve) => {
    const channel = new MessageChannel();
    const frame = () => {
      if (!check()) return requestAnimationFrame(frame);
      channel.port1.onmessage = () => resolve(performance.now());
      // A rAF callback runs before the frame's paint; a task posted from it runs after the paint.
      requestAnimationFrame(() => channel.port2.postMessage(null));
    };
    requestAnimationFrame(frame);
  })`;

/**
 * Installed before the app loads: notes when a big WebSocket message (an answer of over 100 kB)
 * arrives, before the app parses it, to split a measured step into "waiting for the engine's
 * answer" and "the renderer's own work".
 */
export const WATCH_BIG_MESSAGES = `(() => {
  const Native = window.WebSocket;
  window.__benchBig = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        const size = typeof event.data === 'string' ? event.data.length : (event.data.size ?? event.data.byteLength ?? 0);
        if (size > 100000) window.__benchBig.push({ at: performance.now(), size });
      });
    }
  };
})()`;

/**
 * Clicks a toolbar button and measures until the tree list holds `rows` rows (its scroll height),
 * a row at `level` is drawn and every row on screen shows its value, painted. Returns ms from the click.
 */
export function callExpandAll(rows: number, level: number): string {
  return `(async () => {
    const afterPaintWhen = ${AFTER_PAINT_WHEN};
    const button = document.querySelector('.tree-toolbar button[title^="Expand all"]');
    if (!button) throw new Error('No "Expand all" button in the tree toolbar.');
    if (document.querySelector('[role="treeitem"][aria-level="${level}"]') !== null) throw new Error('The tree is still expanded before "Expand all".');
    const tasks = [];
    const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) tasks.push([Math.round(e.startTime), Math.round(e.duration)]); });
    observer.observe({ type: 'longtask' });
    const started = performance.now();
    button.click();
    const done = await afterPaintWhen(() => {
      const canvas = document.querySelector('.tree-pane__canvas');
      // Rows on screen show their values too: none still waits for its last message.
      return (
        canvas !== null &&
        canvas.offsetHeight >= ${rows} * 24 &&
        document.querySelector('[role="treeitem"][aria-level="${level}"]') !== null &&
        document.querySelector('[role="treeitem"].is-loading') === null
      );
    });
    const answer = (window.__benchBig || []).find((m) => m.at >= started);
    observer.disconnect();
    return { total: done - started, answer: answer ? answer.at - started : null, answerBytes: answer ? answer.size : null, longTaskMs: tasks.reduce((sum, t) => sum + t[1], 0) };
  })()`;
}

/** Collapses everything and resolves once few rows are left and the page has been idle a moment. */
export function callCollapseAll(): string {
  return `(async () => {
    const afterPaintWhen = ${AFTER_PAINT_WHEN};
    document.querySelector('.tree-toolbar button[title="Collapse all"]').click();
    await afterPaintWhen(() => document.querySelector('.tree-pane__canvas').offsetHeight < 2000 * 24);
    await new Promise((resolve) => setTimeout(resolve, 500));
  })()`;
}

/**
 * Pauses the live view, then resumes it: ms from "Resume" until the tree store has finished
 * fetching every open level again (its \`loading\` flag, read through Pinia), the list holds
 * \`rows\` rows and every row on screen shows its value, painted.
 */
export function callPauseResume(connectionId: string, rows: number): string {
  return `(async () => {
    const afterPaintWhen = ${AFTER_PAINT_WHEN};
    const pinia = document.querySelector('#app').__vue_app__.config.globalProperties.$pinia;
    const tree = pinia._s.get('tree').tree(${JSON.stringify(connectionId)});
    document.querySelector('.tree-toolbar button[title^="Pause live view"]').click();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const resume = document.querySelector('.tree-toolbar button[title="Resume live view"]');
    if (!resume) throw new Error('No "Resume live view" button after pausing.');
    const started = performance.now();
    resume.click();
    if (!tree.loading.value) throw new Error('Resuming did not start fetching the tree again.');
    const done = await afterPaintWhen(() => {
      const canvas = document.querySelector('.tree-pane__canvas');
      return !tree.loading.value && canvas !== null && canvas.offsetHeight >= ${rows} * 24 && document.querySelector('[role="treeitem"].is-loading') === null;
    });
    return done - started;
  })()`;
}

/** Scrolls the list to its end; ms until the row whose title is `topic` is painted. */
export function callScrollToEnd(topic: string): string {
  return `(async () => {
    const afterPaintWhen = ${AFTER_PAINT_WHEN};
    const list = document.querySelector('[role="tree"]');
    const started = performance.now();
    list.scrollTop = list.scrollHeight;
    const want = ${JSON.stringify(topic)};
    const done = await afterPaintWhen(() => [...document.querySelectorAll('.tree-row__name')].some((name) => name.title === want));
    return done - started;
  })()`;
}

/**
 * Frame times: the deltas between consecutive requestAnimationFrame callbacks over \`ms\`, plus the
 * long tasks (over 50 ms) the page reported meanwhile, and how many rows were in the DOM.
 */
export function callSampleFrames(ms: number): string {
  return `(async () => {
    const deltas = [];
    let longTasks = 0;
    let longTaskMs = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        longTasks++;
        longTaskMs += entry.duration;
      }
    });
    try { observer.observe({ type: 'longtask', buffered: false }); } catch {}
    const rowTexts = () => new Map([...document.querySelectorAll('[role="treeitem"]')].map((row) => [row.querySelector('.tree-row__name')?.title, row.textContent]));
    const before = rowTexts();
    const started = performance.now();
    let last = started;
    await new Promise((resolve) => {
      const frame = (now) => {
        deltas.push(now - last);
        last = now;
        if (now - started < ${ms}) requestAnimationFrame(frame);
        else resolve();
      };
      requestAnimationFrame(frame);
    });
    observer.disconnect();
    deltas.shift();
    const big = (window.__benchBig || []).filter((m) => m.at >= started);
    const after = rowTexts();
    let rowsChanged = 0;
    for (const [topic, text] of after) if (before.has(topic) && before.get(topic) !== text) rowsChanged++;
    return {
      deltas,
      longTasks,
      longTaskMs,
      rowsInDom: after.size,
      rowsChanged,
      bigMessages: big.length,
      bigMessageChars: big.reduce((sum, m) => sum + m.size, 0),
    };
  })()`;
}

/** The toolbar's topic count ("100,000 topics"), as a number; -1 when it shows none. */
export const TOOLBAR_TOPICS = `(() => {
  const text = document.querySelector('.tree-toolbar__summary')?.textContent ?? '';
  const match = /([\\d,]+) topics?/.exec(text);
  return match ? Number(match[1].replace(/,/g, '')) : -1;
})()`;
