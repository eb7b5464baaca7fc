export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerSettings {
  /** Consecutive failures that open the breaker. */
  failures: number;
  /** How long it stays open before one trial call is let through. */
  openMs: number;
}

/**
 * A circuit breaker on a dependency autotier can do without: after `failures` failures in a row
 * it opens and nothing is tried for `openMs`; then one trial goes through (half open): success
 * closes it, failure opens it again for another `openMs`. Time comes from the caller's clock.
 */
export class CircuitBreaker {
  private consecutive = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number,
  ) {}

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.settings.openMs ? 'half_open' : 'open';
  }

  /** Whether a call may go out now; in half open, only one at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.consecutive = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  failure(): void {
    this.trialInFlight = false;
    this.consecutive++;
    if (this.openedAt !== undefined || this.consecutive >= this.settings.failures) this.openedAt = this.now();
  }
}
