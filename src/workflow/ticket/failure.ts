/** The first line of an error, short enough for a timeline note and a requester-free alert. */
export function failureReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]?.slice(0, 300) ?? 'unknown error';
}
