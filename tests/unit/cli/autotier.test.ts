import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { APP_ROOT } from '../../support/runtime';

const CLI = path.join(APP_ROOT, 'dist', 'src', 'cli', 'autotier.js');
const CORPUS = path.join(APP_ROOT, 'data', 'msp-tickets.csv');
const dir = mkdtempSync(path.join(tmpdir(), 'autotier-cli-'));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const autotier = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('autotier classifier evaluate', () => {
  it('prints one JSON line of figures from a stratified split', () => {
    const r = autotier(
      'classifier',
      'evaluate',
      '--data',
      CORPUS,
      '--text-column',
      'subject,body',
      '--label-column',
      'category',
      '--test-fraction',
      '0.2',
      '--seed',
      '3',
    );
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.deepEqual(Object.keys(out).sort(), [
      'accuracy',
      'macroF1',
      'n',
      'perClass',
      'predictPerSec',
      'trainMs',
    ]);
    assert.equal(out.n, 1802);
    assert.equal(Object.keys(out.perClass as object).length, 6);
  });

  const bad: [string, string[], RegExp][] = [
    ['an empty file', [file('empty.csv', '')], /the file is empty/],
    ['a missing column', [file('cols.csv', 'text,kind\nhello,a\n')], /no column "label"/],
    ['a malformed line', [file('broken.csv', 'text,label\n"unclosed,a\nok,b\n')], /line \d+/],
    ['a file that does not exist', [path.join(dir, 'nope.csv')], /no such file/],
  ];
  for (const [name, [data], error] of bad) {
    it(`refuses ${name} with a clear error`, () => {
      const r = autotier(
        'classifier',
        'evaluate',
        '--data',
        data ?? '',
        '--text-column',
        'text',
        '--label-column',
        'label',
      );
      assert.equal(r.status, 2);
      assert.match(r.stderr, error);
    });
  }
});

describe('autotier classifier train', () => {
  it('writes a model the triage command can use', () => {
    const out = path.join(dir, 'model.bin.gz');
    const r = autotier(
      'classifier',
      'train',
      '--data',
      CORPUS,
      '--text-column',
      'subject,body',
      '--label-column',
      'category',
      '--out',
      out,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /trained on 1802 rows/);
    const tickets = file(
      'one.jsonl',
      JSON.stringify({ id: 1, subject: 'vpn down', body: 'forticlient will not connect' }) + '\n',
    );
    const t = autotier('triage', '--in', tickets, '--model', out);
    assert.equal((JSON.parse(t.stdout) as { category: string }).category, 'vpn_remote_access');
  });
});

describe('autotier triage', () => {
  it('writes one result per ticket, with no side effects', () => {
    const input = file(
      'tickets.jsonl',
      [
        { id: 'a', subject: 'Locked out', body: 'I am locked out of my account', clientId: 'demo' },
        {
          id: 'b',
          subject: 'Please reset my password',
          body: 'I clicked a link in an email and typed my password',
        },
        { id: 'c', subject: 'Printer offline', body: 'The reception printer is offline' },
      ]
        .map((t) => JSON.stringify(t))
        .join('\n') + '\n',
    );
    const out = path.join(dir, 'results.jsonl');
    const r = autotier('triage', '--in', input, '--out', out);
    assert.equal(r.status, 0, r.stderr);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            id: string;
            category: string;
            route: string;
            tier: number;
            playbook?: string;
            reasons: string[];
          },
      );
    assert.deepEqual(
      rows.map((x) => [x.id, x.category, x.route]),
      [
        ['a', 'password_reset', 'auto'],
        ['b', 'engineering', 'escalate'],
        ['c', 'printer_peripheral', 'auto'],
      ],
    );
    assert.equal(rows[0]?.playbook, 'password_reset');
    assert.equal(rows[1]?.tier, 3);
    assert.ok(rows[1]?.reasons.some((x) => x.startsWith('never automated')));
  });

  const bad: [string, string, RegExp][] = [
    ['a malformed line', '{"id":1,"subject":"a","body":"b"}\n{"id":2,\n', /line 2: not valid JSON/],
    ['a missing field', '{"id":1,"subject":"a"}\n', /line 1: body: is required/],
    [
      'a 5 MB ticket',
      `${JSON.stringify({ id: 1, subject: 'big', body: 'x'.repeat(5 * 1024 * 1024) })}\n`,
      /line 1: ticket is larger than 1 MB/,
    ],
    ['an empty file', '', /the file is empty/],
  ];
  for (const [name, content, error] of bad) {
    it(`refuses ${name}, names the line, and leaves no partial output`, () => {
      const out = path.join(dir, `out-${name.replace(/\W/g, '')}.jsonl`);
      const r = autotier(
        'triage',
        '--in',
        file(`in-${name.replace(/\W/g, '')}.jsonl`, content),
        '--out',
        out,
      );
      assert.equal(r.status, 2);
      assert.match(r.stderr, error);
      assert.equal(existsSync(out), false);
    });
  }

  it('explains its usage on a wrong call', () => {
    const r = autotier('triage');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--in is required/);
  });
});

describe('autotier audit', () => {
  it('prints each category share, the automatable share and the projected deflection', () => {
    const csv = file(
      'export.csv',
      'Summary,Notes\n' +
        [
          'Locked out,I am locked out of my account',
          'Printer offline,reception printer offline',
          'VPN,FortiClient will not connect',
          'File server down,nobody can open the shared drive',
          'Outlook crashing,Outlook crashes when I open it',
        ]
          .map((l) => l)
          .join('\n') +
        '\n',
    );
    const r = autotier('audit', '--in', csv, '--text-column', 'Summary,Notes', '--success-rate', '0.8');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^category\s+tickets\s+share\s+automatable$/m);
    assert.match(r.stdout, /^engineering\s+1\s+20\.0%\s+0$/m);
    assert.match(r.stdout, /^total\s+5\s+100\.0%\s+4$/m);
    assert.match(r.stdout, /automatable share: 80\.0% of tickets \(4 of 5\)/);
    assert.match(r.stdout, /projected deflection at 80\.0% playbook success: 64\.0% of tickets/);
  });

  it('names a missing column', () => {
    const r = autotier('audit', '--in', file('x.csv', 'a,b\n1,2\n'), '--text-column', 'Summary');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no column "Summary"/);
  });
});

describe('the autotier bin', () => {
  it('is executable after the build, so `npx autotier` runs it through its shebang', () => {
    assert.equal(readFileSync(CLI, 'utf8').split('\n')[0], '#!/usr/bin/env node');
    assert.ok((statSync(CLI).mode & 0o111) !== 0, 'dist/src/cli/autotier.js has no execute bit');
    // Started as a program, not through node: without the bit this is EACCES.
    const r = spawnSync(CLI, ['help'], { encoding: 'utf8' });
    assert.equal(r.error, undefined, String(r.error));
    assert.equal(r.status, 2, r.stderr); // an unknown command is a usage error
    assert.match(r.stderr, /^autotier: usage:/);
  });
});
