package io.github.spfhir.adapter.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import io.github.spfhir.adapter.config.HandOffProperties;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.referral.AcceptedReferral;
import io.github.spfhir.adapter.domain.referral.PlannedDelivery;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * Where {@link DeliveryHandOff} sends a delivery id in each mode, which messages carry a JMS group (the in-order
 * flows, in artemis mode only), and that a failed send is swallowed and not recorded as a hand-off (the sweep takes
 * it). Plain JUnit: the producer and the store are mocks, and what they were asked to do is the output.
 */
class DeliveryHandOffTest {

    private final ProducerTemplate producer = mock(ProducerTemplate.class);
    private final MessageStore store = mock(MessageStore.class);

    @Test
    void artemisModeSendsTheIdToTheTargetsDurableQueueAndGroupsOnlyTheInOrderFlows() {
        DeliveryHandOff handOff = new DeliveryHandOff(mode(HandOffProperties.Mode.ARTEMIS), producer, store);

        assertThat(handOff.send("d-1", DeliveryFlow.DATA_PLATFORM_PUBLISHING, "dp")).isTrue();
        verify(producer).sendBodyAndHeaders("jms:queue:data-platform-publishing-delivery-dp"
                        + "?connectionFactory=#handOffProducerConnectionFactory&transacted=false", "d-1",
                Map.of("JMSXGroupID", "data-platform-publishing-delivery-dp"));
        verify(store).markHandedOff("d-1");

        assertThat(handOff.send("d-2", DeliveryFlow.UPDATES_TO_GP, "gp")).isTrue();
        verify(producer).sendBodyAndHeaders(anyString(), eq("d-2"),
                eq(Map.of("JMSXGroupID", "updates-to-gp-delivery-gp")));

        assertThat(handOff.send("d-3", DeliveryFlow.REFERRAL_TO_LINK_WORKER, "lw")).isTrue();
        verify(producer).sendBodyAndHeaders("jms:queue:referral-to-link-worker-delivery-lw"
                + "?connectionFactory=#handOffProducerConnectionFactory&transacted=false", "d-3", Map.of());
    }

    @Test
    void embeddedModeSendsTheIdToTheTargetsInMemoryQueueWithoutAGroup() {
        DeliveryHandOff handOff = new DeliveryHandOff(mode(HandOffProperties.Mode.EMBEDDED), producer, store);

        assertThat(handOff.send("d-1", DeliveryFlow.UPDATES_TO_GP, "gp")).isTrue();

        verify(producer).sendBodyAndHeaders("seda:updates-to-gp-delivery-gp?size=100000&waitForTaskToComplete=Never",
                "d-1", Map.of());
        verify(store).markHandedOff("d-1");
    }

    @Test
    void aFailedSendIsSwallowedAndNotRecordedAsAHandOffSoTheSweepTakesIt() {
        doThrow(new CamelExecutionException("broker down", null)).when(producer)
                .sendBodyAndHeaders(anyString(), any(), anyMap());
        DeliveryHandOff handOff = new DeliveryHandOff(mode(HandOffProperties.Mode.ARTEMIS), producer, store);

        assertThat(handOff.send("d-1", DeliveryFlow.REFERRAL_TO_LINK_WORKER, "lw")).isFalse();
        handOff.handOff("d-1", DeliveryFlow.REFERRAL_TO_LINK_WORKER, "lw"); // what the route calls: no exception

        verify(store, never()).markHandedOff(anyString());
    }

    @Test
    void aReferralsDeliveriesStoredAsHandedOffAreOnlyWrittenAgainWhenTheirHandOffFailsInEmbeddedMode() {
        DeliveryHandOff handOff = new DeliveryHandOff(mode(HandOffProperties.Mode.EMBEDDED), producer, store);

        handOff.handOffAccepted("d-1", DeliveryFlow.REFERRAL_TO_LINK_WORKER, "lw");
        verify(producer).sendBodyAndHeaders(
                "seda:referral-to-link-worker-delivery-lw?size=100000&waitForTaskToComplete=Never", "d-1", Map.of());
        verifyNoInteractions(store); // stored marked: no second commit

        doThrow(new CamelExecutionException("queue full", null)).when(producer)
                .sendBodyAndHeaders(anyString(), eq("d-2"), anyMap());
        handOff.handOffAccepted("d-2", DeliveryFlow.REFERRAL_TO_LINK_WORKER, "lw");
        verify(store).clearHandedOff("d-2"); // left to the sweep
        verify(store, never()).markHandedOff(anyString());
    }

    @Test
    void everyDeliveryOfAStoredReferralIsHandedOffInOrderEvenWhenAnEarlierOneFails() {
        DeliveryHandOff handOff = new DeliveryHandOff(mode(HandOffProperties.Mode.EMBEDDED), producer, store);
        doThrow(new CamelExecutionException("queue full", null)).when(producer)
                .sendBodyAndHeaders(anyString(), eq("d-1"), anyMap());
        AcceptedReferral accepted = new AcceptedReferral(null, List.of(
                new PlannedDelivery("d-1", "lw", "k-1", "application/json", "{}"),
                new PlannedDelivery("d-2", "other", "k-2", "application/fhir+json", "{}")));

        handOff.handOffDeliveries(accepted);

        InOrder order = inOrder(producer);
        order.verify(producer).sendBodyAndHeaders(
                "seda:referral-to-link-worker-delivery-lw?size=100000&waitForTaskToComplete=Never", "d-1", Map.of());
        order.verify(producer).sendBodyAndHeaders(
                "seda:referral-to-link-worker-delivery-other?size=100000&waitForTaskToComplete=Never", "d-2", Map.of());
        verify(store).clearHandedOff("d-1"); // the failed one is left to the sweep
        verify(store, never()).clearHandedOff("d-2");
    }

    @Test
    void aReferralsDeliveriesAreMarkedOnceTheBrokerHasThemInArtemisMode() {
        DeliveryHandOff handOff = new DeliveryHandOff(mode(HandOffProperties.Mode.ARTEMIS), producer, store);

        handOff.handOffAccepted("d-1", DeliveryFlow.REFERRAL_TO_LINK_WORKER, "lw");

        verify(store).markHandedOff("d-1");
        verify(store, never()).clearHandedOff(anyString());
    }

    private static HandOffProperties mode(HandOffProperties.Mode mode) {
        return new HandOffProperties(mode, "tcp://localhost:61616", null, null, Duration.ofMinutes(2),
                Duration.ofMinutes(1));
    }
}
