package io.github.spfhir.adapter.route;

import java.time.Clock;
import java.time.Duration;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.HandOffProperties;
import net.javacrumbs.shedlock.core.LockProvider;

/**
 * The hand-off from the store to the delivery queues, shared by every flow. Wiring only.
 *
 * <ul>
 *   <li>{@code delivery-hand-off}: synchronous, called by a flow once its transaction has committed, with a body
 *       that has {@code deliveryId}, {@code flow} and {@code destinationId}; the body is left as it was.</li>
 *   <li>{@code pending-delivery-sweep}: every {@code adapter.hand-off.sweep-interval}, on one instance at a time
 *       (ShedLock), hands off again the PENDING deliveries that no hand-off reached ({@link PendingDeliveryRecovery}).</li>
 * </ul>
 */
@Component
public class DeliveryHandOffRoutes extends RouteBuilder {

    public static final String HAND_OFF_ROUTE_ID = "delivery-hand-off";
    static final String HAND_OFF_ENDPOINT = "direct:" + HAND_OFF_ROUTE_ID;
    public static final String SWEEP_ROUTE_ID = "pending-delivery-sweep";
    /** The ShedLock name of the sweep, shared with the start-up recovery in artemis mode. */
    static final String SWEEP_LOCK = SWEEP_ROUTE_ID;
    /** A sweep hands off a bounded batch; an instance that dies holding the lock frees it after this. */
    static final Duration SWEEP_LOCK_AT_MOST_FOR = Duration.ofMinutes(10);

    private final HandOffProperties handOff;
    private final LockProvider lockProvider;

    public DeliveryHandOffRoutes(HandOffProperties handOff, LockProvider lockProvider) {
        this.handOff = handOff;
        this.lockProvider = lockProvider;
    }

    @Override
    public void configure() {
        from(HAND_OFF_ENDPOINT).routeId(HAND_OFF_ROUTE_ID)
                .errorHandler(noErrorHandler()) // DeliveryHandOff never throws: a failed hand-off is left to the sweep
                .bean(DeliveryHandOff.class, "handOff(${body.deliveryId}, ${body.flow}, ${body.destinationId})")
                .end();

        long period = handOff.sweepInterval().toMillis();
        from("timer:" + SWEEP_ROUTE_ID + "?delay=" + period + "&period=" + period).routeId(SWEEP_ROUTE_ID)
                .routePolicy(new SingleInstanceRoutePolicy(lockProvider, SWEEP_LOCK, SWEEP_LOCK_AT_MOST_FOR,
                        Clock.systemUTC()))
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, "Sweep of pending deliveries failed; the next tick tries again: "
                            + "${exception.class.name}")
                .end()
                .bean(PendingDeliveryRecovery.class, "sweep");
    }
}
