package io.github.spfhir.adapter.domain.directory;

/**
 * What one sync run of a directory source did.
 *
 * @param runId       the run's id in the store; -1 when the run was skipped because one was already running
 * @param state       SUCCEEDED, FAILED or SKIPPED
 * @param pages       pages read
 * @param services    services stored
 * @param rejected    records skipped (each recorded with its id and reason)
 * @param deactivated services no longer listed by the source, now inactive
 */
public record SyncSummary(long runId, String state, int pages, int services, int rejected, int deactivated) {

    public static final String SKIPPED = "SKIPPED";
}
