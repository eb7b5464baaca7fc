import { foldText } from './text';

/**
 * The line a mail client puts above quoted history, matched on folded text (see `foldText`), so
 * "a écrit", a decomposed "é" and a client's plain "a ecrit" are one spelling.
 */
const ATTRIBUTIONS: RegExp[] = [
  // "On Mon, 2 Mar 2026, IT Support <…> wrote:", "Am 02.03.2026 um 10:00 schrieb IT Support <…>:",
  // "El lun, 2 mar 2026, IT Support escribió:", "Le lun. 2 mars 2026, IT Support a écrit :",
  // "Op ma 2 mrt 2026 om 10:00 schreef IT Support <…>:"
  /^\s*on\s.+\swrote\s*:\s*$/,
  /^\s*am\s.+\sschrieb(\s.*)?:\s*$/,
  /^\s*el\s.+\sescribio\s*:\s*$/,
  /^\s*le\s.+\sa\s+ecrit\s*:\s*$/,
  /^\s*op\s.+\sschreef(\s.*)?:\s*$/,
  // A client that mixes languages: "Le 2 mars 2026, IT Support wrote:".
  /^\s*(on|le|am|el|op)\s.{4,200}(wrote|a ecrit|schrieb|escribio|schreef)\s*:\s*$/,
  // Thunderbird: "IT Support schrieb am 02.03.2026 um 10:00:", "IT Support schreef op 2-3-2026 10:00:"
  /^.+\s(schrieb am|schreef op)\s.+:\s*$/,
];
/** Outlook's separator line. */
const SEPARATOR =
  /^\s*-{2,}\s*(original message|ursprungliche nachricht|mensaje original|message d'origine|oorspronkelijk bericht)\s*-{2,}/;
/** The first line of Outlook's header block of the quoted mail... */
const FROM_LINE = /^\s*\*?(from|von|de|van)\s*:\*?\s+\S/;
/** ...which counts when a Sent/Date/To line follows within three lines... */
const HEADER_NEXT = /^\s*\*?(sent|date|gesendet|envoye|enviado|verzonden|to|an|a|para|aan)\s*:/;
/** ...or when it holds nothing but a name and an address (a client that quotes only From). */
const FROM_ADDRESS_ONLY =
  /^\s*\*?(from|von|de|van)\s*:\*?\s+([^<>@]*<[^<>\s@]+@[^<>\s]+>|[^<>\s@]+@[^<>\s]+)\s*$/;
/** Attribution lines are short; longer lines are never tried (the patterns stay linear). */
const MAX_HEADER_CHARS = 500;

const isAttribution = (folded: string) =>
  folded.length <= MAX_HEADER_CHARS && ATTRIBUTIONS.some((re) => re.test(folded));

/** Where the quoted history starts at line `i`, if it does: `i`, or the underscore rule above it. */
function historyStart(folded: readonly string[], i: number): number | undefined {
  const line = folded[i] ?? '';
  if (line.length > MAX_HEADER_CHARS) return undefined;
  if (SEPARATOR.test(line) || isAttribution(line)) return i;
  if (
    FROM_LINE.test(line) &&
    (FROM_ADDRESS_ONLY.test(line) || folded.slice(i + 1, i + 4).some((l) => HEADER_NEXT.test(l)))
  )
    return i > 0 && /^\s*_{5,}\s*$/.test(folded[i - 1] ?? '') ? i - 1 : i;
  // Gmail wraps a long attribution over two lines: a line that starts like one, or has a date or
  // time in it, is tried joined to the next (unless the next is a header on its own).
  const next = folded[i + 1];
  if (
    next !== undefined &&
    (/^\s*(on|le|am|el|op)\s/.test(line) || /\d/.test(line)) &&
    historyStart(folded.slice(i + 1, i + 2), 0) === undefined &&
    isAttribution(`${line} ${next}`)
  )
    return i;
  return undefined;
}

export interface StripQuotedOptions {
  /**
   * Keep lines quoted with ">" between the requester's own lines (an answer written under each
   * quoted question): a stored reply keeps that context for the engineer who reads it. A trailing
   * run of ">" lines is history and goes either way. Reading what a reply says drops every ">"
   * line (the default), so the quoted question is never read as the answer.
   */
  keepInlineQuotes?: boolean;
}

/**
 * A reply's new text: without the history it quotes and without the sender's signature (from a
 * "-- " line). History starts at the line a mail client puts above it ("On <date>, <name> wrote:"
 * and its German, Spanish, French and Dutch forms, Thunderbird's "<name> schrieb am <date>:",
 * Gmail's attribution wrapped onto two lines), Outlook's "-----Original Message-----" separator or
 * its header block ("From:" followed by "Sent:", "Date:" or "To:", or a "From:" line with only a
 * name and address; "From: my manager ..." in a sentence is not a header), with an underscore
 * rule above it, or a trailing run of lines quoted with ">".
 */
export function stripQuoted(text: string, options: StripQuotedOptions = {}): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const folded = lines.map(foldText);
  // Lines after the last one of the requester's own are a trailing run of ">" lines (or blank).
  const lastOwn = lines.findLastIndex((l) => !/^\s*(>|$)/.test(l));
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    const start = historyStart(folded, i);
    if (start !== undefined) {
      if (start < i) kept.pop(); // the underscore rule above Outlook's header block
      break;
    }
    if (/^\s*>/.test(line)) {
      if (!options.keepInlineQuotes) continue;
      if (i > lastOwn) break;
    }
    kept.push(line);
  }
  const signature = kept.findIndex((l) => l === '-- ' || l === '--');
  return (signature >= 0 ? kept.slice(0, signature) : kept).join('\n').trim();
}
