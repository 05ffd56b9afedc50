// What axe cannot see, measured in a real page (issue 10 point 5): at 640×400 CSS px (a 1280×800 window
// at 200 % zoom) the page does not scroll sideways and keeps its controls within the width; in forced
// colours every control keeps a visible border and, with reduced motion, nothing moves; a control reached
// by Tab shows a focus ring. Shared by the web pages' and the console's accessibility tests.
import type { Locator, Page } from 'playwright-core';

/** A 1280×800 window at 200 % zoom, in CSS px. */
export const zoomedViewport = { width: 640, height: 400 } as const;

/** Every button, field and select of the page, shadow roots included, that is rendered: whether each
 * keeps a visible border, and the animations still running. Source text: see flows.ts on `__name`. */
export const forcedColorsProbe = `(() => {
  const controls = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.matches('button, input:not([type=checkbox]):not([type=radio]), select, textarea, a.button')) controls.push(el);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  const borderless = [];
  for (const el of controls) {
    if (el.checkVisibility && !el.checkVisibility()) continue;
    const s = getComputedStyle(el);
    const sides = ['top', 'right', 'bottom', 'left'];
    const shown = sides.every((side) => parseFloat(s.getPropertyValue('border-' + side + '-width')) > 0
      && !['none', 'hidden'].includes(s.getPropertyValue('border-' + side + '-style'))
      && !/rgba\\([^)]*,\\s*0\\)|transparent/.test(s.getPropertyValue('border-' + side + '-color')));
    if (!shown) borderless.push(el.tagName.toLowerCase() + ' "' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '"');
  }
  // Motion that stays: an animation without end, or one longer than the colour transitions (150 ms)
  // the switch to forced colours itself starts, which on a busy machine may still be running when this
  // looks. Under reduced motion every animation and transition of the pages lasts 0.01 ms.
  const running = document.getAnimations().filter((a) => {
    if (a.playState !== 'running') return false;
    const timing = a.effect && a.effect.getComputedTiming();
    return !timing || !(timing.activeDuration <= 200);
  }).map((a) => {
    const target = a.effect && a.effect.target;
    const where = target ? ' on ' + target.localName + (target.id ? '#' + target.id : '') : '';
    const lasting = a.effect ? a.effect.getComputedTiming().activeDuration : NaN;
    return (a.animationName || a.transitionProperty || 'animation') + ' (' + lasting + ' ms' + where + ')';
  });
  return { borderless, running };
})()`;

/** The focused element, through shadow roots, and whether it shows a focus ring (an outline of 2 px or
 * more that is not hidden). Source text: see flows.ts on `__name`. */
export const focusProbe = `(() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const name = el.tagName.toLowerCase() + ' "' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40) + '"';
  return { name, ring };
})()`;

/** Until the colour transitions a theme change started have run (axe reads computed colours). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction('document.getAnimations().every((a) => a.playState !== "running")', undefined, { timeout: 2_000, polling: 50 }).catch(() => undefined);
}

/** The innermost elements and the text (through shadow roots) that reach past the window's left or right
 * edge, in a box that does not scroll them: what makes a page scroll sideways. (A list marker is not
 * found: an item with dir="auto" in a list of the other direction puts its marker outside the list.) Source text: see flows.ts on `__name`. */
const overflowingProbe = `(() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const walk = (root, clipped) => {
    for (const el of root.children) {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      const inner = clipped || s.overflowX !== 'visible';
      const before = found.length;
      walk(el.shadowRoot || el, inner);
      if (el.shadowRoot) walk(el, inner);
      if (!clipped && found.length === before && r.width > 0 && (r.left < -1 || r.right > width + 1)) {
        found.push('<' + el.localName + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/)[0] : '') + '> ' + Math.round(r.left) + '…' + Math.round(r.right));
      }
    }
  };
  walk(document.body, false);
  const texts = (root) => {
    for (const n of root.childNodes) {
      if (n.nodeType === 3 && n.textContent.trim()) {
        const range = document.createRange();
        range.selectNodeContents(n);
        const r = range.getBoundingClientRect();
        if (r.width > 0 && (r.left < -1 || r.right > width + 1)) found.push('text ' + JSON.stringify(n.textContent.trim().slice(0, 30)) + ' ' + Math.round(r.left) + '…' + Math.round(r.right));
      } else if (n.nodeType === 1) { if (n.shadowRoot) texts(n.shadowRoot); texts(n); }
    }
  };
  texts(document.body);
  return found.slice(0, 5);
})()`;

/** At the page's current size: sideways scrolling of the page, and each of `controls` not shown or
 * outside the width. `state` names the page's state in each problem. */
export async function widthProblems(page: Page, state: string, controls: Array<[string, Locator]>): Promise<string[]> {
  const problems: string[] = [];
  const w = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
  if (w.scroll > w.client + 1) {
    const culprits = (await page.evaluate(overflowingProbe)) as string[];
    problems.push(`${state}: the page scrolls sideways (${w.scroll} px of content in ${w.client} px)${culprits.length ? `; past the edge: ${culprits.join(', ')}` : ''}`);
  }
  for (const [name, control] of controls) {
    const el = control.first();
    const box = (await el.isVisible()) ? await el.boundingBox() : null;
    if (!box) problems.push(`${state}: "${name}" is not shown`);
    else if (box.x < -1 || box.x + box.width > w.client + 1) problems.push(`${state}: "${name}" is outside the width (x ${Math.round(box.x)}, width ${Math.round(box.width)})`);
  }
  return problems;
}

/** Windows high contrast and reduced motion together, for the time of `inside`: borders stay, nothing
 * runs. Returns the problems found (and whatever `inside` adds). */
export async function forcedColourProblems(page: Page, state: string, inside?: () => Promise<string[]>): Promise<string[]> {
  await page.emulateMedia({ forcedColors: 'active', reducedMotion: 'reduce' });
  try {
    await page.waitForTimeout(300);
    const seen = (await page.evaluate(forcedColorsProbe)) as { borderless: string[]; running: string[] };
    const problems = seen.borderless.map((b) => `${state} in forced colours: ${b} has no visible border`);
    if (seen.running.length) problems.push(`${state} with reduced motion: animations still running (${seen.running.join(', ')})`);
    if (inside) problems.push(...(await inside()));
    return problems;
  } finally {
    await page.emulateMedia({ forcedColors: 'none', reducedMotion: 'no-preference' });
  }
}

/** Text inside the elements matching `selector` (found through shadow roots; their shadow roots and
 * slotted content included) that is clipped by a box that hides overflow, runs out of the window's
 * width, or overlaps other text. Hidden text (the visually hidden kind, an off-screen skip link, options
 * of a closed select) is left out. An expression for `page.evaluate`, which answers the problems found.
 * Source text: see flows.ts on `__name`. */
export function textLayoutProbe(selector: string): string {
  return `(() => {
  const roots = [];
  const find = (node) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.matches(${JSON.stringify(selector)})) roots.push(el);
      if (el.shadowRoot) find(el.shadowRoot);
    }
  };
  find(document);
  const texts = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === 3) { if (child.textContent.trim()) texts.push(child); continue; }
      if (child.nodeType !== 1) continue;
      if (child.matches('option, style, script, .skip-link, .visually-hidden')) continue;
      if (child.shadowRoot) walk(child.shadowRoot);
      else if (child.localName === 'slot' && child.assignedNodes().length) walk({ childNodes: child.assignedNodes({ flatten: true }) });
      else walk(child);
    }
  };
  walk({ childNodes: roots });
  const parentOf = (el) => el.assignedSlot || el.parentElement || (el.parentNode && el.parentNode.host) || null;
  const name = (t) => JSON.stringify(t.textContent.trim().slice(0, 30));
  const width = document.documentElement.clientWidth;
  const problems = [];
  const boxes = [];
  for (const t of texts) {
    const el = t.parentElement || t.parentNode.host;
    if (!el || (el.checkVisibility && !el.checkVisibility({ visibilityProperty: true }))) continue;
    const range = document.createRange();
    range.selectNodeContents(t);
    const r = range.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    if (r.left < -1 || r.right > width + 1) problems.push(name(t) + ' runs out of the window (' + Math.round(r.left) + '…' + Math.round(r.right) + ' of ' + width + ' px)');
    for (let a = el; a && a !== document.documentElement; a = parentOf(a)) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const c = a.getBoundingClientRect();
      if (r.left < c.left - 1 || r.right > c.right + 1 || r.top < c.top - 1 || r.bottom > c.bottom + 1) {
        problems.push(name(t) + ' is clipped by <' + a.localName + (a.className && typeof a.className === 'string' ? '.' + a.className.split(' ')[0] : '') + '>');
        break;
      }
    }
    for (const [other, o] of boxes) {
      const x = Math.min(r.right, o.right) - Math.max(r.left, o.left);
      const y = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top);
      // Lines set tight touch by a pixel or two of their fonts' ascent and descent; text over text is more.
      if (x > 1 && y > Math.max(2, Math.min(r.height, o.height) / 4)) problems.push(name(t) + ' overlaps ' + name(other));
    }
    boxes.push([t, r]);
  }
  if (!roots.length) problems.push('nothing matches ' + ${JSON.stringify(JSON.stringify(selector))});
  return problems;
})()`;
}
