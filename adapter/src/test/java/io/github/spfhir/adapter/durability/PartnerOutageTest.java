package io.github.spfhir.adapter.durability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestClockConfiguration;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * A partner outage, then its recovery: the link-worker platform (referrals, delivered concurrently) and, separately,
 * the GP system (updates, delivered one at a time in the order stored) answer 503 while a backlog builds up, then
 * come back. Nothing is lost (every delivery reaches the partner), nothing is taken twice (one accepted request per
 * idempotency key, the same key on every retry), a referral's updates reach the GP system in their order, and the
 * backlog drains by itself, without a replay. The retry window here (about a minute) outlasts the outage, as a
 * deployment's should outlast its partners' usual outages (docs/operations.md, section 7).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:partner-outage;DB_CLOSE_DELAY=-1",
        "adapter.simulator.enabled=false",
        "adapter.security.dev-mode.enabled=false",
        // the validator warms up as in production, and the test starts once the adapter is ready: a cold first
        // validation on a busy machine can outlast the test client's timeout
        "adapter.destinations.example-linkworker.practices=A81001",
        "adapter.destinations.example-linkworker.retry.initial-delay=50ms",
        "adapter.destinations.example-linkworker.retry.max-delay=250ms",
        "adapter.destinations.example-linkworker.retry.max-attempts=250",
        "adapter.gp-systems.example-gp-system.retry.initial-delay=50ms",
        "adapter.gp-systems.example-gp-system.retry.max-delay=250ms",
        "adapter.gp-systems.example-gp-system.retry.max-attempts=250",
        // a test key (not a secret)
        "adapter.data-platforms.example-data-platform.pseudonym-key=test-only-pseudonym-key-not-a-secret-0123456789"
})
@Import(TestClockConfiguration.class)
class PartnerOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINKWORKER_PATH = "/example-linkworker/api/referrals";
    private static final String GP_PATH = "/example-gp-system/fhir/$process-message";
    private static final Duration BOUND = Duration.ofSeconds(40);

    @LocalServerPort
    int port;

    @Autowired
    MessageStore store;

    AdapterHttp http;

    @BeforeEach
    void partnersUp() {
        TestPartners.reset();
        http = new AdapterHttp(port);
        await().atMost(Duration.ofMinutes(3)).until(() ->
                http.get("/actuator/health/readiness", "application/json").statusCode() == 200);
    }

    @Test
    void linkWorkerPlatformDownThenBackReceivesEveryReferralOnceAndTheBacklogDrains() {
        StubMapping outage = TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")));
        List<String> referrals = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            referrals.add(Referrals.accept(http)); // intake goes on during the outage
        }

        // every delivery has met the outage at least twice, and none was given up on
        await().atMost(BOUND).until(() -> linkWorkerDeliveries(referrals).stream().allMatch(d -> d.attempts() >= 2));
        assertThat(linkWorkerDeliveries(referrals)).allMatch(d -> d.state() == DeliveryState.PENDING);

        TestPartners.server().removeStub(outage); // the platform is back

        await().atMost(BOUND).until(() -> linkWorkerDeliveries(referrals).stream()
                .allMatch(d -> d.state() == DeliveryState.DELIVERED));
        List<DeliveryRecord> delivered = linkWorkerDeliveries(referrals);
        Set<String> keys = delivered.stream().map(DeliveryRecord::idempotencyKey).collect(Collectors.toSet());
        assertThat(keys).hasSize(referrals.size());
        List<ServeEvent> requests = served(LINKWORKER_PATH);
        assertThat(requests).filteredOn(e -> e.getResponse().getStatus() == 503).hasSizeGreaterThanOrEqualTo(2 * referrals.size());
        // one key per referral on every request, retries included; each accepted exactly once
        assertThat(requests).extracting(e -> e.getRequest().getHeader("X-Request-ID")).containsOnlyElementsOf(keys);
        Map<String, Long> acceptedPerKey = requests.stream().filter(e -> e.getResponse().getStatus() / 100 == 2)
                .collect(Collectors.groupingBy(e -> e.getRequest().getHeader("X-Request-ID"), Collectors.counting()));
        assertThat(acceptedPerKey.keySet()).isEqualTo(keys);
        assertThat(acceptedPerKey.values()).containsOnly(1L);
        assertThat(store.countDeliveries(DeliveryState.FAILED)).isZero();
    }

    @Test
    void gpSystemDownThenBackReceivesEveryUpdateOnceInTheOrderOfEachReferral() throws Exception {
        List<String> referrals = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            referrals.add(Referrals.accept(http));
        }
        await().atMost(BOUND).until(() -> referrals.stream().allMatch(r ->
                Referrals.linkWorkerDelivery(store, r).state() == DeliveryState.DELIVERED));
        StubMapping outage = TestPartners.server().stubFor(post(urlEqualTo(GP_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(503)));

        for (String referral : referrals) {
            assertThat(http.post("/platforms/example-linkworker/events", event(referral, "REFERRAL_ACCEPTED",
                    "2026-11-21T09:00:00Z"), "application/json").statusCode()).isEqualTo(200);
        }
        for (String referral : referrals) {
            assertThat(http.post("/platforms/example-linkworker/events", event(referral, "CLIENT_DISCHARGED",
                    "2026-11-21T09:30:00Z"), "application/json").statusCode()).isEqualTo(200);
        }
        await().atMost(BOUND).until(() -> gpDeliveries(referrals).size() == 2 * referrals.size());
        await().atMost(BOUND).until(() -> served(GP_PATH).size() >= 4);

        // in order: while the first update is retried, the ones behind it wait (one key only has been tried)
        assertThat(served(GP_PATH)).extracting(e -> e.getRequest().getHeader("X-Request-ID")).containsOnly(
                served(GP_PATH).get(0).getRequest().getHeader("X-Request-ID"));
        assertThat(gpDeliveries(referrals)).allMatch(d -> d.state() == DeliveryState.PENDING);

        TestPartners.server().removeStub(outage); // the GP system is back

        await().atMost(BOUND).until(() -> gpDeliveries(referrals).stream()
                .allMatch(d -> d.state() == DeliveryState.DELIVERED));
        Set<String> keys = gpDeliveries(referrals).stream().map(DeliveryRecord::idempotencyKey)
                .collect(Collectors.toSet());
        List<ServeEvent> accepted = served(GP_PATH).stream().filter(e -> e.getResponse().getStatus() / 100 == 2).toList();
        assertThat(accepted).extracting(e -> e.getRequest().getHeader("X-Request-ID"))
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(keys);
        Map<String, List<String>> taskStatusesPerReferral = new LinkedHashMap<>();
        for (ServeEvent event : accepted) {
            JsonNode message = JSON.readTree(event.getRequest().getBodyAsString());
            taskStatusesPerReferral.computeIfAbsent(resource(message, "ServiceRequest").get("id").asText(),
                    r -> new ArrayList<>()).add(resource(message, "Task").get("status").asText());
        }
        assertThat(taskStatusesPerReferral).containsOnlyKeys(referrals);
        assertThat(taskStatusesPerReferral.values()).allSatisfy(statuses ->
                assertThat(statuses).containsExactly("accepted", "completed"));
        assertThat(store.countDeliveries(DeliveryState.FAILED)).isZero();
    }

    private List<DeliveryRecord> linkWorkerDeliveries(List<String> referrals) {
        return referrals.stream().map(r -> Referrals.linkWorkerDelivery(store, r)).toList();
    }

    private List<DeliveryRecord> gpDeliveries(List<String> referrals) {
        return referrals.stream().flatMap(r -> store.deliveriesForReferral(r).stream())
                .filter(d -> d.flow() == DeliveryFlow.UPDATES_TO_GP).toList();
    }

    /** The requests to a path, oldest first, with the answers given. */
    private static List<ServeEvent> served(String path) {
        List<ServeEvent> events = new ArrayList<>(TestPartners.server().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(path)).toList());
        java.util.Collections.reverse(events); // WireMock lists the newest first
        return events;
    }

    private static JsonNode resource(JsonNode bundle, String type) {
        for (JsonNode entry : bundle.get("entry")) {
            if (type.equals(entry.get("resource").get("resourceType").asText())) {
                return entry.get("resource");
            }
        }
        throw new AssertionError("no " + type + " in the message");
    }

    private static String event(String referralId, String type, String occurredAt) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", "evt-" + UUID.randomUUID());
        event.put("type", type);
        event.put("occurredAt", occurredAt);
        event.putObject("referral").put("id", referralId);
        event.putObject("worker").put("id", "LW-0042").put("name", "Jo Example");
        return event.toString();
    }
}
