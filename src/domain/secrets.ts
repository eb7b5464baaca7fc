/**
 * Passwords and one-time codes that requesters type into tickets ("my new password Summer2024!
 * doesn't work"). They must not travel on into PSA notes, escalation packages, mails or a language
 * model, but the engineer should still see that one was given: each becomes a marker.
 */

export const PASSWORD_MARKER = '[password removed]';
export const CODE_MARKER = '[code removed]';

/** A word starts after neither a letter nor a digit, nor "[" (so the markers' own words never match). */
const START = String.raw`(?<![\p{L}\p{N}\[])`;

/** What the requester calls a password, in English, German, Spanish, French and Dutch. */
const PASSWORD_WORDS = [
  String.raw`pass(?:words?|wort|wd|phrase|code)`,
  'kennwort',
  'pwd?',
  String.raw`contrase(?:ñ|n\u0303?)as?`,
  'clave',
  'mots? de passe',
  'mdp',
  'wachtwoord',
  // Bare "pass" is a common verb ("pass it on"): only "temp pass", "new pass", "pass:".
  String.raw`(?:temp(?:orary)?|new|wi-?fi|admin)\s+pass`,
  String.raw`pass(?=\s*[:=])`,
].join('|');

/** What the requester calls a one-time code; a compound must be one of these ("Fehlercode" is not). */
const CODE_WORDS = [
  String.raw`(?:best(?:ä|a\u0308?|ae)tigungs|sicherheits|einmal|verifizierungs|anmelde|zugangs|verificatie|beveiligings|inlog|toegangs|sms-?|mfa-?|2fa-?)?code`,
  String.raw`c(?:ó|o\u0301?)digo`,
  'otp',
  'tan',
  String.raw`pin(?:[- ]?code)?`,
  'token',
].join('|');

/** Codes that are not secrets: "error code 0x80070005", "zip code 90210", "QR code". */
const NOT_AFTER = String.raw`(?<!(?:error|fehler|erreur|fout|status|exit|return|event|stop|bug|zip|post|area|country|product|promo|discount|license|licence|source|bar|qr|http)[\s-]*)`;

/**
 * Between the word and the secret: "password: X", "pw=X", "Passwort ist X", "password is now X",
 * "changed my password to X", "password reset to X", "Kennwort geändert auf X", "el código es X",
 * "mot de passe : X", "wachtwoord gewijzigd in X", or just a space.
 */
const FILLER = [
  'is|was|now|to|in|changed|set|reset',
  String.raw`ist|war|lautet|jetzt|auf|ge(?:ä|a\u0308|ae)ndert|gesetzt`,
  'es|era|ahora|a|cambiad[ao]',
  String.raw`est|(?:é|e\u0301?)tait|maintenant|en|chang(?:é|e\u0301?)|modifi(?:é|e\u0301?)`,
  'nu|naar|wordt|gewijzigd|veranderd',
].join('|');
const LINK = String.raw`(?:\s+(?:${FILLER})(?![\p{L}\p{N}])){0,3}(?:\s*[:=]\s*|\s+)`;
const NOT_MASKED = String.raw`(?!\[(?:password|code) removed\])`;

/** Groups: 1 the word and link, 2 a quoted secret (anything but a line break), 3 a bare one (to the next space). */
const PASSWORD = new RegExp(
  String.raw`(${START}(?:${PASSWORD_WORDS})(?![\p{L}])${LINK})${NOT_MASKED}(?:(["'“‘«„][^\n"'”’»“]{1,64}["'”’»“])|(\S+))`,
  'giu',
);
/** Groups: 1 the word and link, 2 the code: 4 to 8 digits or groups of them ("123-456"), not part of a longer number or date. */
const CODE = new RegExp(
  String.raw`(${START}${NOT_AFTER}(?:${CODE_WORDS})(?![\p{L}])${LINK})(\d{2,4}(?:[ -]\d{2,4}){1,3}|\d{4,8})(?![\p{L}\p{N}]|[-./:]\d)`,
  'giu',
);

/** Words that follow "password" and look like secrets but are not: products, ticket ids, KB numbers, dates. */
const NOT_SECRET =
  /^(?:(?:office|microsoft|m|o)365|win(?:dows)?\d{1,2}|\d?fa|[a-z]{1,5}-\d+|kb\d+|\d{1,4}[./-]\d{1,2}[./-]\d{1,4})$/i;
const LOOKS_LIKE_A_DATE = /^\d{1,2}-\d{1,2}-(?:\d{2}|\d{4})$|^\d{4}-\d{1,2}-\d{1,2}$/;
const EMAIL_OR_LINK = /^[^@\s]+@[^@\s]+\.\p{L}{2,}$|^[a-z][a-z0-9+.-]*:\/\//iu;
/** A word with an apostrophe or hyphen inside ("doesn't", "n'est", "self-service"), maybe exclaimed. */
const PLAIN_WORD = /^\p{L}+(?:['’-]\p{L}+)*[!?]*$/u;

/** Closing punctuation after a bare secret belongs to the sentence; "!" and "?" may be the secret's. */
const withoutClosing = (token: string) => token.replace(/[.,;:)\]}"'”’»]+$/u, '');

/**
 * Whether the word after "password" is the password rather than prose ("expired", "doesn't",
 * "field"). Business passwords must mix kinds of character (Active Directory's complexity rule),
 * so a secret has a digit or a symbol; a plain word is prose unless it is capitalised and ends in
 * "!" ("Welcome!"). After ":" or "=" a shorter secret counts ("pw=ab12").
 */
function looksLikeSecret(token: string, labelled: boolean): boolean {
  const core = withoutClosing(token);
  if (core.length < (labelled ? 4 : 6)) return false;
  if (NOT_SECRET.test(core) || EMAIL_OR_LINK.test(core)) return false;
  if (/^\p{Lu}\p{L}*!+$/u.test(core)) return true;
  return !PLAIN_WORD.test(core);
}

/**
 * Replaces typed passwords with "[password removed]" and one-time codes (verification codes, OTPs,
 * PINs, TANs) with "[code removed]", and says how many it replaced. A password is what follows a
 * word for password (with ":", "=", "is" and the like, or nothing) when it is quoted or looks like
 * one (see `looksLikeSecret`); a code is 4 to 8 digits after a word for code. Everything else stays
 * as typed: error codes, KB numbers, versions, dates, phone numbers. Idempotent.
 */
export function maskSecrets(text: string): { text: string; masked: number } {
  let masked = 0;
  const withoutPasswords = text.replace(
    PASSWORD,
    (match: string, head: string, quoted: string | undefined, bare: string | undefined) => {
      if (quoted !== undefined) {
        masked++;
        return `${head}${PASSWORD_MARKER}`;
      }
      const token = bare ?? '';
      if (!looksLikeSecret(token, /[:=]/.test(head))) return match;
      masked++;
      return `${head}${PASSWORD_MARKER}${token.slice(withoutClosing(token).length)}`;
    },
  );
  const withoutCodes = withoutPasswords.replace(CODE, (match: string, head: string, code: string) => {
    const digits = code.replace(/\D/g, '').length;
    if (digits < 4 || digits > 8 || LOOKS_LIKE_A_DATE.test(code)) return match;
    masked++;
    return `${head}${CODE_MARKER}`;
  });
  return { text: withoutCodes, masked };
}
