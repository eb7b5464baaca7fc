export const CATEGORIES = [
  'password_reset',
  'software_access',
  'vpn_remote_access',
  'printer_peripheral',
  'software_error',
  'engineering',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Categories that a documented playbook may resolve without an engineer. */
export const AUTOMATABLE: ReadonlySet<Category> = new Set([
  'password_reset',
  'software_access',
  'vpn_remote_access',
  'printer_peripheral',
  'software_error',
]);

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}
