package io.github.spfhir.adapter.durability;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.referral.AcceptedReferral;
import io.github.spfhir.adapter.domain.referral.PlannedDelivery;
import io.github.spfhir.adapter.domain.referral.ReferralFixturePipeline;
import io.github.spfhir.adapter.route.PendingDeliveryRecovery;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestBroker;
import io.github.spfhir.adapter.support.TestClockConfiguration;
import io.github.spfhir.adapter.support.TestDatabases;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * The distributed mode in one application context: PostgreSQL (embedded, no Docker) for the store and an Artemis
 * broker in this JVM on a loopback port between the stages ({@code adapter.hand-off.mode=artemis}). A referral is
 * accepted and delivered through the broker's queues; a delivery stored but never handed off (a crash between the
 * commit and the send) is found by the sweep and delivered once; a message repeated for a delivery already made
 * (what the broker does after a consumer dies mid-attempt) sends nothing again; while the broker is down referrals
 * are still accepted, its health component is DOWN, and once it is back the sweep hands off what waited.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "adapter.hand-off.mode=artemis",
        // the sweep runs when this test calls it; 0s: the fixed test clock never moves, so "pending for" is 0
        "adapter.hand-off.sweep-interval=1h",
        "adapter.hand-off.sweep-pending-for=0s",
        "adapter.simulator.enabled=false",
        "adapter.security.dev-mode.enabled=false",
        "adapter.fhir.warm-up-validator=false",
        "adapter.destinations.example-linkworker.retry.initial-delay=20ms",
        "adapter.destinations.example-linkworker.retry.max-delay=200ms",
        "adapter.data-platforms.example-data-platform.retry.initial-delay=20ms",
        "adapter.data-platforms.example-data-platform.retry.max-delay=200ms",
        // production mode refuses to start without a pseudonym key (a test key, not a secret)
        "adapter.data-platforms.example-data-platform.pseudonym-key=test-only-pseudonym-key-not-a-secret-0123456789"
})
@Import(TestClockConfiguration.class)
// closed after this class, so its JMS consumers stop before the JVM (and the broker with it) does
@DirtiesContext
class ArtemisModeEndToEndTest {

    private static final String LINK_WORKER_PATH = "/example-linkworker/api/referrals";
    private static final String LINK_WORKER_QUEUE = "referral-to-link-worker-delivery-example-linkworker";
    private static final String DATA_PLATFORM_QUEUE = "data-platform-publishing-delivery-example-data-platform";
    /** Left running at the end: it stops with the JVM, after this class's context has stopped its consumers. */
    private static final TestBroker BROKER = TestBroker.start();

    @LocalServerPort
    int port;
    @Autowired
    MessageStore store;
    @Autowired
    PendingDeliveryRecovery recovery;
    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void storeAndBroker(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabases::freshPostgresDatabase);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
        registry.add("adapter.hand-off.broker-url", BROKER::url);
    }

    @Test
    void aReferralIsDeliveredThroughTheBrokerAndADeliveryNeverHandedOffIsSweptAndDeliveredOnce() {
        TestPartners.reset();
        assertThat(camel.getRoute(DeliveryFlow.REFERRAL_TO_LINK_WORKER.deliveryRouteId("example-linkworker"))
                .getEndpoint().getEndpointUri()).startsWith("jms://queue:" + LINK_WORKER_QUEUE);

        // 1. accepted, handed off to the broker, delivered to both partners
        AdapterHttp http = new AdapterHttp(port);
        String referralId = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(30)).until(() -> allDelivered(referralId));
        assertThat(BROKER.messagesAdded(LINK_WORKER_QUEUE)).isEqualTo(1);
        assertThat(BROKER.messagesAdded(DATA_PLATFORM_QUEUE)).isEqualTo(1);
        DeliveryRecord linkWorker = Referrals.linkWorkerDelivery(store, referralId);
        assertThat(receivedWithKey(linkWorker.idempotencyKey())).isEqualTo(1);
        assertThat(recovery.sweep()).as("nothing left for the sweep: every hand-off was recorded").isZero();

        // 2. a redelivered message (a consumer died after the partner answered) for a delivery already DELIVERED
        producer.sendBody("jms:queue:" + LINK_WORKER_QUEUE, linkWorker.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> BROKER.messagesAdded(LINK_WORKER_QUEUE) == 2
                && BROKER.messagesIn(LINK_WORKER_QUEUE) == 0);
        assertThat(receivedWithKey(linkWorker.idempotencyKey())).as("sent again though delivered").isEqualTo(1);
        assertThat(store.attempts(linkWorker.id())).hasSize(1);

        // 3. what a crash between the commit and the hand-off leaves: stored PENDING, never on the broker
        AcceptedReferral stranded = ReferralFixturePipeline.accepted("referral-to-link-worker/valid", "full-referral",
                Referrals.freshHeaders(), Referrals.FIXTURE_IDENTIFIER, "REF-" + UUID.randomUUID());
        store.storeAccepted(stranded);
        List<String> strandedIds = stranded.deliveries().stream().map(PlannedDelivery::deliveryId).toList();
        assertThat(recovery.sweep()).isEqualTo(strandedIds.size());
        await().atMost(Duration.ofSeconds(30)).until(() -> strandedIds.stream()
                .allMatch(id -> store.findDelivery(id).orElseThrow().state() == DeliveryState.DELIVERED));
        assertThat(recovery.sweep()).as("a swept delivery is not swept again").isZero();
        PlannedDelivery strandedLinkWorker = stranded.deliveries().stream()
                .filter(d -> d.flow() == DeliveryFlow.REFERRAL_TO_LINK_WORKER).findFirst().orElseThrow();
        assertThat(receivedWithKey(strandedLinkWorker.idempotencyKey())).isEqualTo(1);
        assertThat(BROKER.messagesAdded(LINK_WORKER_QUEUE)).isEqualTo(3);
        assertThat(http.get("/actuator/health/handOffBroker", "application/json").statusCode()).isEqualTo(200);

        // 4. the broker goes down: intake goes on (the store holds the delivery), the broker's health is DOWN, the
        // sweep cannot hand off yet; the broker comes back and the sweep hands the delivery off
        BROKER.close();
        String acceptedWhileDown = Referrals.accept(http);
        DeliveryRecord waiting = Referrals.linkWorkerDelivery(store, acceptedWhileDown);
        assertThat(waiting.state()).isEqualTo(DeliveryState.PENDING);
        HttpResponse<String> brokerHealth = http.get("/actuator/health/handOffBroker", "application/json");
        assertThat(brokerHealth.statusCode()).as(brokerHealth.body()).isEqualTo(503);
        assertThat(brokerHealth.body()).contains("\"DOWN\"");
        assertThat(recovery.sweep()).as("nothing can be handed off while the broker is down").isZero();
        BROKER.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> recovery.sweep() > 0 || allDelivered(acceptedWhileDown));
        await().atMost(Duration.ofSeconds(60)).until(() -> allDelivered(acceptedWhileDown));
        assertThat(receivedWithKey(waiting.idempotencyKey())).isEqualTo(1);
        assertThat(http.get("/actuator/health/handOffBroker", "application/json").statusCode()).isEqualTo(200);
    }

    private boolean allDelivered(String referralId) {
        List<DeliveryRecord> deliveries = store.deliveriesForReferral(referralId);
        return deliveries.size() == 2 && deliveries.stream().allMatch(d -> d.state() == DeliveryState.DELIVERED);
    }

    private static int receivedWithKey(String key) {
        return TestPartners.server().findAll(postRequestedFor(urlPathEqualTo(LINK_WORKER_PATH))
                .withHeader("X-Request-ID", equalTo(key))).size();
    }
}
