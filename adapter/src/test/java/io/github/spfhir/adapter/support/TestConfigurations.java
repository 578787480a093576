package io.github.spfhir.adapter.support;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.util.unit.DataSize;

import io.github.spfhir.adapter.config.AdapterProperties;

/** Settings shared by tests: a fixed clock and the two example destinations, as in application.yml. */
public final class TestConfigurations {

    /** The instant every test clock is fixed at. */
    public static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private TestConfigurations() {
    }

    public static Clock fixedClock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    public static AdapterProperties properties(String partnerBaseUrl) {
        Map<String, AdapterProperties.Destination> destinations = new LinkedHashMap<>();
        AdapterProperties.Retry fastRetry = new AdapterProperties.Retry(4, Duration.ofMillis(20), 2.0, Duration.ofMillis(200));
        destinations.put("example-linkworker", new AdapterProperties.Destination(AdapterProperties.DestinationKind.JSON_REST,
                URI.create(partnerBaseUrl + "/example-linkworker/api/referrals"), "example-linkworker",
                "Example Social Prescribing Link Worker Service",
                List.of("https://fhir.nhs.uk/Id/dos-service-id|2000072489"), List.of("A81001"), "RX9LW",
                "Example Link Worker Organisation", Duration.ofSeconds(5), fastRetry, null, 4));
        destinations.put("example-fhir-platform", new AdapterProperties.Destination(AdapterProperties.DestinationKind.FHIR,
                URI.create(partnerBaseUrl + "/example-fhir-platform/fhir"), null, "Example FHIR Link Worker Service",
                List.of("https://fhir.nhs.uk/Id/dos-service-id|2000099001"), List.of(), "RX9FP",
                "Example FHIR Link Worker Organisation", Duration.ofSeconds(5), fastRetry, null, 4));
        return new AdapterProperties(new AdapterProperties.Fhir("http://localhost:8080/fhir", false, false),
                new AdapterProperties.Intake(5_242_880), destinations, new AdapterProperties.Simulator(false, 0), Map.of(), Map.of(), Map.of(), null, null);
    }

    /**
     * Only the embedded H2 file's compaction set (every second, chunks up to 50 % full, 16 MB a run, as in
     * application.yml), on or off.
     */
    public static AdapterProperties h2CompactionProperties(boolean enabled) {
        return new AdapterProperties(null, null, null, null, null, null, null, null, new AdapterProperties.Store(
                new AdapterProperties.H2Compaction(enabled, Duration.ofSeconds(1), 50, DataSize.ofMegabytes(16)),
                Duration.ofMillis(100)));
    }

    /** The hand-off settings of a mode, with the defaults of application.yml otherwise. */
    public static io.github.spfhir.adapter.config.HandOffProperties handOff(
            io.github.spfhir.adapter.config.HandOffProperties.Mode mode) {
        return new io.github.spfhir.adapter.config.HandOffProperties(mode, "tcp://localhost:61616", null, null,
                Duration.ofMinutes(2), Duration.ofMinutes(1));
    }
}
