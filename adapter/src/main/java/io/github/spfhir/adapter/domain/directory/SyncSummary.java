package io.github.spfhir.adapter.domain.directory;

import java.time.Instant;

/**
 * What one sync run of a directory source did.
 *
 * @param runId         the run's id in the store; -1 when the run was skipped because one was already running
 * @param mode          FULL or INCREMENTAL (null when skipped)
 * @param modifiedAfter what an INCREMENTAL run asked the source for; null otherwise
 * @param state         SUCCEEDED, FAILED or SKIPPED
 * @param pages         pages read
 * @param services      services stored
 * @param rejected      records skipped (each recorded with its id and reason)
 * @param deactivated   services no longer listed by the source, now inactive (full runs only)
 */
public record SyncSummary(long runId, String mode, Instant modifiedAfter, String state, int pages, int services,
        int rejected, int deactivated) {

    public static final String SKIPPED = "SKIPPED";
}
