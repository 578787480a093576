package io.github.spfhir.adapter.observability;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;

import io.github.spfhir.adapter.domain.delivery.DeliveryTargets;
import io.github.spfhir.adapter.store.AttemptOutcome;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * One health indicator per link-worker destination under {@code /actuator/health/destinations/<id>}: DOWN when
 * its latest delivery attempt failed, with the counts of pending and failed deliveries. It reads the store and
 * never calls the partner, so a health probe cannot load a partner. Partners are not in the readiness group:
 * a partner outage must not take the adapter out of service, since it keeps accepting and storing referrals.
 */
@Configuration(proxyBeanMethods = false)
public class DestinationHealthConfiguration {

    @Bean
    public CompositeHealthContributor destinations(DeliveryTargets targets, MessageStore store) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        targets.all().forEach(destination -> indicators.put(destination.id(), () -> {
            String id = destination.id();
            Map<DeliveryState, Integer> counts;
            AttemptOutcome last;
            try {
                counts = store.deliveryCounts(id);
                last = store.lastAttemptOutcome(id).orElse(null);
            } catch (DataAccessException e) {
                // the store's own indicator (db) reports the outage; this one cannot tell
                return Health.unknown().withDetail("error", "store unavailable: " + e.getClass().getSimpleName()).build();
            }
            Health.Builder health = last == null || last == AttemptOutcome.DELIVERED ? Health.up() : Health.down();
            return health.withDetail("flow", destination.flow().id())
                    .withDetail("endpoint", String.valueOf(destination.endpoint()))
                    .withDetail("lastAttempt", last == null ? "none" : last.name())
                    .withDetail("pending", counts.get(DeliveryState.PENDING))
                    .withDetail("delivered", counts.get(DeliveryState.DELIVERED))
                    .withDetail("failed", counts.get(DeliveryState.FAILED))
                    .build();
        }));
        return CompositeHealthContributor.fromMap(indicators);
    }
}
