/** Seconds in a host.json TimeSpan ("hh:mm:ss" or "hh:mm:ss.fff"); the fallback when absent or unreadable. */
export function timeSpanSeconds(value: string | undefined, fallback: number): number {
  const m = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(value ?? '');
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : fallback;
}
