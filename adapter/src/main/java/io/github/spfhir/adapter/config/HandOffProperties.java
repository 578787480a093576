package io.github.spfhir.adapter.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a stored delivery is handed from the stage that accepted it to the route that delivers it
 * ({@code adapter.hand-off.*}; each key is in the settings table of {@code docs/operations.md}). The store holds
 * every delivery either way; the mode decides what carries its id between stages and how many instances may share
 * the work.
 *
 * @param mode                {@code embedded} (default): an in-memory queue per target, one instance;
 *                            {@code artemis}: a durable queue per target on an ActiveMQ Artemis broker, any number
 *                            of instances as competing consumers (needs PostgreSQL as the store)
 * @param brokerUrl           the Artemis core-protocol URL, e.g. {@code tcp://artemis:61616} (artemis mode only)
 * @param brokerUser          the broker user (artemis mode only; blank: none)
 * @param brokerPassword      the broker password, a secret (artemis mode only; blank: none)
 * @param sweepInterval       period of the sweep that hands off again the {@code PENDING} deliveries no hand-off
 *                            reached (a crash between the commit and the hand-off, a broker that was down)
 * @param sweepPendingFor     a delivery is swept only when it has been {@code PENDING} and not handed off for this
 *                            long: an instance that has just committed one is still handing it off
 */
@ConfigurationProperties("adapter.hand-off")
public record HandOffProperties(
        @DefaultValue("embedded") Mode mode,
        @DefaultValue("tcp://localhost:61616") String brokerUrl,
        String brokerUser,
        String brokerPassword,
        @DefaultValue("2m") Duration sweepInterval,
        @DefaultValue("1m") Duration sweepPendingFor) {

    public enum Mode {
        /** in-memory SEDA queues; durable through the store and the start-up recovery; one instance */
        EMBEDDED,
        /** durable JMS queues on ActiveMQ Artemis; several instances share the work */
        ARTEMIS
    }

    public HandOffProperties {
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("adapter.hand-off.sweep-interval must be positive");
        }
    }

    public boolean artemis() {
        return mode == Mode.ARTEMIS;
    }
}
