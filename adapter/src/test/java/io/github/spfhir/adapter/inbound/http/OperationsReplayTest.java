package io.github.spfhir.adapter.inbound.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.TestIssuer;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestPartners;

/** Failures are visible to operators and replayable: /ops/deliveries, /ops/rejections and replay. */
class OperationsReplayTest extends EndToEndTest {

    private static final String LINKWORKER_PATH = "/example-linkworker/api/referrals";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFailedDeliveryIsListedWithoutItsPayloadAndAReplayDeliversItWithTheSameIdempotencyKey() throws Exception {
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).willReturn(aResponse().withStatus(503)));
        String referralId = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.FAILED);
        DeliveryRecord failed = Referrals.linkWorkerDelivery(store, referralId);

        JsonNode listed = JSON.readTree(http.get("/ops/deliveries?state=FAILED&destination=example-linkworker",
                "application/json").body());
        JsonNode entry = findById(listed, failed.id());
        assertThat(entry.get("referralId").asText()).isEqualTo(referralId);
        assertThat(entry.get("attempts").asInt()).isEqualTo(4);
        assertThat(entry.get("lastError").asText()).contains("503");
        assertThat(entry.has("payload")).isFalse();

        TestPartners.reset(); // the platform is back
        HttpResponse<String> replay = postTo("/ops/deliveries/" + failed.id() + "/replay");

        assertThat(replay.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                store.findDelivery(failed.id()).orElseThrow().state() == DeliveryState.DELIVERED);
        assertThat(TestPartners.server().findAll(postRequestedFor(urlEqualTo(LINKWORKER_PATH))))
                .singleElement().satisfies(r -> assertThat(r.getHeader("X-Request-ID")).isEqualTo(failed.idempotencyKey()));
        JsonNode detail = JSON.readTree(http.get("/ops/deliveries/" + failed.id(), "application/json").body());
        assertThat(detail.get("attempts")).hasSize(5);
        // a delivered one is not sent again
        assertThat(postTo("/ops/deliveries/" + failed.id() + "/replay").statusCode()).isEqualTo(409);
        assertThat(postTo("/ops/deliveries/" + UUID.randomUUID() + "/replay").statusCode()).isEqualTo(404);
    }

    @Test
    void replayingADestinationReopensEveryFailedDeliveryOfIt() throws Exception {
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).willReturn(aResponse().withStatus(400)));
        String first = Referrals.accept(http);
        String second = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.countDeliveries(DeliveryState.PENDING) == 0);
        TestPartners.reset();

        HttpResponse<String> replay = postTo("/ops/deliveries/replay?destination=example-linkworker");

        assertThat(replay.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(replay.body()).get("reopened").asInt()).isGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, first).state() == DeliveryState.DELIVERED
                        && Referrals.linkWorkerDelivery(store, second).state() == DeliveryState.DELIVERED);
        assertThat(store.countDeliveries(DeliveryState.FAILED)).isZero();
    }

    @Test
    void replayingATimeWindowReopensOnlyTheFailedDeliveriesCreatedInIt() throws Exception {
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).willReturn(aResponse().withStatus(400)));
        String referralId = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.FAILED);
        DeliveryRecord failed = Referrals.linkWorkerDelivery(store, referralId);
        TestPartners.reset();

        // the test clock stands at 2026-11-21T10:00:00Z: a window after it holds none of this test's deliveries
        HttpResponse<String> later = postTo("/ops/deliveries/replay?destination=example-linkworker"
                + "&from=2026-11-21T10:00:01Z&to=2026-11-22T00:00:00Z");
        assertThat(later.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(later.body()).get("reopened").asInt()).isZero();
        assertThat(store.findDelivery(failed.id()).orElseThrow().state()).isEqualTo(DeliveryState.FAILED);

        HttpResponse<String> window = postTo("/ops/deliveries/replay?destination=example-linkworker"
                + "&from=2026-11-21T10:00:00Z&to=2026-11-21T10:00:01Z");
        assertThat(window.statusCode()).isEqualTo(202);
        JsonNode answer = JSON.readTree(window.body());
        assertThat(answer.get("reopened").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(answer.get("from").asText()).isEqualTo("2026-11-21T10:00:00Z");
        await().atMost(Duration.ofSeconds(20)).until(() ->
                store.findDelivery(failed.id()).orElseThrow().state() == DeliveryState.DELIVERED);

        assertThat(postTo("/ops/deliveries/replay?from=yesterday").statusCode()).isEqualTo(400);
        assertThat(postTo("/ops/deliveries/replay?from=2026-11-22T00:00:00Z&to=2026-11-21T00:00:00Z").statusCode())
                .isEqualTo(400);
    }

    @Test
    void refusalsAreListedWithTheirOutcomeButNotTheirBody() throws Exception {
        String requestId = UUID.randomUUID().toString();
        http.processMessage("{\"resourceType\":\"Patient\"}", "application/fhir+json",
                Map.of("X-Request-ID", requestId, "X-Correlation-ID", UUID.randomUUID().toString()));

        // the clock is fixed, so refusals tie on time: read them all (the most a page gives) to find this one
        JsonNode rejections = JSON.readTree(http.get("/ops/rejections?limit=1000", "application/json").body());

        JsonNode mine = null;
        for (JsonNode r : rejections) {
            if (requestId.equals(r.get("requestId").asText())) {
                mine = r;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("httpStatus").asInt()).isEqualTo(422);
        assertThat(mine.get("reason").asText()).isEqualTo("INVALID_CONTENT");
        assertThat(mine.get("outcome").asText()).contains("OperationOutcome");
        assertThat(mine.has("body")).isFalse();
    }

    private static JsonNode findById(JsonNode list, String id) {
        for (JsonNode node : list) {
            if (id.equals(node.get("id").asText())) {
                return node;
            }
        }
        throw new AssertionError("delivery " + id + " not listed in " + list);
    }

    private HttpResponse<String> postTo(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", AdapterHttp.bearer(TestIssuer.operator()))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
