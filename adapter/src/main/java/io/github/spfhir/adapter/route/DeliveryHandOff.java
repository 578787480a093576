package io.github.spfhir.adapter.route;

import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.HandOffProperties;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.referral.AcceptedReferral;
import io.github.spfhir.adapter.domain.referral.PlannedDelivery;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * Puts a stored delivery's id on its target's queue and records that it got there ({@code delivery.handed_off_at}).
 * Called after the delivery's transaction has committed: by every flow (through {@link DeliveryRoutes#handOff()}),
 * by replay, by the start-up recovery and by the periodic sweep.
 *
 * <p>A hand-off that fails (the broker is down, or the store cannot record it) is logged and swallowed: the
 * delivery is already stored as {@code PENDING}, so the sender of the referral or event has its answer, and the
 * sweep ({@link PendingDeliveryRecovery#sweep()}) hands it off again later. Delivery is at least once; a repeat is
 * harmless because an attempt at a delivery that is no longer PENDING does nothing, and every attempt carries the
 * same idempotency key.
 */
@Component
public class DeliveryHandOff {

    /** The JMS message group header: Artemis gives a group's messages to one consumer at a time, in order. */
    static final String GROUP_HEADER = "JMSXGroupID";

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryHandOff.class);

    private final HandOffProperties handOff;
    private final ProducerTemplate producer;
    private final MessageStore store;

    public DeliveryHandOff(HandOffProperties handOff, ProducerTemplate producer, MessageStore store) {
        this.handOff = handOff;
        this.producer = producer;
        this.store = store;
    }

    /** What the hand-off route calls: {@link #send}, leaving the caller's body as it was (a void method). */
    public void handOff(String deliveryId, DeliveryFlow flow, String targetId) {
        send(deliveryId, flow, targetId);
    }

    /**
     * What the referral route calls once it has stored a referral: {@link #handOffAccepted(String, DeliveryFlow, String)}
     * for each of its deliveries, in order. One call in Java rather than a Camel split with a simple-language
     * expression per field: that split took about 1 % of the CPU per referral (docs/benchmarks.md, sixteenth session),
     * and each hand-off returns normally whatever happens, so nothing is lost by not splitting.
     */
    public void handOffDeliveries(AcceptedReferral accepted) {
        for (PlannedDelivery delivery : accepted.deliveries()) {
            handOffAccepted(delivery.deliveryId(), delivery.flow(), delivery.destinationId());
        }
    }

    /**
     * What the referral route calls for each delivery of a referral it has just stored. In embedded mode the store
     * wrote these as handed off already ({@code MessageStore#storeAccepted}), so only a failure is written: the mark
     * is taken back and the sweep hands the delivery off. In artemis mode, as {@link #send}.
     */
    public void handOffAccepted(String deliveryId, DeliveryFlow flow, String targetId) {
        if (handOff.artemis()) {
            send(deliveryId, flow, targetId);
            return;
        }
        if (queue(deliveryId, flow, targetId)) {
            return;
        }
        try {
            store.clearHandedOff(deliveryId);
        } catch (RuntimeException e) {
            // neither queued nor left to the sweep: the next start-up queues every PENDING delivery (embedded mode)
            LOG.error("Delivery {} ({} to {}) was not handed off and that could not be recorded ({}); it waits for the "
                    + "next start-up", deliveryId, flow.id(), targetId, e.getClass().getName());
        }
    }

    /**
     * Hands off one delivery. Returns normally whatever happens (see the class comment); returns true when the id
     * reached the queue and that was recorded.
     */
    public boolean send(String deliveryId, DeliveryFlow flow, String targetId) {
        if (!queue(deliveryId, flow, targetId)) {
            return false;
        }
        try {
            store.markHandedOff(deliveryId);
            return true;
        } catch (RuntimeException e) {
            // it is queued; the sweep may queue it once more, which is harmless
            LOG.warn("Delivery {} was handed off but that could not be recorded ({})", deliveryId, e.getClass().getName());
            return false;
        }
    }

    private boolean queue(String deliveryId, DeliveryFlow flow, String targetId) {
        try {
            // only the id travels: no patient data on the broker; the store holds the payload
            producer.sendBodyAndHeaders(DeliveryRoutes.producerUri(handOff, flow, targetId), deliveryId,
                    groupHeaders(flow, targetId));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Delivery {} ({} to {}) stays PENDING: its hand-off to the {} queue failed ({}); the sweep hands "
                    + "it off again", deliveryId, flow.id(), targetId, handOff.mode(), e.getClass().getName());
            return false;
        }
    }

    /**
     * The message group of an in-order target: the target itself (flow and target id), so the broker keeps every
     * delivery to it on one consumer, in the order sent, whichever instance sent it. Why not per referral: a data
     * platform's and a GP system's updates can concern resources shared by referrals (the Patient), and the
     * embedded mode's guarantee is per target; the same guarantee holds in both modes.
     */
    private Map<String, Object> groupHeaders(DeliveryFlow flow, String targetId) {
        if (!handOff.artemis() || !DeliveryRoutes.IN_ORDER_FLOWS.contains(flow)) {
            return Map.of();
        }
        return Map.of(GROUP_HEADER, DeliveryRoutes.queueName(flow, targetId));
    }
}
