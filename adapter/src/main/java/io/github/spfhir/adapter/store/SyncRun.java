package io.github.spfhir.adapter.store;

import java.time.Instant;

/**
 * One sync run of a directory source, as recorded.
 *
 * @param state RUNNING, SUCCEEDED or FAILED
 * @param error the kind of failure only (for example "HTTP 500"), null unless FAILED
 */
public record SyncRun(long id, String sourceId, String mode, Instant startedAt, Instant finishedAt, String state,
        int pages, int services, int rejected, int deactivated, String error) {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    public static final String FULL = "FULL";
}
