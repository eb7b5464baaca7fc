/**
 * The claim check: a queue message holds 64 KiB (48 KiB of JSON once base64-encoded), so a larger
 * body goes to Blob storage and the message carries only the blob's name.
 */
export interface Claim {
  $claim: string;
}

/** Past this many base64 characters a message body is claimed rather than sent inline. */
export const MAX_INLINE_MESSAGE_CHARS = 48 * 1024;

export function isClaim(value: unknown): value is Claim {
  return typeof value === 'object' && value !== null && typeof (value as Claim).$claim === 'string';
}

/** Reads and removes claimed bodies; `read` gives undefined when the blob is gone (handled before). */
export interface ClaimStore {
  read(claim: Claim): Promise<unknown>;
  drop(claim: Claim): Promise<void>;
}
