/** A busy verify (one at a time per process) answers 503 with this Retry-After. */
export const VERIFY_RETRY_AFTER_SECONDS = 5;
