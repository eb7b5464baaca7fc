import type { IntakeMessage } from '../domain/webhookIntake';

/** Where accepted deliveries wait until intake turns them into tickets (the intake queue). */
export interface IntakeQueue {
  send(message: IntakeMessage): Promise<unknown>;
}

/** A queue's poison queue as the hourly watch sees it: whether it exists, and how full it is. */
export interface PoisonQueue {
  readonly name: string;
  exists(): Promise<boolean>;
  getProperties(): Promise<{ approximateMessagesCount?: number }>;
}
