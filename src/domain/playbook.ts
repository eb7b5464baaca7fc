import type { Category } from './categories';
import type { AccessProduct, ClientProfile } from './client';
import type { Guide } from './guides';

/**
 * What a playbook promises, written down so that engineers, the README and the escalation package
 * read the same thing: when it may run, what it does, what the requester hears, how success is
 * confirmed, and what an engineer gets when it cannot finish.
 */
export interface PlaybookContract {
  category: Exclude<Category, 'engineering'>;
  name: string;
  preconditions: string[];
  actions: string[];
  requesterIsTold: string;
  confirmedBy: string;
  onFailure: string;
}

const CONFIRMATION = 'The requester answers "Did this resolve your issue?" (signed links or a reply).';

export const PLAYBOOK_CONTRACTS: Record<PlaybookContract['category'], PlaybookContract> = {
  password_reset: {
    category: 'password_reset',
    name: 'MFA-verified password reset',
    preconditions: [
      "The requester's address matches exactly one user in the client's directory.",
      'The account is enabled and cloud-managed (or on-premises with password writeback, and not locked).',
      'The user is registered for self-service reset, or for MFA with a verified contact email.',
    ],
    actions: [
      'Find the user and read their sign-in registration in Microsoft Graph.',
      'Registered for self-service reset: send the self-service reset steps (Microsoft checks MFA).',
      'Otherwise: create a one-time Temporary Access Pass and send it only to the verified contact email.',
    ],
    requesterIsTold:
      'The steps to reset their own password, or where the one-time pass went. Never a password.',
    confirmedBy: CONFIRMATION,
    onFailure:
      'Escalate with the account state (enabled, on-premises domain and account name, registration) and why automation stopped.',
  },
  software_access: {
    category: 'software_access',
    name: 'Licence or group access',
    preconditions: [
      "The request names a product in the client's catalogue, marked self-service.",
      "Its monthly cost is within the client's approval limit.",
      "The requester's address matches exactly one user in the client's directory.",
      'For a licence: a free seat (subscribedSkus enabled minus consumed).',
    ],
    actions: [
      'Assign the licence, or add the user to the group that grants access.',
      'Record who, what, when and why in the audit log.',
    ],
    requesterIsTold: 'What was granted and how to start using it.',
    confirmedBy: CONFIRMATION,
    onFailure:
      'Escalate saying why: not in the catalogue, not self-service, needs approval, no free seat, or what Graph answered.',
  },
  vpn_remote_access: {
    category: 'vpn_remote_access',
    name: "The client's VPN guide",
    preconditions: ["A guide for the client's VPN product (knowledge base or built in)."],
    actions: ['Send the guide for that VPN product, with its pictures.'],
    requesterIsTold: 'The steps for their own VPN app.',
    confirmedBy: CONFIRMATION,
    onFailure: 'Escalate with the guide that was tried and the answer.',
  },
  printer_peripheral: {
    category: 'printer_peripheral',
    name: "The printer guide for the requester's site",
    preconditions: ["A guide that fits the printer at the requester's site, or a general one."],
    actions: ['Send the guide for that printer model, with its pictures.'],
    requesterIsTold: 'The steps for the printer they use.',
    confirmedBy: CONFIRMATION,
    onFailure: 'Escalate with the guide that was tried and the answer.',
  },
  software_error: {
    category: 'software_error',
    name: 'Documented fix for a known error',
    preconditions: ['A knowledge-base article whose tags match the error in the request.'],
    actions: ["Send the article's fix, with its pictures."],
    requesterIsTold: 'The documented fix, step by step.',
    confirmedBy: CONFIRMATION,
    onFailure: 'Escalate: no documented fix matched, or the fix did not work.',
  },
};

/** An action taken on a user or licence, as the audit log keeps it. */
export interface PlaybookAction {
  action: 'temporary_access_pass' | 'licence_assigned' | 'group_member_added';
  target: string;
  detail: string;
}

/** What a playbook ended with. `findings` are what it checked, for the engineer if it escalates. */
export type PlaybookOutcome =
  | { kind: 'guide'; guide: Guide; findings: string[]; actions: PlaybookAction[] }
  | {
      kind: 'escalate';
      reason: string;
      /** A sentence for the requester: plain, kind, no jargon. */
      told: string;
      findings: string[];
      actions: PlaybookAction[];
    };

const LOCKOUT = /\block(?:ed)?[\s-]*out\b|\blockout\b|\baccount (?:is |got |has been )?locked\b/i;

export function mentionsLockout(text: string): boolean {
  return LOCKOUT.test(text);
}

/** `s***@example.org`: enough for the requester to recognise the address, not to read it. */
export function maskAddress(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

const wordsOf = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#.]+/gu, ' ')
    .trim();

/** Catalogue products named in the text, by name or alias, as whole words. */
export function productsNamed(products: AccessProduct[], text: string): AccessProduct[] {
  const haystack = ` ${wordsOf(text)} `;
  return products.filter((p) =>
    [p.product, ...(p.aliases ?? [])].some((name) => haystack.includes(` ${wordsOf(name)} `)),
  );
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string; told: string };

/** The client's policy for one product: the allow list, then the approval limit. */
export function accessDecision(
  product: AccessProduct,
  policy: NonNullable<ClientProfile['access']>,
): AccessDecision {
  if (!product.selfService)
    return {
      allowed: false,
      reason: `${product.product} is not on the client's self-service list; the client must approve it`,
      told: `${product.product} needs approval from your organisation first, so one of our engineers will arrange it with them.`,
    };
  const cost = product.monthlyCost ?? 0;
  if (cost > policy.approvalAboveMonthlyCost)
    return {
      allowed: false,
      reason: `${product.product} costs ${cost} a month per user, above the client's approval limit of ${policy.approvalAboveMonthlyCost}`,
      told: `${product.product} has a cost that your organisation approves first, so one of our engineers will ask them and get back to you.`,
    };
  return { allowed: true };
}
