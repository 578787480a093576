package io.github.spfhir.adapter.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.github.spfhir.adapter.domain.retention.RetentionService;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Retention prunes the partners' copies of delivered referrals and never what failed: a FAILED delivery keeps its
 * payload and attempts for replay; the referral's resources stay readable.
 */
class RetentionEndToEndTest extends EndToEndTest {

    @Autowired
    private RetentionService retention;

    @Test
    void deliveredPayloadsArePrunedAfterTheRetentionPeriodAndFailedOnesNever() {
        String delivered = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, delivered).state() == DeliveryState.DELIVERED);
        TestPartners.server().stubFor(post(urlEqualTo("/example-linkworker/api/referrals")).atPriority(1)
                .willReturn(aResponse().withStatus(400)));
        String failed = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, failed).state() == DeliveryState.FAILED);

        // within the period (the test clock has not moved): nothing is pruned
        retention.prune();
        assertThat(Referrals.linkWorkerDelivery(store, delivered).payload()).isNotEmpty();

        // past it
        MessageStore.PruneCounts pruned = store.pruneDelivered(TestConfigurations.NOW.plusSeconds(1));

        assertThat(pruned.deliveryPayloads()).isPositive();
        DeliveryRecord prunedDelivery = Referrals.linkWorkerDelivery(store, delivered);
        assertThat(prunedDelivery.payload()).isEmpty();
        assertThat(prunedDelivery.state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(store.attempts(prunedDelivery.id())).isEmpty();
        DeliveryRecord kept = Referrals.linkWorkerDelivery(store, failed);
        assertThat(kept.payload()).isNotEmpty();
        assertThat(store.attempts(kept.id())).isNotEmpty();
        assertThat(http.get("/fhir/ServiceRequest/" + delivered).statusCode()).isEqualTo(200);
    }
}
