import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { stripQuoted } from '../../../src/domain/quotedHistory';

/**
 * One quote stripper for reading a reply's answer and for storing a reply: each case here is one
 * that the answer reader (lifecycle's) or the mail intake's stripper got wrong before they merged.
 */
const stored = (text: string) => stripQuoted(text, { keepInlineQuotes: true });

describe('stripQuoted', () => {
  it('reading an answer drops inline ">" lines; a stored reply keeps them as context', () => {
    const mail = '> Did you restart it?\nYes, and it works now\n> Is the light green?\nYes\n\n> Thanks, IT';
    assert.equal(stripQuoted(mail), 'Yes, and it works now\nYes');
    assert.equal(stored(mail), '> Did you restart it?\nYes, and it works now\n> Is the light green?\nYes');
  });

  it('cuts the signature from a "-- " line, also when reading the answer', () => {
    const mail = 'Yes thanks\n-- \nKim Park\nNo callbacks before 9, please';
    assert.equal(stripQuoted(mail), 'Yes thanks');
    assert.equal(stored(mail), 'Yes thanks');
  });

  it("cuts at Thunderbird's German and Dutch attributions, also in a stored reply", () => {
    assert.equal(stored('Danke\nIT Support <it@x> schrieb am 02.03.2026 um 10:05:\nalt'), 'Danke');
    assert.equal(stored('Bedankt\nIT Support schreef op 2-3-2026 10:05:\noud'), 'Bedankt');
  });

  it('folds accents: an attribution without its accents, or with them decomposed, is still one', () => {
    assert.equal(stored('Merci\nLe lun. 2 mars 2026 a 10:05, IT <it@x> a ecrit :\n> old'), 'Merci');
    assert.equal(stored('Danke\n-----Urspru\u0308ngliche Nachricht-----\nalt'), 'Danke');
    assert.equal(stored('Dank je\n-----Oorspronkelijk bericht-----\noud'), 'Dank je');
  });

  it('a From: line starts the history only as a header: Sent/Date/To after it, or only a name and address', () => {
    const sentence = 'Yes it works\nFrom: my manager I heard the VPN is fine now.\nThanks';
    assert.equal(stripQuoted(sentence), sentence);
    assert.equal(stripQuoted('Yes\nFrom: IT Support\nSent: Monday\nDid it work?'), 'Yes');
    assert.equal(stripQuoted('Yes\nVon: IT Support <it@x>\nHat es geklappt?'), 'Yes');
  });

  it("drops Outlook's underscore rule above the header block when reading the answer", () => {
    assert.equal(
      stripQuoted('Fine now\n________________________________\nFrom: IT <it@x>\nSent: Monday\nOld'),
      'Fine now',
    );
  });

  it("finds Gmail's wrapped attribution with no date in its first line, and one that does not start with On", () => {
    assert.equal(stripQuoted('Yes\nOn Monday, IT Support <it@x>\nwrote:\nold'), 'Yes');
    assert.equal(stored('Danke\nIT Support <it@x> schrieb am 02.03.2026\num 10:05:\nalt'), 'Danke');
  });
});
