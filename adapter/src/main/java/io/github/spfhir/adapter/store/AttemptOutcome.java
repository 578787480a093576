package io.github.spfhir.adapter.store;

/** What one delivery attempt came to. */
public enum AttemptOutcome {
    /** the partner accepted it (2xx) */
    DELIVERED,
    /** a failure worth retrying: 408, 429, 5xx, timeout, connection refused */
    RETRYABLE_FAILURE,
    /** a refusal retrying cannot fix: any other 4xx */
    PERMANENT_FAILURE
}
