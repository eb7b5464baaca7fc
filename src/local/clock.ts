export interface Clock {
  now(): number;
  /** Called whenever time jumps (virtual clocks only). */
  onAdvance(listener: () => void): void;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
  onAdvance(): void {}
}

/** Time that moves only when told to, so a 4-hour SLA runs in milliseconds in a test. */
export class VirtualClock implements Clock {
  private listeners: (() => void)[] = [];
  constructor(private current: number = Date.now()) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('time only moves forward');
    this.current += ms;
    this.listeners.forEach((l) => l());
  }

  onAdvance(listener: () => void): void {
    this.listeners.push(listener);
  }
}
