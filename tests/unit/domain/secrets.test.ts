import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { maskSecrets } from '../../../src/domain/secrets';

/** Typed secrets, and the text that must come out. */
const SECRETS: [string, string][] = [
  ["my new password Summer2024! doesn't work", "my new password [password removed] doesn't work"],
  ['password: Hunter2$', 'password: [password removed]'],
  ['pw=abc123XYZ', 'pw=[password removed]'],
  ['PW = ab12', 'PW = [password removed]'],
  ['passwort ist Sommer2024!', 'passwort ist [password removed]'],
  ['Mein Kennwort lautet Xk9#mmq2, bitte prüfen', 'Mein Kennwort lautet [password removed], bitte prüfen'],
  ['contraseña: Verano2024.', 'contraseña: [password removed].'],
  ['La contrasen\u0303a es Verano#24', 'La contrasen\u0303a es [password removed]'],
  ['mot de passe : Azerty123!', 'mot de passe : [password removed]'],
  ['Mon mot de passe est Soleil2024', 'Mon mot de passe est [password removed]'],
  ['wachtwoord: Welkom01', 'wachtwoord: [password removed]'],
  ['Mijn wachtwoord is nu Zomer2024!', 'Mijn wachtwoord is nu [password removed]'],
  ['temp pass is Xy7#kk2', 'temp pass is [password removed]'],
  ['I changed my password to Welcome!', 'I changed my password to [password removed]'],
  ['Kennwort geändert auf Winter2025#', 'Kennwort geändert auf [password removed]'],
  ['wachtwoord gewijzigd in Herfst#2025', 'wachtwoord gewijzigd in [password removed]'],
  ["password 'S3cret!'", 'password [password removed]'],
  ['the password “correct horse battery” is rejected', 'the password [password removed] is rejected'],
  ['Password: P@ssw0rd (from the welcome mail)', 'Password: [password removed] (from the welcome mail)'],
  ['the code was 483920', 'the code was [code removed]'],
  ['verification code 123-456', 'verification code [code removed]'],
  ['Verification code: 123 456.', 'Verification code: [code removed].'],
  ['OTP: 908172', 'OTP: [code removed]'],
  ['PIN 4821', 'PIN [code removed]'],
  ['my PIN-Code is 482193, it keeps failing', 'my PIN-Code is [code removed], it keeps failing'],
  ['Bestätigungscode 771204 kam zweimal', 'Bestätigungscode [code removed] kam zweimal'],
  ['el código es 55 10 93', 'el código es [code removed]'],
  ['TAN: 12345678', 'TAN: [code removed]'],
  ['verificatiecode 839201', 'verificatiecode [code removed]'],
];

/** Ordinary text that mentions passwords, codes and numbers: unchanged. */
const ORDINARY = [
  'I forgot my password',
  'password reset please',
  'my password expired yesterday',
  'the password field is greyed out',
  "my password doesn't work since Monday",
  'My password expired!',
  'password for Windows 11 expired',
  'password Outlook keeps asking for',
  'the "password" field is empty',
  'Passwort abgelaufen, bitte zurücksetzen',
  'He olvidado mi contraseña',
  "Mot de passe oublié, je n'arrive plus à me connecter",
  'Wachtwoord vergeten',
  'can you pass this to tier 2',
  'reset my password via self-service',
  'password sent to anna@contoso.com',
  'error code 0x80070005',
  'error code 8007',
  'Fehlercode 0x80004005',
  'error 809',
  'VPN error 809 at 10:30',
  'ticket T-1042',
  'call me on +49 171 2345678 or 0171/2345678',
  'since 02.03.2026, also 2026-03-02',
  'Windows 11',
  'Office 2016 and Office365',
  'KB5034441 failed to install',
  'the QR code 1234 on the sticker',
  'zip code 90210',
  'PIN reset needed, my PIN is locked',
  'Pin 3 on the connector is bent',
  'code 12345678901 is too long to be a one-time code',
  'the code is 12-03-2026 on the letter',
];

describe('maskSecrets', () => {
  for (const [typed, shown] of SECRETS)
    it(`masks: ${typed}`, () => {
      const result = maskSecrets(typed);
      assert.equal(result.text, shown);
      assert.equal(result.masked, 1);
    });

  it('leaves ordinary text alone', () => {
    for (const text of ORDINARY) assert.deepEqual(maskSecrets(text), { text, masked: 0 }, text);
  });

  it('masks every secret in a text and counts them', () => {
    const result = maskSecrets('User: jdoe\nPassword: Hunter2$\nThe SMS code was 483920 and PIN 4821.');
    assert.equal(
      result.text,
      'User: jdoe\nPassword: [password removed]\nThe SMS code was [code removed] and PIN [code removed].',
    );
    assert.equal(result.masked, 3);
  });

  it('is idempotent', () => {
    for (const [typed] of SECRETS) {
      const once = maskSecrets(typed).text;
      assert.deepEqual(maskSecrets(once), { text: once, masked: 0 }, once);
    }
  });
});
