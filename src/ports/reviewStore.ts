/** Deliveries that could not become tickets, kept whole for a person to look at. Nothing is dropped. */
export interface ReviewStore {
  keep(item: { source: string; reason: string; raw: string; receivedAt: string }): Promise<void>;
  list(): Promise<{ source: string; reason: string; raw: string; receivedAt: string }[]>;
}
