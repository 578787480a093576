package io.github.spfhir.adapter.inbound.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.spfhir.adapter.domain.referral.AcceptedReferral;
import io.github.spfhir.adapter.domain.referral.ReferralFixturePipeline;
import io.github.spfhir.adapter.route.PendingDeliveryRecovery;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Two of the "nothing lost, nothing leaked" controls: a delivery the store holds as PENDING (the adapter stopped
 * between accepting a referral and delivering it) is delivered when the adapter starts again; and a run through
 * acceptance, retry, refusal and delivery writes no patient data to the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeliveryRecoveryAndLoggingTest extends EndToEndTest {

    private static final String LINKWORKER_PATH = "/example-linkworker/api/referrals";
    /** Identifying values of test-fixtures/referral-to-link-worker/valid/full-referral.bundle.json. */
    private static final List<String> PATIENT_DATA = List.of("9434765919", "Fictional", "Ada May", "1958-03-14",
            "LS1 4AP", "1 Example Street", "07700 900123", "ada.fictional@example.org",
            "Prefers a phone call", "Loneliness since bereavement", "walking group");

    @Autowired
    PendingDeliveryRecovery recovery;

    @Test
    void aDeliveryLeftPendingInTheStoreIsDeliveredOnRestart() {
        // what a crash after the commit and before the hand-off to the queue leaves behind
        AcceptedReferral accepted = ReferralFixturePipeline.accepted("referral-to-link-worker/valid", "full-referral",
                Referrals.freshHeaders(), "REF-2026-000123", "REF-" + UUID.randomUUID());
        store.storeAccepted(accepted);
        String deliveryId = accepted.deliveries().get(0).deliveryId();
        assertThat(store.findDelivery(deliveryId)).hasValueSatisfying(d -> assertThat(d.state()).isEqualTo(DeliveryState.PENDING));

        recovery.requeuePending(); // what start-up runs

        await().atMost(Duration.ofSeconds(20)).until(() -> store.findDelivery(deliveryId).orElseThrow().state() == DeliveryState.DELIVERED);
        assertThat(TestPartners.server().findAll(postRequestedFor(urlEqualTo(LINKWORKER_PATH))))
                .singleElement()
                .satisfies(r -> assertThat(r.getHeader("X-Request-ID")).isEqualTo(accepted.deliveries().get(0).idempotencyKey()));
    }

    @Test
    void noPatientDataReachesTheLogThroughAcceptanceRetryRefusalAndDelivery(CapturedOutput output) {
        String body = Fixtures.read("referral-to-link-worker/valid/full-referral.bundle.json");
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("{\"echo\":\"9434765919 Ada May Fictional\"}")));
        // accepted, then retried to exhaustion against a partner that echoes patient data in its error body
        assertThat(http.processMessage(body.replace("REF-2026-000123", "REF-" + UUID.randomUUID()),
                "application/fhir+json", Referrals.freshHeaders()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.countDeliveries(DeliveryState.PENDING) == 0);
        // refused: an invalid NHS number, a malformed date, a duplicate
        http.processMessage(body.replace("9434765919", "9434765918"), "application/fhir+json", Referrals.freshHeaders());
        http.processMessage(body.replace("\"1958-03-14\"", "\"14/03/1958\""), "application/fhir+json", Referrals.freshHeaders());
        Map<String, String> headers = Referrals.freshHeaders();
        TestPartners.reset();
        String again = body.replace("REF-2026-000123", "REF-" + UUID.randomUUID());
        http.processMessage(again, "application/fhir+json", headers);
        http.processMessage(again, "application/fhir+json", headers);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.countDeliveries(DeliveryState.PENDING) == 0);

        assertThat(output.getAll()).contains("Accepted referral", "Refused message", "FAILED and is kept for replay");
        for (String value : PATIENT_DATA) {
            assertThat(output.getAll()).as("the log must not contain patient data").doesNotContain(value);
        }
    }
}
