/** Remembers which single-use link tokens were used. */
export interface TokenStore {
  /** true the first time a nonce is used, false every time after. */
  use(nonce: string): Promise<boolean>;
}
