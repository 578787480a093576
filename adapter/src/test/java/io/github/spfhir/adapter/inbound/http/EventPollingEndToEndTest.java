package io.github.spfhir.adapter.inbound.http;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * A platform without webhooks is polled (the test context polls example-linkworker every 300 ms): a page of
 * events is applied, a refused event in it is recorded and does not stall the feed, the cursor moves on and is
 * kept in the store, and a page read again is not applied twice.
 */
class EventPollingEndToEndTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FEED = "/example-linkworker/api/events";
    private static final String CURSOR_KEY = "platform-events:example-linkworker";

    @Test
    void aPageOfPolledEventsIsAppliedOnceAndTheCursorMovesPastIt() throws Exception {
        String referralId = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.DELIVERED);
        String accepted = "evt-" + UUID.randomUUID();
        String refused = "evt-" + UUID.randomUUID();
        ArrayNode events = JSON.createArrayNode();
        events.add(event(accepted, "REFERRAL_ACCEPTED", referralId));
        events.add(event(refused, "NO_SUCH_EVENT_TYPE", referralId));
        String nextCursor = "c-" + UUID.randomUUID();
        ObjectNode page = JSON.createObjectNode();
        page.set("events", events);
        page.put("nextCursor", nextCursor);
        String cursorBefore = store.pollCursor(CURSOR_KEY).orElse(null);
        MappingBuilder fromCurrentCursor = get(urlPathEqualTo(FEED)).atPriority(1)
                .withQueryParam("since", cursorBefore == null ? absent() : equalTo(cursorBefore));
        // the same page whatever cursor is sent: a feed that repeats itself must not repeat the events
        TestPartners.server().stubFor(fromCurrentCursor.willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(page.toString())));

        await().atMost(Duration.ofSeconds(20)).until(() -> nextCursor.equals(store.pollCursor(CURSOR_KEY).orElse(null)));

        JsonNode task = JSON.readTree(http.get("/fhir/Task?focus=ServiceRequest/" + referralId).body())
                .get("entry").get(0).get("resource");
        assertThat(task.get("status").asText()).isEqualTo("accepted");
        assertThat(store.findEvent("example-linkworker", accepted)).isPresent();
        assertThat(store.listRejections(1000)).anyMatch(r -> "poll:example-linkworker".equals(r.channel())
                && "INVALID_CONTENT".equals(r.reason()));

        // the feed is read again from the new cursor: the stub above no longer matches, the empty page does
        await().atMost(Duration.ofSeconds(20)).until(() -> TestPartners.server()
                .findAll(getRequestedFor(urlPathEqualTo(FEED)).withQueryParam("since", equalTo(nextCursor))).size() > 0);
        assertThat(store.findEvent("example-linkworker", accepted).orElseThrow().duplicates()).isZero();
    }

    private static ObjectNode event(String eventId, String type, String referralId) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", eventId);
        event.put("type", type);
        event.put("occurredAt", "2026-11-21T09:00:00Z");
        event.putObject("referral").put("id", referralId);
        return event;
    }
}
