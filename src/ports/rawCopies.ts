/**
 * Raw copies of what people sent, kept whole for audit and re-processing (the raw mail, a review
 * entry, a claim-checked delivery): never shown or sent, and deleted after
 * AUTOTIER_RAW_RETENTION_DAYS. The ticket itself keeps only the masked text.
 */
export interface RawCopies {
  /** What these copies are, for the log. */
  readonly name: string;
  /** Deletes the copies stored before `cutoff`; returns how many went. */
  purgeBefore(cutoff: Date): Promise<number>;
}
