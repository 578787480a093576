package io.github.spfhir.adapter.store;

import java.time.Instant;

/** A FHIR resource as stored: its JSON and version metadata. */
public record StoredResource(String resourceType, String id, int versionId, Instant lastUpdated, String json) {
}
