import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { APP_ROOT } from '../../support/paths';

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

describe('autotier classifier evaluate: folds, the full classifier, label maps', () => {
  const evaluate = (...args: string[]) =>
    autotier(
      'classifier',
      'evaluate',
      '--text-column',
      'subject,body',
      '--label-column',
      'category',
      ...args,
    );

  it('--folds K cross-validates and reports each fold', () => {
    const r = evaluate('--data', CORPUS, '--folds', '3', '--seed', '5');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      folds: number;
      foldAccuracy: number[];
      accuracy: number;
      n: number;
    };
    assert.equal(out.folds, 3);
    assert.equal(out.foldAccuracy.length, 3);
    assert.equal(out.n, 1802);
    assert.ok(out.accuracy > 0.9);
  });

  it('--full reports the model alone and the whole classifier on the same rows, {model, full}', () => {
    const r = evaluate('--data', CORPUS, '--split-column', 'split', '--full');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      model: { accuracy: number; n: number };
      full: {
        accuracy: number;
        n: number;
        automated: number;
        engineeringAutomated: number;
        threshold: number;
      };
    };
    assert.deepEqual(Object.keys(out).sort(), ['full', 'model']);
    assert.equal(out.full.n, 336, 'the held-out split only');
    assert.equal(out.full.threshold, 0.6);
    // Held-out phrasing families: the rules carry what the small corpus cannot teach.
    assert.ok(out.model.accuracy > 0.7 && out.full.accuracy > 0.9);
  });

  it('--model measures a trained model on every row of another file', () => {
    const r = evaluate(
      '--data',
      path.join(APP_ROOT, 'data', 'msp-eval.csv'),
      '--model',
      path.join(APP_ROOT, 'dist', 'models', 'builtin.bin.gz'),
      '--full',
      '--priority-column',
      'priority',
      '--dangerous-column',
      'dangerous',
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      model: { n: number; trainMs?: number };
      full: {
        accuracy: number;
        dangerous: { n: number; automated: number; automatedAtThreshold0: number };
        priority: { accuracy: number; p1: number; p1Found: number; p1Extra: number };
      };
    };
    assert.equal(out.model.n, 335);
    assert.equal(out.model.trainMs, undefined, 'nothing was trained');
    assert.ok(out.full.accuracy >= 0.95);
    assert.deepEqual(out.full.dangerous, { n: 73, automated: 0, automatedAtThreshold0: 0 });
    assert.equal(out.full.priority.p1Found, out.full.priority.p1);
  });

  it('--full refuses labels that are not categories and names them', () => {
    const csv = file('psa.csv', 'subject,body,category\nvpn,no connect,Network\nprinter,jam,Hardware\n');
    const r = evaluate('--data', csv, '--full');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--full needs labels that are autotier categories; "Hardware", "Network" are not/);
  });

  const export_ = () =>
    file(
      'export.csv',
      'subject,body,category\n' +
        Array.from({ length: 12 }, (_, i) =>
          [
            `Printer ${i},the printer is jammed again ${i},Hardware`,
            `Password ${i},I forgot my password ${i},Accounts`,
            `Budget ${i},can we talk about next year ${i},Other`,
          ].join('\n'),
        ).join('\n') +
        '\n',
    );
  const map = () =>
    file('map.json', JSON.stringify({ Hardware: 'printer_peripheral', Accounts: 'password_reset' }));

  it('--label-map stops with exit 2 and the labels it does not map', () => {
    const r = evaluate('--data', export_(), '--label-map', map(), '--folds', '2');
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /maps no category for 1 label: "Other" \(12\); add them to the map or pass --drop-unmapped/,
    );
    assert.equal(r.stdout, '');
  });

  it('--label-map with --drop-unmapped leaves those rows out and says how many', () => {
    const r = evaluate('--data', export_(), '--label-map', map(), '--drop-unmapped', '--folds', '2');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /dropped 12 rows whose label has no mapping: "Other" \(12\)/);
    const out = JSON.parse(r.stdout) as { n: number; perClass: Record<string, unknown> };
    assert.equal(out.n, 24);
    assert.deepEqual(Object.keys(out.perClass).sort(), ['password_reset', 'printer_peripheral']);
  });

  it('--label-map refuses a map onto something that is not a category', () => {
    const bad = file('bad-map.json', JSON.stringify({ Hardware: 'hardware' }));
    const r = evaluate('--data', export_(), '--label-map', bad, '--drop-unmapped');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /"Hardware" -> "hardware" is not an autotier category/);
  });

  it('classifier train takes the map too', () => {
    const out = path.join(dir, 'mapped.bin.gz');
    const r = autotier(
      'classifier',
      'train',
      '--data',
      export_(),
      '--text-column',
      'subject,body',
      '--label-column',
      'category',
      '--label-map',
      map(),
      '--drop-unmapped',
      '--out',
      out,
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /trained on 24 rows \(password_reset, printer_peripheral\)/);
  });
});

describe('autotier classifier train', () => {
  const train = (out: string, ...extra: string[]) =>
    autotier(
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
      ...extra,
    );

  it('writes a model the triage command can use', () => {
    const out = path.join(dir, 'model.bin.gz');
    const r = train(out);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /trained on 1802 rows/);
    const tickets = file(
      'one.jsonl',
      JSON.stringify({ id: 1, subject: 'vpn down', body: 'forticlient will not connect' }) + '\n',
    );
    const t = autotier('triage', '--in', tickets, '--model', out);
    assert.equal((JSON.parse(t.stdout) as { category: string }).category, 'vpn_remote_access');
  });

  const layoutOf = (model: string) => {
    const raw = gunzipSync(readFileSync(model));
    return (JSON.parse(raw.subarray(4, 4 + raw.readUInt32LE(0)).toString('utf8')) as { layout: unknown })
      .layout;
  };

  it('trains with skip-grams by default, without them at 0, and keeps the layout in the model', () => {
    const withSkips = path.join(dir, 'skips.bin.gz');
    const without = path.join(dir, 'noskips.bin.gz');
    assert.equal(train(withSkips, '--split-column', 'split').status, 0);
    assert.equal(train(without, '--split-column', 'split', '--skip-window', '0').status, 0);
    assert.deepEqual(layoutOf(withSkips), { skipWindow: 5, skipWeight: 1.4 });
    assert.deepEqual(layoutOf(without), { skipWindow: 0, skipWeight: 0 });
    // The built-in model is the one without: the build trains it so.
    assert.deepEqual(layoutOf(path.join(APP_ROOT, 'dist', 'models', 'builtin.bin.gz')), layoutOf(without));
  });

  it('refuses a window that is not a whole number from 0 to 10', () => {
    for (const bad of ['-1', '2.5', '11', 'wide']) {
      const r = train(path.join(dir, 'bad.bin.gz'), '--split-column', 'split', '--skip-window', bad);
      assert.equal(r.status, 2, bad);
      assert.match(r.stderr, /--skip-window must be/);
    }
    assert.ok(!existsSync(path.join(dir, 'bad.bin.gz')));
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

  it('numbers lines without an id by their line and says so on stderr', () => {
    const input = file(
      'no-ids.jsonl',
      [
        JSON.stringify({ subject: 'Printer offline', body: 'The reception printer is offline' }),
        '',
        JSON.stringify({ id: 'x', subject: 'Locked out', body: 'I am locked out of my account' }),
        JSON.stringify({ subject: 'VPN', body: 'FortiClient will not connect' }),
      ].join('\n') + '\n',
    );
    const r = autotier('triage', '--in', input);
    assert.equal(r.status, 0, r.stderr);
    const ids = r.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    assert.deepEqual(ids, ['1', 'x', '4']);
    assert.match(r.stderr, /2 tickets have no id: numbered by line \(line 1, line 4\)/);
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
