package io.github.spfhir.adapter.domain.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.config.AdapterProperties.Destination;
import io.github.spfhir.adapter.config.AdapterProperties.DestinationKind;

/**
 * How many deliveries each partner may have under way at once: a link-worker platform its configured
 * {@code concurrent-deliveries}, a GP system and a data platform one (their updates go in order).
 */
class DeliveryTargetsTest {

    private static final AdapterProperties.Retry RETRY = new AdapterProperties.Retry(3, Duration.ofSeconds(1), 2.0,
            Duration.ofSeconds(10));

    @Test
    void aLinkWorkerPlatformTakesItsConfiguredConcurrencyAndAnUpdateTargetOne() {
        AdapterProperties properties = new AdapterProperties(null, null,
                Map.of("platform-a", destination(12)), null, null,
                Map.of("gp-a", new AdapterProperties.GpSystem(URI.create("http://gp/fhir/$process-message"), List.of("A81001"),
                        false, Duration.ofSeconds(10), RETRY)),
                Map.of("data-a", new AdapterProperties.DataPlatform(URI.create("http://data/fhir"), true, true, "k",
                        Duration.ofSeconds(10), RETRY)),
                null, null);

        DeliveryTargets targets = new DeliveryTargets(properties);

        assertThat(targets.find("platform-a")).get().extracting(DeliveryTarget::concurrency).isEqualTo(12);
        assertThat(targets.find("gp-a")).get().extracting(DeliveryTarget::concurrency).isEqualTo(1);
        assertThat(targets.find("data-a")).get().extracting(DeliveryTarget::concurrency).isEqualTo(1);
    }

    @Test
    void aPlatformWithNoDeliveriesAllowedIsRefusedAtStartUp() {
        assertThatThrownBy(() -> destination(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("concurrent-deliveries must be at least 1, not 0");
    }

    private static Destination destination(int concurrentDeliveries) {
        return new Destination(DestinationKind.FHIR, URI.create("http://platform/fhir"), null, "Service", List.of(),
                List.of(), "RX9LW", "Org", Duration.ofSeconds(10), RETRY, null, concurrentDeliveries);
    }
}
