package io.github.spfhir.adapter.store;

import java.time.Instant;

/**
 * One sync run of a directory source, as recorded.
 *
 * @param mode          FULL or INCREMENTAL
 * @param state         RUNNING, SUCCEEDED or FAILED
 * @param error         the kind of failure only (for example "HTTP 500"), null unless FAILED
 * @param modifiedAfter the {@code modified_after} an INCREMENTAL run asked its source for; null for a FULL run
 */
public record SyncRun(long id, String sourceId, String mode, Instant startedAt, Instant finishedAt, String state,
        int pages, int services, int rejected, int deactivated, String error, Instant modifiedAfter) {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
    /** Every service of the source read; those not seen become inactive. */
    public static final String FULL = "FULL";
    /** Only the services modified since the cursor read; nothing is deactivated. */
    public static final String INCREMENTAL = "INCREMENTAL";
}
