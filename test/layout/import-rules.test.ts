// DESIGN §2's import rules are enforced by lint: each case lints a line as if it stood in a file of
// the named folder, through the project's own eslint.config.js, and expects what a developer would see.
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

// The probes are files no TypeScript project knows, so the type-aware rules (which need one) are off
// here: only the import rules are under test.
const eslint = new ESLint({
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const probe = 1;\n`, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('import rules (DESIGN §2)', function () {
  this.timeout(60_000);

  const refused: Array<[string, string, RegExp]> = [
    ['relay/src/sessions/probe.ts', "import { ok } from '../../../protocol/src/index.js';", /alias/],
    ['ui/src/probe.ts', "import type { Log } from '#relay/ports.js';", /may not import relay/],
    ['ui/src/probe.ts', "import { readFileSync } from 'node:fs';", /Node built-ins/],
    ['protocol/src/probe.ts', "import { html } from 'lit';", /plain contracts/],
    ['protocol/src/probe.ts', "import type { Socket } from 'socket.io-client';", /plain contracts/],
    ['sharer-web/src/probe.ts', "import '#desktop/renderer/src/main.js';", /may not import desktop\/renderer/],
    ['desktop/renderer/src/probe.ts', "import '#sharer-web/rh.js';", /may not import sharer-web/],
    ['desktop/renderer/src/probe.ts', "import '#desktop/main/config.js';", /may not import desktop\/main/],
    ['desktop/main/probe.ts', "import { app } from 'electron';", /only under desktop\/main\/electron/],
    ['desktop/main/inventory/probe.ts', "import type { BrowserWindow } from 'electron';", /only under desktop\/main\/electron/],
    ['relay/src/probe.ts', "import { app } from 'electron';", /only under desktop\/main\/electron/],
    ['desktop/main/probe.ts', "import '#ui/chat.js';", /may not import ui/],
    ['desktop/preload/probe.ts', "import { io } from 'socket.io-client';", /bridge only/],
    ['relay/src/probe.ts', "import { startTestRelay } from '#test/support/relay.js';", /never imports tests/],
    ['ui/src/probe.ts', "import '#scripts/start.js';", /never imports tests, scripts/],
    ['relay/src/probe.ts', "export const later = () => import('electron');", /imports statically/],
    ['sharer-web/src/probe.ts', "export const later = () => import('#desktop/renderer/src/main.js');", /imports statically/],
  ];
  for (const [file, code, why] of refused) {
    it(`refuses \`${code}\` in ${file}`, async () => {
      const errors = await importErrors(file, code);
      assert.ok(errors.some((e) => why.test(e)), `expected an import error matching ${why}, got ${JSON.stringify(errors)}`);
    });
  }

  const allowed: Array<[string, string]> = [
    ['relay/src/sessions/probe.ts', "import { ok } from '#protocol';"],
    ['relay/src/sessions/probe.ts', "import type { Log } from '../ports.js';"],
    ['ui/src/probe.ts', "import type { Ack } from '#protocol/ack.js';"],
    ['sharer-web/src/probe.ts', "import '#ui/chat.js';"],
    ['desktop/main/electron/probe.ts', "import { app } from 'electron';"],
    ['desktop/preload/probe.ts', "import { contextBridge } from 'electron';"],
    ['test/relay/probe.ts', "import { startTestRelay } from '../support/relay.js';"],
    ['test/relay/probe.ts', "import { startRelay } from '#relay/start-relay.js';"],
    ['scripts/probe.ts', "export const later = () => import('#desktop/main/config.js');"],
  ];
  for (const [file, code] of allowed) {
    it(`allows \`${code}\` in ${file}`, async () => {
      assert.deepEqual(await importErrors(file, code), []);
    });
  }
});
