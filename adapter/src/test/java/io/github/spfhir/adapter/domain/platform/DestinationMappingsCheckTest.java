package io.github.spfhir.adapter.domain.platform;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.config.AdapterProperties.Destination;
import io.github.spfhir.adapter.config.AdapterProperties.DestinationKind;

class DestinationMappingsCheckTest {

    private final PlatformMappings mappings = new PlatformMappings();

    @Test
    void jsonRestDestinationsWithShippedMappingsAndFhirDestinationsPass() {
        assertThatCode(() -> new DestinationMappingsCheck(properties(Map.of(
                "a", destination(DestinationKind.JSON_REST, "example-linkworker"),
                "b", destination(DestinationKind.FHIR, null))), mappings))
                .doesNotThrowAnyException();
    }

    @Test
    void missingOrUnknownMappingStopsTheStart() {
        assertThatThrownBy(() -> new DestinationMappingsCheck(properties(Map.of(
                "joy", destination(DestinationKind.JSON_REST, "joy"),
                "local", destination(DestinationKind.JSON_REST, null))), mappings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("adapter.destinations.joy.mapping 'joy' does not exist (no mappings/platforms/joy.yaml;"
                        + " known: [example-linkworker]); adapter.destinations.local.mapping is not set (a json-rest"
                        + " destination needs one of [example-linkworker])");
    }

    private static AdapterProperties properties(Map<String, Destination> destinations) {
        return new AdapterProperties(null, null, destinations, null, null, null, null, null, null);
    }

    private static Destination destination(DestinationKind kind, String mapping) {
        return new Destination(kind, URI.create("http://localhost/x"), mapping, "Service", List.of(), List.of(),
                "RX9LW", "Org", Duration.ofSeconds(10), null, null, 4);
    }
}
