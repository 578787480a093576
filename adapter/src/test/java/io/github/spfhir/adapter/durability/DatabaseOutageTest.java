package io.github.spfhir.adapter.durability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.RestartablePostgres;
import io.github.spfhir.adapter.support.TestClockConfiguration;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * The database stops while the adapter runs, on a real PostgreSQL. Every endpoint answers 503 {@code transient}
 * with an OperationOutcome and {@code Retry-After}: never 200 for what it could not store, never a 500. The
 * overall health is DOWN with {@code db} DOWN, readiness stays UP by design (each request is answered 503 by the
 * adapter itself; docs/operations.md, section 4). When the database returns the adapter recovers by itself: new
 * events are accepted, and a delivery that was being retried when the database went away resumes and is taken
 * once. {@code PostgresModeEndToEndTest} covers {@code $process-message} through the same outage.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "adapter.simulator.enabled=false",
        "adapter.security.dev-mode.enabled=false",
        // the validator warms up as in production, and the test starts once the adapter is ready: a cold first
        // validation on a busy machine can outlast the test client's timeout
        "adapter.destinations.example-linkworker.practices=A81001",
        "spring.datasource.hikari.connection-timeout=1000",
        "spring.datasource.hikari.validation-timeout=500",
        "adapter.destinations.example-linkworker.retry.initial-delay=50ms",
        "adapter.destinations.example-linkworker.retry.max-delay=250ms",
        "adapter.destinations.example-linkworker.retry.max-attempts=250",
        // production mode refuses to start without a pseudonym key (a test key, not a secret)
        "adapter.data-platforms.example-data-platform.pseudonym-key=test-only-pseudonym-key-not-a-secret-0123456789"
})
@Import(TestClockConfiguration.class)
class DatabaseOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINKWORKER_PATH = "/example-linkworker/api/referrals";
    private static final RestartablePostgres DATABASE = RestartablePostgres.start();

    @LocalServerPort
    int port;

    @Autowired
    MessageStore store;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DATABASE::jdbcUrl);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
    }

    @AfterAll
    static void removeDatabase() {
        DATABASE.close();
    }

    @Test
    void everyEndpointRefusesWith503WhileTheDatabaseIsDownAndWorkResumesWhenItReturns() throws Exception {
        TestPartners.reset();
        AdapterHttp http = new AdapterHttp(port);
        await().atMost(Duration.ofMinutes(3)).until(() ->
                http.get("/actuator/health/readiness", "application/json").statusCode() == 200);
        String delivered = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, delivered).state() == DeliveryState.DELIVERED);
        StubMapping platformDown = TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        String waiting = Referrals.accept(http);
        DeliveryRecord retried = Referrals.linkWorkerDelivery(store, waiting);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                store.findDelivery(retried.id()).orElseThrow().attempts() >= 2);

        DATABASE.stop();
        String accepted = event(delivered, "REFERRAL_ACCEPTED");

        assertTransient503(http.post("/platforms/example-linkworker/events", accepted, "application/json"));
        assertTransient503(http.get("/fhir/ServiceRequest/" + delivered));
        assertTransient503(http.get("/fhir/Task?focus=ServiceRequest/" + delivered));
        assertTransient503(http.get("/ops/deliveries?state=FAILED", "application/json"));
        HttpResponse<String> health = http.get("/actuator/health", "application/json");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(health.body()).get("components").get("db").get("status").asText()).isEqualTo("DOWN");
        assertThat(http.get("/actuator/health/readiness", "application/json").statusCode()).isEqualTo(200);

        TestPartners.server().removeStub(platformDown);
        DATABASE.restart();

        // the platform resends the event it was refused: accepted now, without a restart of the adapter
        await().atMost(Duration.ofSeconds(30)).until(() ->
                http.post("/platforms/example-linkworker/events", accepted, "application/json").statusCode() == 200);
        JsonNode task = JSON.readTree(http.get("/fhir/Task?focus=ServiceRequest/" + delivered).body())
                .get("entry").get(0).get("resource");
        assertThat(task.get("status").asText()).isEqualTo("accepted");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                store.findDelivery(retried.id()).orElseThrow().state() == DeliveryState.DELIVERED);
        Map<String, Long> acceptedPerKey = TestPartners.server().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().equals(LINKWORKER_PATH) && e.getResponse().getStatus() / 100 == 2)
                .collect(Collectors.groupingBy(e -> e.getRequest().getHeader("X-Request-ID"), Collectors.counting()));
        assertThat(acceptedPerKey).containsEntry(retried.idempotencyKey(), 1L);
        assertThat(http.get("/actuator/health", "application/json").statusCode()).isEqualTo(200);
    }

    private static void assertTransient503(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        JsonNode outcome = JSON.readTree(response.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.get("issue").get(0).get("code").asText()).isEqualTo("transient");
    }

    private static String event(String referralId, String type) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", "evt-" + UUID.randomUUID());
        event.put("type", type);
        event.put("occurredAt", "2026-11-21T09:00:00Z");
        event.putObject("referral").put("id", referralId);
        event.putObject("worker").put("id", "LW-0042").put("name", "Jo Example");
        return event.toString();
    }
}
