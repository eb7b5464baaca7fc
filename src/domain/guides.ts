import type { Category } from './categories';
import type { ClientProfile } from './client';

export interface Guide {
  articleId: string;
  title: string;
  steps: string[];
}

/**
 * The built-in guides a playbook sends, specialised with the client's own products. The knowledge
 * base (its own issue) replaces these with each client's articles; these remain the fallback.
 */
export function guideFor(category: Category, client: ClientProfile): Guide | undefined {
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
      const printers = Object.entries(client.systemProfile.printers ?? {});
      const list = printers.map(([site, model]) => `${site}: ${model}`).join('; ');
      return {
        articleId: 'builtin-printer',
        title: 'Getting your printer working again',
        steps: [
          'Check the printer is switched on, has paper, and shows no error on its screen.',
          'Turn the printer off, wait ten seconds, and turn it back on.',
          `On your computer, open Settings > Printers, remove the printer and add it again${list ? ` (your printers are ${list})` : ''}.`,
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
