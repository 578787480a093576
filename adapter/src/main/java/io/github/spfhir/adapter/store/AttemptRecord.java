package io.github.spfhir.adapter.store;

import java.time.Instant;

/** One delivery attempt as recorded. */
public record AttemptRecord(int attemptNumber, Instant startedAt, long durationMs, Integer httpStatus,
        AttemptOutcome outcome, String error) {
}
