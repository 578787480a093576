package io.github.spfhir.adapter.observability;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.delivery.DeliveryTarget;
import io.github.spfhir.adapter.domain.delivery.DeliveryTargets;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Dead letters, countable: {@code adapter_deliveries_dead_lettered{flow, destination}} is the number of deliveries
 * given up on ({@code FAILED}, the dead-letter state) and not replayed yet, per flow and destination, read from the
 * store at each scrape (so it is the same on every instance, survives restarts, and falls when they are replayed).
 * The counter {@code adapter_messages_total{outcome="failed"}} says how many were given up on over time; this says
 * how many wait for a person now. NaN while the store cannot be read.
 */
@Component
public class DeadLetterMetrics {

    public DeadLetterMetrics(DeliveryTargets targets, MessageStore store, MeterRegistry registry) {
        for (DeliveryTarget target : targets.all()) {
            Gauge.builder("adapter.deliveries.dead.lettered", () -> failedCount(store, target.id()))
                    .description("Deliveries given up on (FAILED) and not replayed yet")
                    .tag("flow", target.flow().id())
                    .tag("destination", target.id())
                    .register(registry);
        }
    }

    private static double failedCount(MessageStore store, String destinationId) {
        try {
            return store.deliveryCounts(destinationId).get(DeliveryState.FAILED);
        } catch (DataAccessException e) {
            // the store's own health indicator reports the outage
            return Double.NaN;
        }
    }
}
