package io.github.spfhir.adapter.route;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.HandOffProperties;
import io.github.spfhir.adapter.domain.delivery.DeliveryTargets;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * Makes sure every PENDING delivery in the store is on its way: a crash between accepting a referral and
 * delivering it, or a broker that was down at the hand-off, loses nothing. The partner sees the same idempotency
 * key as before.
 *
 * <ul>
 *   <li>At start-up, embedded mode: every PENDING delivery goes back on its in-memory queue (the queues died with
 *       the previous process; this mode runs one instance).</li>
 *   <li>At start-up, artemis mode: the broker still holds what was handed off (durable queues), and other instances
 *       may be working; so only the {@link #sweep()}, under its lock.</li>
 *   <li>Every {@code adapter.hand-off.sweep-interval}, both modes, on one instance at a time
 *       ({@link DeliveryHandOffRoutes}): {@link #sweep()}.</li>
 * </ul>
 */
@Component
public class PendingDeliveryRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(PendingDeliveryRecovery.class);
    /** Deliveries handed off per sweep; the next tick takes the rest. */
    static final int SWEEP_BATCH = 1000;

    private final MessageStore store;
    private final DeliveryHandOff handOff;
    private final DeliveryTargets targets;
    private final HandOffProperties handOffProperties;
    private final LockProvider lockProvider;
    private final Clock clock;

    public PendingDeliveryRecovery(MessageStore store, DeliveryHandOff handOff, DeliveryTargets targets,
            HandOffProperties handOffProperties, LockProvider lockProvider, Clock clock) {
        this.store = store;
        this.handOff = handOff;
        this.targets = targets;
        this.handOffProperties = handOffProperties;
        this.lockProvider = lockProvider;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void atStartUp() {
        if (!handOffProperties.artemis()) {
            requeuePending();
            return;
        }
        Optional<SimpleLock> lock = lockProvider.lock(new LockConfiguration(clock.instant(),
                DeliveryHandOffRoutes.SWEEP_LOCK, DeliveryHandOffRoutes.SWEEP_LOCK_AT_MOST_FOR, java.time.Duration.ZERO));
        if (lock.isEmpty()) {
            LOG.info("Another instance is sweeping pending deliveries; this one does not at start-up");
            return;
        }
        try {
            sweep();
        } finally {
            lock.get().unlock();
        }
    }

    /** Embedded mode, at start-up: every PENDING delivery back on its queue. */
    public void requeuePending() {
        int requeued = handOffAll(store.deliveriesInState(DeliveryState.PENDING));
        if (requeued > 0) {
            LOG.info("Re-queued {} pending deliveries from the store", requeued);
        }
    }

    /**
     * Hands off again the PENDING deliveries no hand-off is known to have reached, once they have been untouched for
     * {@code adapter.hand-off.sweep-pending-for} (an instance that has just committed one is still handing it off).
     * Returns how many were handed off.
     */
    public int sweep() {
        List<DeliveryRecord> stuck = store.pendingNotHandedOff(
                clock.instant().minus(handOffProperties.sweepPendingFor()), SWEEP_BATCH);
        int handedOff = handOffAll(stuck);
        if (!stuck.isEmpty()) {
            LOG.info("Sweep: {} pending deliveries had not reached their queue; {} handed off again", stuck.size(),
                    handedOff);
        }
        return handedOff;
    }

    private int handOffAll(List<DeliveryRecord> deliveries) {
        int handedOff = 0;
        for (DeliveryRecord delivery : deliveries) {
            if (targets.find(delivery.destinationId()).isEmpty()) {
                store.markFailed(delivery.id(), "destination '" + delivery.destinationId() + "' is no longer configured");
                continue;
            }
            if (handOff.send(delivery.id(), delivery.flow(), delivery.destinationId())) {
                handedOff++;
            }
        }
        return handedOff;
    }
}
