/** Table names must be alphanumeric, start with a letter, and be 3-63 characters long. */
export function tableName(prefix: string, base: string): string {
  const name = `${prefix}${base}`;
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(name)) throw new Error(`invalid table name "${name}"`);
  return name;
}

/** Escapes a value for an OData string literal in a table filter. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function isRestError(err: unknown, status: number): boolean {
  return typeof err === 'object' && err !== null && (err as { statusCode?: number }).statusCode === status;
}
