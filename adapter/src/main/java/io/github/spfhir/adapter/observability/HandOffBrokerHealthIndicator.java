package io.github.spfhir.adapter.observability;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code handOffBroker}, artemis mode only: DOWN while the broker cannot be reached. Not part of
 * readiness, on purpose: intake goes on without the broker (deliveries are stored PENDING and the sweep hands them
 * off when it is back), as it does when a partner is down. What a deployment's monitoring should alert on.
 */
@Component("handOffBroker")
@ConditionalOnProperty(name = "adapter.hand-off.mode", havingValue = "artemis")
public class HandOffBrokerHealthIndicator implements HealthIndicator {

    private final ConnectionFactory broker;

    public HandOffBrokerHealthIndicator(@Qualifier("artemisConnectionFactory") ConnectionFactory broker) {
        this.broker = broker;
    }

    @Override
    public Health health() {
        try (Connection connection = broker.createConnection()) {
            connection.getMetaData(); // a round trip on a new connection
            return Health.up().build();
        } catch (Exception e) {
            // the class only: a client message can name hosts and users
            return Health.down().withDetail("error", e.getClass().getName()).build();
        }
    }
}
