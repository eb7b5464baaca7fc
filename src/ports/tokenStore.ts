/** Remembers which single-use link tokens and which delivery ids were used. */
export interface TokenStore {
  /**
   * true the first time a nonce is used, false every time after. A nonce given an expiry is
   * forgotten once it has passed (a link that expired cannot be used anyway; a delivery id is
   * not repeated after it); without one it is kept for good.
   */
  use(nonce: string, expiresAt?: Date): Promise<boolean>;
  /** Forgets one nonce (a delivery that could not be queued after all, so its retry is not a duplicate). */
  forget(nonce: string, expiresAt?: Date): Promise<void>;
  /** Forgets the nonces whose expiry has passed; returns how many. */
  sweep(now: Date): Promise<number>;
}
