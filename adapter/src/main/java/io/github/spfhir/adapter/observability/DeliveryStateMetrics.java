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
 * Deliveries by state, per flow and destination, read from the store at each scrape (so they are the same on every
 * instance and survive restarts); NaN while the store cannot be read.
 * <ul>
 * <li>{@code adapter_deliveries_dead_lettered}: given up on ({@code FAILED}, the dead-letter state) and not replayed
 * yet, so it falls when they are replayed. The counter {@code adapter_messages_total{outcome="failed"}} says how many
 * were given up on over time; this says how many wait for a person now.</li>
 * <li>{@code adapter_deliveries_pending}: stored and not yet delivered or given up on: queued, under way or waiting
 * for a retry (a channel's "queued" count). Rising while the partner answers quickly means deliveries fall behind
 * intake.</li>
 * </ul>
 */
@Component
public class DeliveryStateMetrics {

    public DeliveryStateMetrics(DeliveryTargets targets, MessageStore store, MeterRegistry registry) {
        for (DeliveryTarget target : targets.all()) {
            Gauge.builder("adapter.deliveries.dead.lettered", () -> count(store, target.id(), DeliveryState.FAILED))
                    .description("Deliveries given up on (FAILED) and not replayed yet")
                    .tag("flow", target.flow().id())
                    .tag("destination", target.id())
                    .register(registry);
            Gauge.builder("adapter.deliveries.pending", () -> count(store, target.id(), DeliveryState.PENDING))
                    .description("Deliveries stored and not yet delivered or given up on (queued, under way or between retries)")
                    .tag("flow", target.flow().id())
                    .tag("destination", target.id())
                    .register(registry);
        }
    }

    private static double count(MessageStore store, String destinationId, DeliveryState state) {
        try {
            return store.countDeliveries(destinationId, state);
        } catch (DataAccessException e) {
            // the store's own health indicator reports the outage
            return Double.NaN;
        }
    }
}
