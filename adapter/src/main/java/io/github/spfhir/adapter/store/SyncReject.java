package io.github.spfhir.adapter.store;

/** A record a sync run skipped: its page, the source's id for it (null when it had none) and why. */
public record SyncReject(int page, String recordId, String reason) {
}
