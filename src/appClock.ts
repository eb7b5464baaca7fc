/**
 * The app's sense of "now" outside orchestrations (HTTP handlers, link expiry, outbox stamps).
 * Always the system clock in Azure; the local runtime points it at its virtual clock in tests, so
 * that links signed in orchestration time are checked in the same time.
 */
export const appClock = {
  now: (): number => Date.now(),
};
