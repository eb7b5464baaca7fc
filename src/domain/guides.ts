import type { Category } from './categories';
import type { ClientProfile } from './client';

export interface Guide {
  articleId: string;
  title: string;
  steps: string[];
  /** The opening sentence when the default ("these steps usually sort it out") does not fit. */
  intro?: string;
  /** Blob names of the knowledge-base pictures, sent inline under the steps. */
  images?: string[];
}

/** After a Temporary Access Pass went to the user's verified personal address. */
export function temporaryPassGuide(maskedAddress: string, minutes: number): Guide {
  return {
    articleId: 'builtin-temporary-access-pass',
    title: 'Getting back into your account with a one-time pass',
    intro: `We've checked your account and sent a one-time sign-in pass to the personal email address you registered with us (${maskedAddress}). For your safety it is not in this email. It works once, for ${minutes} minutes.`,
    steps: [
      'Open https://aka.ms/mysecurityinfo and enter your work email address.',
      'When asked for a password, choose "Use a Temporary Access Pass" and type the pass from the other email.',
      'Set up the Microsoft Authenticator app on your phone when asked, so this is easier next time.',
      'Then go to https://aka.ms/sspr and choose a new password you have not used before.',
    ],
  };
}

/** After a licence or group membership was granted, or found already in place. */
export function accessGrantedGuide(product: string, already: boolean): Guide {
  return {
    articleId: 'builtin-access-granted',
    title: `Your access to ${product}`,
    intro: already
      ? `We've checked, and your account already has ${product}. It usually just needs a fresh sign-in:`
      : `Good news: we've given your account access to ${product}. It can take up to 30 minutes to show up, then:`,
    steps: [
      `Close ${product} and any Microsoft 365 apps, then sign out and sign back in with your work email.`,
      `Open ${product}. If it asks you to sign in or activate, use your work email.`,
      'If it still says you have no access after 30 minutes, reply and tell us what you see.',
    ],
  };
}

/**
 * The built-in guides a playbook sends, specialised with the client's own products. The knowledge
 * base (its own issue) replaces these with each client's articles; these remain the fallback.
 */
export function guideFor(category: Category, client: ClientProfile, site?: string): Guide | undefined {
  const vpn = client.systemProfile.vpnProduct ?? 'your VPN app';
  switch (category) {
    case 'password_reset':
      return {
        articleId: 'builtin-password-reset',
        title: 'Getting back into your account',
        steps: [
          'Go to https://aka.ms/sspr on your phone or computer.',
          'Enter your work email address and follow the steps. You will be asked to confirm it is you with your phone or authenticator app.',
          'Choose a new password you have not used before.',
          'If your account says it is locked, wait 15 minutes after resetting and sign in again.',
        ],
      };
    case 'software_access':
      return {
        articleId: 'builtin-software-access',
        title: 'Getting access to an app',
        steps: [
          'Sign out of the app and sign back in, so it picks up any new permissions.',
          'If it still says you have no access, reply with the app name and what you need to do in it.',
        ],
      };
    case 'vpn_remote_access':
      return {
        articleId: 'builtin-vpn',
        title: `Connecting with ${vpn}`,
        steps: [
          'Check you are connected to the internet (open any website).',
          `Quit ${vpn} completely and open it again.`,
          `Sign in with your work email and approve the request on your phone.`,
          'If it still will not connect, restart your computer and try once more.',
        ],
      };
    case 'printer_peripheral': {
      const all = client.systemProfile.printers ?? {};
      const mine = site ? all[site] : undefined;
      const printers = mine && site ? [[site, mine] as const] : Object.entries(all);
      const list = printers.map(([where, model]) => `${where}: ${model}`).join('; ');
      return {
        articleId: 'builtin-printer',
        title: 'Getting your printer working again',
        steps: [
          'Check the printer is switched on, has paper, and shows no error on its screen.',
          'Turn the printer off, wait ten seconds, and turn it back on.',
          `On your computer, open Settings > Printers, remove the printer and add it again${mine ? ` (yours is the ${mine})` : list ? ` (your printers are ${list})` : ''}.`,
          'Print a test page.',
        ],
      };
    }
    case 'software_error':
      return {
        articleId: 'builtin-software-error',
        title: 'When an app keeps crashing or showing an error',
        steps: [
          'Save your work and close the app completely.',
          'Restart your computer.',
          'Open the app again. If the error comes back, reply with the exact message or a screenshot.',
        ],
      };
    case 'engineering':
      return undefined;
  }
}

/** What an engineer should try first, by category. */
export function suggestedSteps(category: Category): string[] {
  switch (category) {
    case 'password_reset':
      return [
        'Check the account in Entra ID: locked, disabled, or risky sign-ins?',
        'Confirm identity through a known contact method before any reset.',
        'Check the user is registered for self-service password reset and MFA.',
      ];
    case 'software_access':
      return [
        'Check licence availability for the product.',
        'Check group membership that grants the access.',
        'Confirm the manager approved the request if the product has a cost.',
      ];
    case 'vpn_remote_access':
      return [
        'Check the VPN gateway status and recent changes.',
        'Look at the user’s last VPN sign-in attempts.',
        'Confirm the client version on the device.',
      ];
    case 'printer_peripheral':
      return [
        'Check the printer’s status page and queue.',
        'Check the print server and driver version.',
        'Confirm the device can reach the printer’s IP address.',
      ];
    case 'software_error':
      return [
        'Collect the exact error and the app version.',
        'Check for a known issue after recent updates.',
        'Try a repair install on the device.',
      ];
    case 'engineering':
      return [
        'Read the full conversation and the system profile below.',
        'Assess scope: one user, a team, or the whole site.',
        'If security is involved, follow the incident response runbook first.',
      ];
  }
}
