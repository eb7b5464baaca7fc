import { singleLine } from './text';
import { subjectToken, type Ticket } from './ticket';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Pictures shown in the HTML through `cid:` links. */
  images?: InlineImage[];
}

export interface InlineImage {
  contentId: string;
  name: string;
  contentType: string;
  contentBase64: string;
}

const escapeHtml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function greeting(ticket: Ticket): string {
  const first = ticket.requester.name?.split(/\s+/)[0];
  return first ? `Hi ${first},` : 'Hello,';
}

/** Paragraphs of plain text as mail HTML, escaped. */
export function toHtml(paragraphs: string[]): string {
  return paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
}

function mail(ticket: Ticket, subject: string, paragraphs: string[]): MailMessage {
  return {
    to: ticket.requester.email,
    // The last guard before a mail header: nothing here may break a line.
    subject: singleLine(`${subjectToken(ticket.ticketId)} ${subject}`),
    text: paragraphs.join('\n\n'),
    html: toHtml(paragraphs),
  };
}

/**
 * The ticket's number in the MSP's PSA: the ticket it came from, or the one autotier opened for it
 * (known only after the acknowledgement, which never waits on the PSA).
 */
const serviceDeskNumber = (ticket: Ticket): string | undefined =>
  ticket.externalNumber ?? ticket.psaTicket?.number;

/**
 * The idempotency key of a ticket's mail for one step. The intake and the workflow's activities
 * name a mail alike, so whichever sends it first sends it, and the other finds it sent.
 */
export const mailKey = (ticketId: string, step: string) => `${ticketId}.${step}`;

/** The first response: sent the moment a ticket arrives. */
export function acknowledgementMail(ticket: Ticket): MailMessage {
  return mail(ticket, `We've got your request: ${ticket.subject}`, [
    greeting(ticket),
    `Thanks for getting in touch. We've received your request "${ticket.subject}" and it's now in our queue. Your reference number is ${ticket.ticketId}${serviceDeskNumber(ticket) ? ` (ticket ${serviceDeskNumber(ticket)} with our service desk)` : ''}.`,
    "We'll look at it straight away. If it's something we can sort out quickly, you'll hear from us in a few minutes with the steps. If it needs one of our engineers, we'll tell you who has it and when to expect an answer.",
    'If you want to add anything, just reply to this email and keep the reference in the subject.',
    ...(ticket.statusLink
      ? [`You can follow it, answer and reply on its page too: ${ticket.statusLink}`]
      : []),
    'Your IT support team',
  ]);
}

export interface ConfirmLinks {
  yes: string;
  no: string;
}

/** A time the requester understands: their client's time zone, in words. */
export function friendlyTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

function withLinks(
  ticket: Ticket,
  subject: string,
  intro: string[],
  steps: string[],
  links: ConfirmLinks,
  outro: string[],
  images: InlineImage[] = [],
): MailMessage {
  const stepsText = steps.map((s, i) => `${i + 1}. ${s}`).join('\n');
  const question = 'Did this resolve your issue?';
  const text = [
    ...intro,
    ...(steps.length ? [stepsText] : []),
    question,
    `Yes, it's fixed: ${links.yes}`,
    `No, it's still not working: ${links.no}`,
    ...outro,
  ].join('\n\n');
  const html = [
    toHtml(intro),
    ...(steps.length ? [`<ol>${steps.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>`] : []),
    ...images.map(
      (img, i) =>
        `<p><img src="cid:${escapeHtml(img.contentId)}" alt="Picture ${i + 1} for the steps" style="max-width:100%"></p>`,
    ),
    `<p><strong>${question}</strong></p>`,
    `<p><a href="${escapeHtml(links.yes)}">Yes, it's fixed</a> &nbsp;|&nbsp; <a href="${escapeHtml(links.no)}">No, it's still not working</a></p>`,
    toHtml(outro),
  ].join('\n');
  return {
    to: ticket.requester.email,
    // The last guard before a mail header: nothing here may break a line.
    subject: singleLine(`${subjectToken(ticket.ticketId)} ${subject}`),
    text,
    html,
    ...(images.length ? { images } : {}),
  };
}

export function guideMail(
  ticket: Ticket,
  guide: { title: string; steps: string[]; intro?: string },
  links: ConfirmLinks,
  images: InlineImage[] = [],
): MailMessage {
  return withLinks(
    ticket,
    `${guide.title}`,
    [
      greeting(ticket),
      guide.intro ?? 'This is a common one, and these steps usually sort it out in a few minutes:',
    ],
    images.length ? [...guide.steps, 'The pictures below show these steps.'] : guide.steps,
    links,
    ['You can also just reply to this email and tell us how it went.', 'Your IT support team'],
    images,
  );
}

export function reminderMail(
  ticket: Ticket,
  guide: { title: string; steps: string[] },
  links: ConfirmLinks,
): MailMessage {
  return withLinks(
    ticket,
    `Did the steps help? (${guide.title})`,
    [
      greeting(ticket),
      `We sent you some steps for "${ticket.subject}" and wanted to check they worked. Here they are again:`,
    ],
    guide.steps,
    links,
    ["If we don't hear back, we'll follow up ourselves.", 'Your IT support team'],
  );
}

/** The one-click ratings of a closing mail, from 1 (poor) to 5 (great), in that order. */
export type RatingLinks = readonly [string, string, string, string, string];

/** What each score means, in the words the rating page and the mail both use. */
export const RATING_LABELS = ['Poor', 'Not great', 'OK', 'Good', 'Great'] as const;

/**
 * A closing mail: its paragraphs, then (when there are links) "How did we do?" with one link per
 * score, then the sign-off.
 */
function closingMail(
  ticket: Ticket,
  subject: string,
  paragraphs: string[],
  rating?: RatingLinks,
): MailMessage {
  const message = mail(ticket, subject, paragraphs);
  if (!rating) return message;
  const body = paragraphs.slice(0, -1);
  const signOff = paragraphs.slice(-1);
  const ask = 'How did we do? One click on a number tells us, from 1 (poor) to 5 (great):';
  const lines = rating.map((url, i) => `${i + 1} - ${RATING_LABELS[i] ?? ''}: ${url}`).join('\n');
  const buttons = rating
    .map(
      (url, i) =>
        `<a href="${escapeHtml(url)}" style="display:inline-block;margin:0 6px 6px 0;padding:6px 12px;border:1px solid #1b5e9e;border-radius:4px;color:#1b5e9e;text-decoration:none">${i + 1} ${escapeHtml(RATING_LABELS[i] ?? '')}</a>`,
    )
    .join(' ');
  return {
    ...message,
    text: [
      ...body,
      ask,
      lines,
      'It is optional, and you can add a comment on the page that opens.',
      ...signOff,
    ].join('\n\n'),
    html: [
      toHtml(body),
      toHtml([ask]),
      `<p>${buttons}</p>`,
      toHtml(['It is optional, and you can add a comment on the page that opens.', ...signOff]),
    ].join('\n'),
  };
}

export function resolvedMail(ticket: Ticket, summary: string, rating?: RatingLinks): MailMessage {
  return closingMail(
    ticket,
    `Resolved: ${ticket.subject}`,
    [
      greeting(ticket),
      `Great news: we've marked your request "${ticket.subject}" as resolved.`,
      `What fixed it: ${summary}`,
      'If the problem comes back, just reply to this email and we will pick it up again.',
      'Your IT support team',
    ],
    rating,
  );
}

export function escalatedMail(
  ticket: Ticket,
  expectAnswerBy: string | undefined,
  timeZone: string,
  /** Why automation handed over, in the requester's words (from the playbook). */
  why?: string,
): MailMessage {
  const when = expectAnswerBy
    ? `You can expect to hear from them by ${friendlyTime(expectAnswerBy, timeZone)}.`
    : 'They will be in touch as soon as they can.';
  return mail(ticket, `An engineer is on it: ${ticket.subject}`, [
    greeting(ticket),
    ...(why ? [why] : []),
    `One of our engineers now has your request "${ticket.subject}", along with everything you've told us so far, so you won't need to explain it again.`,
    ...(serviceDeskNumber(ticket)
      ? [
          `It is ticket ${serviceDeskNumber(ticket)} with our service desk (our reference ${ticket.ticketId}): quote either if you call us.`,
        ]
      : []),
    when,
    'If anything changes in the meantime, just reply to this email.',
    'Your IT support team',
  ]);
}

export function handedUpMail(ticket: Ticket): MailMessage {
  return mail(ticket, `Update on your request: ${ticket.subject}`, [
    greeting(ticket),
    `We've passed your request "${ticket.subject}" to a more senior engineer to make sure it gets sorted without delay.`,
    "You don't need to do anything. We'll be in touch.",
    'Your IT support team',
  ]);
}

/** An engineer's plan. Only their public note is quoted: the plan's internal note never reaches a requester. */
export function planMail(ticket: Ticket, publicNote?: string): MailMessage {
  return mail(ticket, `We're working on it: ${ticket.subject}`, [
    greeting(ticket),
    ...(publicNote
      ? ['An engineer is working on your request. Here is what they are doing:', publicNote]
      : [`An engineer has picked up your request "${ticket.subject}" and is working on it.`]),
    "You don't need to do anything for now. If anything changes, just reply to this email.",
    'Your IT support team',
  ]);
}

/** An engineer fixed it. Their public note, if they wrote one; never their internal note. */
export function resolvedByEngineerMail(
  ticket: Ticket,
  publicNote?: string,
  rating?: RatingLinks,
): MailMessage {
  return closingMail(
    ticket,
    `Resolved: ${ticket.subject}`,
    [
      greeting(ticket),
      `Good news: one of our engineers has resolved your request "${ticket.subject}".`,
      ...(publicNote ? [`What they did: ${publicNote}`] : []),
      'If the problem comes back, just reply to this email and we will pick it up again.',
      'Your IT support team',
    ],
    rating,
  );
}

/** A reply we could not read as yes or no ("ok", "?"): ask once, with the buttons again. */
export function clarifyMail(ticket: Ticket, guide: { title: string }, links: ConfirmLinks): MailMessage {
  return withLinks(
    ticket,
    `Just checking: did the steps work? (${guide.title})`,
    [
      greeting(ticket),
      `Thanks for your reply. We want to be sure we understood: did the steps we sent for "${ticket.subject}" fix the problem?`,
    ],
    [],
    links,
    [
      'Or just reply "yes" or "no". If you need something else, tell us in a few words.',
      'Your IT support team',
    ],
  );
}

/** A reply after the close that reads as neither thanks nor "it's back": ask before reopening. */
export function clarifyAfterCloseMail(ticket: Ticket): MailMessage {
  return mail(ticket, `Is it back? ${ticket.subject}`, [
    greeting(ticket),
    `Thanks for your message about "${ticket.subject}". Has the problem come back?`,
    'If it has, just reply "it\'s back" or tell us what you see, and we\'ll reopen your request straight away. If all is well, there is nothing you need to do.',
    'Your IT support team',
  ]);
}

export function closedUnconfirmedMail(ticket: Ticket, rating?: RatingLinks): MailMessage {
  return closingMail(
    ticket,
    `Closing your request: ${ticket.subject}`,
    [
      greeting(ticket),
      `We haven't heard back about "${ticket.subject}", so we hope the steps did the trick and we've closed the request.`,
      "If it's still not working, just reply to this email and we'll reopen it straight away.",
      'Your IT support team',
    ],
    rating,
  );
}

export function reopenedMail(ticket: Ticket): MailMessage {
  return mail(ticket, `Reopened: ${ticket.subject}`, [
    greeting(ticket),
    `Thanks for letting us know. We've reopened your request "${ticket.subject}" and an engineer will pick it up.`,
    'Your IT support team',
  ]);
}

/**
 * The one mail that carries a credential: a one-time Temporary Access Pass, sent only to an
 * address the user registered and verified for sign-in, never to the address a request came from.
 */
export function temporaryAccessPassMail(input: {
  to: string;
  name?: string;
  pass: string;
  minutes: number;
  ticketId: string;
}): MailMessage {
  const first = input.name?.split(/\s+/)[0];
  const paragraphs = [
    first ? `Hi ${first},` : 'Hello,',
    `You asked us for help getting into your work account (reference ${input.ticketId}). Here is a one-time sign-in pass:`,
    input.pass,
    `It works once, within the next ${input.minutes} minutes. Open https://aka.ms/mysecurityinfo, enter your work email address, and when asked for a password choose "Use a Temporary Access Pass" and type the pass above.`,
    "We will never ask you to tell us this pass. If you didn't ask for help, don't use it, and reply to this email straight away so we can check your account.",
    'Your IT support team',
  ];
  return {
    to: input.to,
    subject: `${subjectToken(input.ticketId)} Your one-time sign-in pass`,
    text: paragraphs.join('\n\n'),
    html: toHtml(paragraphs),
  };
}
