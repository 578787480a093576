package io.github.spfhir.adapter.client.linkworker;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.core.JsonPointer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import io.github.spfhir.adapter.domain.platformevent.PlatformEventMapper;
import io.github.spfhir.adapter.domain.platformevent.PlatformEventMappings;

/** Polling a platform for events against a real HTTP server (WireMock), as the example platform's mapping says. */
class PlatformEventPollClientTest {

    @RegisterExtension
    static final WireMockExtension platform = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String PATH = "/example-linkworker/api/events";
    private static final EventPollSpec SPEC = new EventPollSpec("/api/events", "since", JsonPointer.compile("/events"),
            JsonPointer.compile("/nextCursor"));
    private static final Map<String, String> HEADERS = Map.of("X-Api-Key", "test-key");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final PlatformEventPollClient client = new PlatformEventPollClient(Duration.ofSeconds(2));

    @Test
    void pagesThroughEventsWithTheCursorUntilAnEmptyPage() {
        platform.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("since", absent())
                .willReturn(okJson(page("c-2", event("elw-evt-000101", "REFERRAL_ACCEPTED"),
                        event("elw-evt-000104", "CONTACT_SUCCESSFUL")))));
        platform.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("since", equalTo("c-2"))
                .willReturn(okJson(page("c/3 &more", event("elw-evt-000105", "APPOINTMENT_BOOKED")))));
        platform.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("since", equalTo("c/3 &more"))
                .willReturn(okJson("{\"events\":[],\"nextCursor\":null}")));

        List<String> received = new ArrayList<>();
        String cursor = null;
        List<String> cursors = new ArrayList<>();
        EventPage page;
        do {
            page = client.poll(baseUrl(), SPEC, cursor, HEADERS, TIMEOUT);
            received.addAll(page.events());
            cursor = page.nextCursor();
            cursors.add(cursor);
        } while (!page.isEmpty());

        assertThat(cursors).containsExactly("c-2", "c/3 &more", "c/3 &more");
        assertThat(received).hasSize(3);
        // each raw event is one event of the platform, readable by its events mapping
        PlatformEventMapper mapper = new PlatformEventMapper(new PlatformEventMappings());
        assertThat(received.stream().map(json -> mapper.map("example-linkworker", json).eventId()))
                .containsExactly("elw-evt-000101", "elw-evt-000104", "elw-evt-000105");
        platform.verify(3, getRequestedFor(urlPathEqualTo(PATH))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("X-Api-Key", equalTo("test-key")));
    }

    @Test
    void anEmptyFirstPageKeepsNoCursor() {
        platform.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson("{\"events\":[]}")));

        EventPage page = client.poll(baseUrl(), SPEC, null, Map.of(), TIMEOUT);

        assertThat(page.events()).isEmpty();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void serviceUnavailableIsRetryableAndNamesNeitherCursorNorBody() {
        platform.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "120")
                .withBody("maintenance")));

        assertThatThrownBy(() -> client.poll(baseUrl(), SPEC, "secret-cursor", HEADERS, TIMEOUT))
                .isInstanceOfSatisfying(RetryableDeliveryException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
                    assertThat(e.responseBody()).contains("maintenance");
                })
                .hasMessage("GET " + platform.baseUrl() + PATH + " answered HTTP 503");
    }

    @Test
    void unauthorisedIsPermanent() {
        platform.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(401)));

        assertThatThrownBy(() -> client.poll(baseUrl(), SPEC, "c-2", HEADERS, TIMEOUT))
                .isInstanceOfSatisfying(PermanentDeliveryException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aBodyThatIsNotAPageOfEventsIsPermanentAndNotQuoted() {
        platform.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("since", equalTo("a"))
                .willReturn(okJson("{\"items\":[{\"note\":\"Jo Example said\"}]}")));
        platform.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("since", equalTo("b"))
                .willReturn(aResponse().withStatus(200).withBody("Jo Example <html>")));

        assertThatThrownBy(() -> client.poll(baseUrl(), SPEC, "a", HEADERS, TIMEOUT))
                .isInstanceOf(PermanentDeliveryException.class)
                .hasMessage("GET " + platform.baseUrl() + PATH + " answered HTTP 200 with a body that is not a page of"
                        + " events: there is no array of events at '/events'");
        assertThatThrownBy(() -> client.poll(baseUrl(), SPEC, "b", HEADERS, TIMEOUT))
                .isInstanceOf(PermanentDeliveryException.class)
                .hasMessageStartingWith("GET " + platform.baseUrl() + PATH + " answered HTTP 200 with a body that is not a"
                        + " page of events: not JSON (line 1, column ")
                .hasMessageNotContaining("Jo");
    }

    @Test
    void refusedConnectionIsRetryable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> client.poll(URI.create("http://localhost:" + closedPort), SPEC, "c-2", HEADERS, TIMEOUT))
                .isInstanceOfSatisfying(RetryableDeliveryException.class,
                        e -> assertThat(e.status()).isEqualTo(DeliveryException.NO_RESPONSE))
                .hasMessage("GET http://localhost:" + closedPort + "/api/events failed: ConnectException");
    }

    @Test
    void theUriJoinsBasePathFixedParametersAndTheEncodedCursor() {
        EventPollSpec withLimit = new EventPollSpec("/v2/events?limit=50", "after", JsonPointer.empty(),
                JsonPointer.compile("/next"));

        assertThat(PlatformEventPollClient.uri(URI.create("https://platform.example/base/"), withLimit, "a b&c"))
                .hasToString("https://platform.example/base/v2/events?limit=50&after=a+b%26c");
        assertThat(PlatformEventPollClient.uri(URI.create("https://platform.example"), SPEC, null))
                .hasToString("https://platform.example/api/events");
    }

    @Test
    void anAnswerThatIsTheArrayItselfAndANumericCursor() {
        EventPollSpec bare = new EventPollSpec("/api/events", "since", JsonPointer.empty(), JsonPointer.compile("/0/seq"));
        platform.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson("[{\"seq\": 17, \"type\": \"CASE_CLOSED\"}]")));

        EventPage page = client.poll(baseUrl(), bare, "16", Map.of(), TIMEOUT);

        assertThat(page.events()).containsExactly("{\"seq\":17,\"type\":\"CASE_CLOSED\"}");
        assertThat(page.nextCursor()).isEqualTo("17");
    }

    private static URI baseUrl() {
        return URI.create(platform.baseUrl() + "/example-linkworker");
    }

    private static String page(String nextCursor, String... events) {
        return "{\"events\":[" + String.join(",", events) + "],\"nextCursor\":\"" + nextCursor + "\"}";
    }

    private static String event(String id, String type) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"occurredAt\":\"2026-11-20T09:15:00Z\","
                + "\"referral\":{\"id\":\"f5734bcf-1914-34e7-804e-97a914692ac3\"}}";
    }
}
