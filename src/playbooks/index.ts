import type { Category } from '../domain/categories';
import { printerPlaybook, softwareErrorPlaybook, vpnPlaybook } from './guides';
import { passwordResetPlaybook } from './passwordReset';
import type { Playbook } from './playbook';
import { softwareAccessPlaybook } from './softwareAccess';

const PLAYBOOKS: Partial<Record<Category, Playbook>> = {
  password_reset: passwordResetPlaybook,
  software_access: softwareAccessPlaybook,
  vpn_remote_access: vpnPlaybook,
  printer_peripheral: printerPlaybook,
  software_error: softwareErrorPlaybook,
};

/** The playbook for a category; engineering work has none. */
export function playbookFor(category: Category): Playbook | undefined {
  return PLAYBOOKS[category];
}

export type { Playbook, PlaybookContext } from './playbook';
