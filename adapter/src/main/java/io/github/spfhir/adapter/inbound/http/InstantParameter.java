package io.github.spfhir.adapter.inbound.http;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** An optional ISO-8601 instant in an operations endpoint's query, such as {@code from=2026-11-21T00:00:00Z}. */
public final class InstantParameter {

    private InstantParameter() {
    }

    /**
     * @return the instant, or null when the parameter is absent or blank
     * @throws IllegalArgumentException naming the parameter (never quoting the value) when it is not an instant
     */
    public static Instant parseOrNull(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2026-11-21T00:00:00Z");
        }
    }
}
