import type { ClientProfile } from '../domain/client';

export interface ClientStore {
  get(clientId: string): Promise<ClientProfile | undefined>;
  put(profile: ClientProfile): Promise<void>;
  list(): Promise<ClientProfile[]>;
}
