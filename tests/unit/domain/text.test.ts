import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { foldText, singleLine, UNSAFE_IN_ONE_LINE } from '../../../src/domain/text';

// One of each kind the module names: C0, DEL, C1, line/paragraph separators, bidi override and isolate.
const UNSAFE = [
  '\u0000',
  '\t',
  '\r',
  '\n',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u009f',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  '\u2069',
];

describe('single-line text', () => {
  it('finds every unsafe kind, and nothing in ordinary text', () => {
    for (const c of UNSAFE) assert.ok(UNSAFE_IN_ONE_LINE.test(`a${c}b`), JSON.stringify(c));
    assert.ok(!UNSAFE_IN_ONE_LINE.test('Outlook crashes – «ça marche pas» 🖨️'));
  });
  it('makes each run of unsafe characters one space', () => {
    assert.equal(singleLine(`Printer${UNSAFE.join('')}offline`), 'Printer offline');
    assert.equal(singleLine('\r\n VPN \u202e down\u2028\u2029'), 'VPN down');
  });
});

describe('foldText', () => {
  it('folds case, accents (composed or not), ß, œ and typographic apostrophes', () => {
    assert.equal(foldText('Ça NE MARCHE pas'), 'ca ne marche pas');
    assert.equal(foldText('Contrase\u00f1a / contrasen\u0303a'), 'contrasena / contrasena');
    assert.equal(foldText('Gelöst, weiß, Bœuf, n’a'), "gelost, weiss, boeuf, n'a");
  });
});
