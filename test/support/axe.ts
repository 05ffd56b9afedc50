// axe-core in a real page: WCAG 2.2 A and AA plus best practice, through open shadow roots. Injected with
// Playwright's evaluate (the DevTools protocol, outside the page's Content-Security-Policy), so the
// pages keep their strict policy while they are checked.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** Each failing element: its selector (through shadow roots) and axe's summary. */
  nodes: string[];
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  const run = `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(axeTags)} }, resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target) + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) })))`;
  return (await page.evaluate(run)) as AxeViolation[];
}

/** Checks page states one by one and keeps what it found, so a test can check every state of a flow and
 * then fail once, naming every violation of every state; the counts go to test-results/axe/<file>.json
 * for the before-and-after figures. */
export class AxeAudit {
  readonly states: { state: string; violations: AxeViolation[] }[] = [];
  constructor(private readonly name: string) {}

  async check(page: Page, state: string): Promise<void> {
    // Let transitions and live-region updates settle: axe reads computed colours.
    await page.waitForTimeout(50);
    let violations = await axeViolations(page);
    // Colours read while a change of state or theme is still being painted can mix the two (seen with
    // two test processes on two cores: the dark theme's text over a background not yet switched). That
    // is not what a person sees; a real contrast fault is still there half a second later.
    if (violations.some((v) => v.id === 'color-contrast')) {
      await page.waitForTimeout(500);
      violations = await axeViolations(page);
    }
    this.states.push({ state, violations });
  }

  /** Every violation, one line per rule and state; empty when all is well. */
  problems(): string[] {
    return this.states.flatMap(({ state, violations }) =>
      violations.map((v) => `${state}: ${v.id} (${v.impact ?? '?'}) ${v.help}\n    ${v.nodes.slice(0, 5).join('\n    ')}`),
    );
  }

  save(): void {
    const dir = join('test-results', 'axe');
    mkdirSync(dir, { recursive: true });
    const counts = this.states.map(({ state, violations }) => ({ state, violations: violations.length, rules: violations.map((v) => v.id) }));
    writeFileSync(join(dir, `${this.name}.json`), `${JSON.stringify(counts, null, 2)}\n`);
  }
}
