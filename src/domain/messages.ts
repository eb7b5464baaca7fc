import { subjectToken, type Ticket } from './ticket';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
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

function toHtml(paragraphs: string[]): string {
  return paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('\n');
}

function mail(ticket: Ticket, subject: string, paragraphs: string[]): MailMessage {
  return {
    to: ticket.requester.email,
    subject: `${subjectToken(ticket.ticketId)} ${subject}`,
    text: paragraphs.join('\n\n'),
    html: toHtml(paragraphs),
  };
}

/** The first response: sent the moment a ticket arrives. */
export function acknowledgementMail(ticket: Ticket): MailMessage {
  return mail(ticket, `We've got your request: ${ticket.subject}`, [
    greeting(ticket),
    `Thanks for getting in touch. We've received your request "${ticket.subject}" and it's now in our queue. Your reference number is ${ticket.ticketId}.`,
    "We'll look at it straight away. If it's something we can sort out quickly, you'll hear from us in a few minutes with the steps. If it needs one of our engineers, we'll tell you who has it and when to expect an answer.",
    'If you want to add anything, just reply to this email and keep the reference in the subject.',
    'Your IT support team',
  ]);
}
