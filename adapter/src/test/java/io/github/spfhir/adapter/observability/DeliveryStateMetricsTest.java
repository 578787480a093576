package io.github.spfhir.adapter.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * {@code adapter_deliveries_pending} counts a link-worker delivery while it is on its way (stored, the platform not
 * yet answered), from the store, and stops counting it once it is delivered. ({@code adapter_deliveries_dead_lettered}
 * is proven by {@link DeadLetterAndPayloadEditTest}.)
 */
class DeliveryStateMetricsTest extends EndToEndTest {

    private static final String LINKWORKER = "example-linkworker";
    private static final Pattern PENDING = Pattern.compile(
            "adapter_deliveries_pending\\{destination=\"" + LINKWORKER + "\",flow=\"referral-to-link-worker\"} ([0-9.]+)");

    @Test
    void aDeliveryOnItsWayIsCountedAsPendingUntilThePlatformAcceptsIt() {
        // the platform takes 3 s to answer (within its 10 s timeout), so the delivery stays under way that long
        TestPartners.server().stubFor(post(urlEqualTo("/example-linkworker/api/referrals")).atPriority(1)
                .willReturn(aResponse().withStatus(201).withFixedDelay(3_000)));

        String referralId = Referrals.accept(http);

        await().atMost(Duration.ofSeconds(2)).until(() -> pending() >= 1);
        assertThat(Referrals.linkWorkerDelivery(store, referralId).state()).isEqualTo(DeliveryState.PENDING);

        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.DELIVERED);
        await().atMost(Duration.ofSeconds(5)).until(() -> pending() == store.countDeliveries(LINKWORKER, DeliveryState.PENDING));
    }

    private int pending() {
        Matcher gauge = PENDING.matcher(http.get("/actuator/prometheus", "text/plain").body());
        assertThat(gauge.find()).as("adapter_deliveries_pending of " + LINKWORKER).isTrue();
        return (int) Double.parseDouble(gauge.group(1));
    }
}
