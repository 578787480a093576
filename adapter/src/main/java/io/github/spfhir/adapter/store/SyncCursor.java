package io.github.spfhir.adapter.store;

import java.time.Instant;

/**
 * Where a directory source's syncs stand ({@code directory_sync_cursor}).
 *
 * @param sourceId              the source
 * @param lastRunId             its latest run, whatever its state; null before the first
 * @param lastSuccessRunId      its latest successful run (full or incremental); null before the first
 * @param modifiedAfter         the start of that run: an incremental sync asks for what changed since then
 * @param lastFullSuccessRunId  its latest successful full run; null before the first
 * @param lastFullStartedAt     the start of that full run: the next full sync is due a set period after it
 */
public record SyncCursor(String sourceId, Long lastRunId, Long lastSuccessRunId, Instant modifiedAfter,
        Long lastFullSuccessRunId, Instant lastFullStartedAt) {
}
