import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const APP_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The boundary rules exactly as eslint.config.mjs spreads them in (Node 22 requires an ES module). */
function boundaryLinter(): ESLint {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const boundaries = (require(path.join(APP_ROOT, 'eslint.boundaries.mjs')) as { default: unknown[] })
    .default;
  return new ESLint({
    cwd: APP_ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      ...(boundaries as []),
    ],
  });
}

/** The messages the boundary rules give for `code` as if it were the file `file`. */
async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await boundaryLinter().lintText(code, { filePath: path.join(APP_ROOT, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

async function assertFires(file: string, code: string, expected: RegExp): Promise<void> {
  const found = await problems(file, code);
  assert.ok(
    found.some((m) => expected.test(m)),
    `${file}: expected ${expected} for\n${code}\ngot ${JSON.stringify(found)}`,
  );
}

describe('lint enforces the architecture', () => {
  it('only config.ts and the start-up code read process.env', async () => {
    const read = 'export const key = process.env.KEY;';
    for (const file of ['src/adapters/tables/probe.ts', 'src/ops/probe.ts', 'src/cli/probe.ts'])
      await assertFires(file, read, /no-restricted-properties: .*Settings are parsed in src\/config\.ts/);
    for (const file of ['src/config.ts', 'src/local/probe.ts', 'src/cli/localStorage.ts'])
      assert.deepEqual(await problems(file, read), [], file);
  });

  it('the domain imports no SDK, does no I/O and never reaches outward', async () => {
    const file = 'src/domain/probe.ts';
    await assertFires(file, "import { TableClient } from '@azure/data-tables';", /imports no SDK/);
    await assertFires(file, "import * as df from 'durable-functions';", /imports no SDK/);
    await assertFires(file, "import { readFileSync } from 'node:fs';", /does no I\/O/);
    await assertFires(file, "import { readFileSync } from 'fs';", /does no I\/O/);
    await assertFires(
      file,
      "import { TableTicketStore } from '../adapters/tables/tableTicketStore';",
      /never reaches outward/,
    );
    await assertFires(
      file,
      "import type { TicketStore } from '../ports/ticketStore';",
      /never reaches outward/,
    );
    await assertFires(file, "export const get = () => fetch('https://example.com');", /does no I\/O/);
    await assertFires(file, 'export const key = process.env.KEY;', /src\/config\.ts/);
    assert.deepEqual(
      await problems(file, "import { createHash } from 'node:crypto';\nimport { z } from 'zod';"),
      [],
    );
  });

  it('ports are types only', async () => {
    const file = 'src/ports/probe.ts';
    await assertFires(file, 'export function f(): number {\n  return 1;\n}', /types only/);
    await assertFires(file, 'export const LIMIT = 3;', /types only/);
    await assertFires(file, 'export class Store {}', /a class belongs in an adapter/);
    await assertFires(file, "import { SOLVED } from '../domain/resolution';", /import types only/);
    await assertFires(file, "import type { TableClient } from '@azure/data-tables';", /import no SDK/);
    const clean =
      "import type { Ticket } from '../domain/ticket';\nexport interface P {\n  get(): Promise<Ticket>;\n}\nexport class GoneError extends Error {}";
    assert.deepEqual(await problems(file, clean), []);
  });

  it('src/functions imports no adapter, SDK or CLI, and takes its services once', async () => {
    const file = 'src/functions/http/probe.ts';
    await assertFires(
      file,
      "import { TableTicketStore } from '../../adapters/tables/tableTicketStore';",
      /composition root/,
    );
    await assertFires(file, "import { run } from '../../cli/autotier';", /must not import the CLI/);
    await assertFires(file, "import { QueueClient } from '@azure/storage-queue';", /no SDK but/);
    await assertFires(file, "import { services } from '../../composition/services';", /entry/);
    await assertFires(
      file,
      "import { services } from '../../composition';\nexport const s = services();",
      /withServices/,
    );
    await assertFires(file, "import { request } from 'node:http';", /no I\/O/);
    const clean =
      "import { app } from '@azure/functions';\nimport * as df from 'durable-functions';\nimport { withServices } from '../../composition';\nimport { jsonError } from '../../http/httpHelpers';";
    assert.deepEqual(await problems(file, clean), []);
  });

  it('orchestrations import no composition root and read no clock or randomness', async () => {
    for (const file of ['src/workflow/ticket/probe.ts', 'src/functions/orchestrations/probe.ts']) {
      await assertFires(file, "import { services } from '../../composition';", /no composition root/);
      await assertFires(
        file,
        "import { services } from '../../composition/services';",
        /no composition root/,
      );
      await assertFires(
        file,
        "import { TableTicketStore } from '../../adapters/tables/tableTicketStore';",
        /never do I\/O/,
      );
      await assertFires(file, 'export const t = Date.now();', /currentUtcDateTime/);
      await assertFires(file, 'export const t = new Date();', /currentUtcDateTime/);
      await assertFires(file, 'export const r = Math.random();', /deterministic/);
    }
    assert.deepEqual(
      await problems('src/workflow/ticket/probe.ts', "export const d = new Date('2026-01-01');"),
      [],
    );
  });
});
