import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { interpretReply, lifecycleFor, silencePolicy } from '../../../src/domain/lifecycle';
import { stripQuoted } from '../../../src/domain/quotedHistory';

type Meaning = 'yes' | 'no' | 'unclear';

/** Replies to "Did this resolve your issue?", per language: at least eight yes and eight no. */
const REPLIES: Record<string, [string, Meaning][]> = {
  English: [
    ['Thanks, that worked!', 'yes'],
    ['yes all good now', 'yes'],
    ["It's working again, cheers", 'yes'],
    ['No problem, it works now', 'yes'],
    ['Yep, sorted.', 'yes'],
    ['Perfect, that did it', 'yes'],
    ['No more errors since the restart, thank you', 'yes'],
    ["I don't get the error anymore", 'yes'],
    ['THANK YOU!!', 'yes'],
    ['Still broken', 'no'],
    ['Nope, same error as before', 'no'],
    ['It stopped working again this morning', 'no'],
    ["didn't help unfortunately", 'no'],
    ['I cannot sign in', 'no'],
    ['No.', 'no'],
    ['Thanks, but it did not help', 'no'],
    ['Not fixed yet', 'no'],
    ['Tried it, no luck', 'no'],
    ['Thanks for the steps but it’s still not working', 'no'],
  ],
  German: [
    ['Danke, es funktioniert', 'yes'],
    ['Ja, danke!', 'yes'],
    ['Vielen Dank, jetzt geht’s wieder', 'yes'],
    ['Funktioniert wieder, dankeschön', 'yes'],
    ['Problem gelöst, danke', 'yes'],
    ['Alles gut, läuft wieder', 'yes'],
    ['Super, hat geklappt! Der Fehler kommt nicht mehr.', 'yes'],
    ['Kein Problem, klappt jetzt', 'yes'],
    ['Keine Fehlermeldung mehr, danke', 'yes'],
    ['Nein, geht immer noch nicht', 'no'],
    ['Hat leider nicht geholfen', 'no'],
    ['Funktioniert nicht', 'no'],
    ['Danke, aber der gleiche Fehler wie vorher', 'no'],
    ['Nein.', 'no'],
    ['Das Problem besteht weiterhin', 'no'],
    ['Leider kein Erfolg', 'no'],
    ['Klappt immer noch nicht, danke trotzdem', 'no'],
    ['Hat nichts gebracht', 'no'],
  ],
  Spanish: [
    ['¡Gracias, ya funciona!', 'yes'],
    ['Sí, gracias', 'yes'],
    ['Sí.', 'yes'],
    ['Ya funciona, muchas gracias', 'yes'],
    ['Solucionado, gracias', 'yes'],
    ['Perfecto, todo bien', 'yes'],
    ['Ya no me sale el error, gracias', 'yes'],
    ['Resuelto', 'yes'],
    ['De nada, funciona perfecto', 'yes'],
    ['No, sigue sin funcionar', 'no'],
    ['No funciona', 'no'],
    ['Todavía no', 'no'],
    ['Sigue igual', 'no'],
    ['Gracias, pero el mismo error', 'no'],
    ['No se solucionó', 'no'],
    ['Sigue fallando, gracias de todos modos', 'no'],
    ['El problema persiste', 'no'],
  ],
  French: [
    ['Merci, ça marche', 'yes'],
    ['Oui merci', 'yes'],
    ['Ça fonctionne maintenant, merci beaucoup', 'yes'],
    ['Résolu, merci', 'yes'],
    ["C'est bon, tout marche", 'yes'],
    ['Parfait, ça remarche', 'yes'],
    ['Merci, je n’ai plus d’erreur', 'yes'],
    ['Pas de souci, ça marche', 'yes'],
    ['De rien ! Tout est ok', 'yes'],
    ['Non, ça ne marche toujours pas', 'no'],
    ['Non', 'no'],
    ['Ça ne fonctionne pas', 'no'],
    ['Toujours pas', 'no'],
    ['Merci mais même erreur', 'no'],
    ["Ça n'a pas aidé", 'no'],
    ['Ça ne marche plus depuis ce matin', 'no'],
    ['Le problème est revenu', 'no'],
  ],
  Dutch: [
    ['Bedankt, het werkt weer', 'yes'],
    ['Ja, dank je wel', 'yes'],
    ['Opgelost, bedankt!', 'yes'],
    ['Het werkt nu, dank u', 'yes'],
    ['Top, alles is goed', 'yes'],
    ['Geen probleem, het is gelukt', 'yes'],
    ['Geen foutmelding meer, bedankt', 'yes'],
    ['Prima, werkt', 'yes'],
    ['Nee, werkt nog steeds niet', 'no'],
    ['Nee', 'no'],
    ['Werkt niet', 'no'],
    ['Helaas niet opgelost', 'no'],
    ['Nog steeds dezelfde foutmelding', 'no'],
    ['Bedankt, maar het werkt niet', 'no'],
    ['Helaas, geen verbetering', 'no'],
    ['Het probleem is weer terug', 'no'],
  ],
};

describe('interpretReply', () => {
  for (const [language, cases] of Object.entries(REPLIES)) {
    it(`reads ${language} replies`, () => {
      for (const [text, meaning] of cases) assert.equal(interpretReply(text), meaning, text);
      for (const want of ['yes', 'no'] as const)
        assert.ok(cases.filter(([, m]) => m === want).length >= 8, `${language}: eight ${want} phrases`);
    });
  }

  it('reads short or content-free replies as unclear, so the workflow asks once more', () => {
    for (const text of [
      'ok',
      'OK',
      'Okay',
      'k',
      '?',
      '??',
      'hmm',
      'Hmm...',
      '',
      '   ',
      '> yes it works',
      'Can you call me at 3pm?',
    ])
      assert.equal(interpretReply(text), 'unclear', JSON.stringify(text));
  });

  it('does not read politeness with a negation in it as a no', () => {
    for (const text of [
      'No problem!',
      'No worries',
      'Kein Problem',
      'Keine Ursache',
      'De nada',
      'No hay problema',
      'De rien',
      'Pas de problème',
      'Geen probleem',
      'Graag gedaan',
    ])
      assert.notEqual(interpretReply(text), 'no', text);
    assert.equal(interpretReply('No problem, thanks, it works'), 'yes');
    assert.equal(interpretReply('Kein Problem, aber es geht immer noch nicht'), 'no');
  });

  it('reads not knowing yet, or a question, as unclear, even when thankful', () => {
    for (const text of [
      "Thanks, I'll try it tomorrow",
      "Haven't tried it yet",
      'Danke, ich habe es noch nicht getestet',
      'Gracias, todavía no lo he probado',
      'Merci, je vais essayer',
      'Bedankt, nog niet getest',
      "Not sure, I don't know if it works",
      'Je ne sais pas si ça marche',
      'Werkt het nu?',
      'Funktioniert es jetzt?',
    ])
      assert.equal(interpretReply(text), 'unclear', text);
  });

  it('ignores accents and case, with or without them typed', () => {
    for (const text of ['MERCI, ÇA MARCHE', 'merci, ca marche', 'GRACIAS, YA FUNCIONA', 'Ça marche'])
      assert.equal(interpretReply(text), 'yes', text);
    // "nö" folds to "no"; decomposed accents (e + U+0301) read as the composed ones
    assert.equal(interpretReply('Nö, geht immer noch nicht'), 'no');
    assert.equal(interpretReply('Re\u0301solu, merci'), 'yes');
  });

  it('ignores the quoted question and history', () => {
    assert.equal(
      interpretReply('Thanks!\n\nOn Mon 2 Mar, IT Support wrote:\n> No, it is still not working: http://x'),
      'yes',
    );
    assert.equal(stripQuoted('Fine now\n> old text\n-----Original Message-----\nFrom: IT'), 'Fine now');
  });

  const histories: [string, string][] = [
    ['Am 02.03.2026 um 10:00 schrieb IT Support <support@msp.example>:', 'German'],
    ['IT Support <support@msp.example> schrieb am 02.03.2026 um 10:00:', 'German (Thunderbird)'],
    ['El lun, 2 mar 2026 a las 10:00, IT Support (<support@msp.example>) escribió:', 'Spanish'],
    ['Le lun. 2 mars 2026 à 10:00, IT Support <support@msp.example> a écrit :', 'French'],
    ['Op ma 2 mrt 2026 om 10:00 schreef IT Support <support@msp.example>:', 'Dutch'],
    ['Von: IT Support <support@msp.example>', 'Outlook, German'],
    ['De : IT Support <support@msp.example>', 'Outlook, French'],
    ['De: IT Support <support@msp.example>', 'Outlook, Spanish'],
    ['Van: IT Support <support@msp.example>', 'Outlook, Dutch'],
    ['-----Ursprüngliche Nachricht-----', 'Outlook separator, German'],
    ['-----Message d’origine-----', 'Outlook separator, French'],
    ['On Mon, 2 Mar 2026 at 10:00, IT Support <support@msp.example>\nwrote:', 'Gmail, wrapped'],
  ];
  for (const [header, kind] of histories)
    it(`drops the quoted history under a ${kind} header`, () => {
      const mail = `Danke, läuft wieder\n\n${header}\nHat das Problem gelöst? Nein, geht nicht.\n> Nein`;
      assert.equal(stripQuoted(mail), 'Danke, läuft wieder');
      assert.equal(interpretReply(mail), 'yes');
    });

  it('keeps lines that only look like the start of a header', () => {
    const mail = 'Ich habe es 2 mal versucht\nIT Support schrieb am 02.03.2026 um 10:00:\n> alt';
    assert.equal(stripQuoted(mail), 'Ich habe es 2 mal versucht');
    assert.equal(stripQuoted('On Monday it worked\nthen it broke'), 'On Monday it worked\nthen it broke');
  });
});

describe('lifecycle settings', () => {
  it('fills in defaults and lets a client override per category', () => {
    const s = lifecycleFor({
      onSilence: { vpn_remote_access: 'escalate' },
      tierLimitMinutes: { 1: 15, 2: 60, 3: 120 },
    });
    assert.equal(s.reminderAfterHours, 24);
    assert.equal(s.tierLimitMinutes[1], 15);
    assert.equal(silencePolicy(s, 'vpn_remote_access'), 'escalate');
    assert.equal(silencePolicy(s, 'printer_peripheral'), 'close');
    assert.equal(silencePolicy(s, 'password_reset'), 'escalate');
  });
});
