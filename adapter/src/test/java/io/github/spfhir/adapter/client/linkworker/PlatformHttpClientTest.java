package io.github.spfhir.adapter.client.linkworker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

class PlatformHttpClientTest {

    @RegisterExtension
    static final WireMockExtension platform = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String PATH = "/api/referrals";
    private static final String PAYLOAD = "{\"person\":{\"nhsNumber\":\"9434765919\"}}";
    private static final Map<String, String> HEADERS = Map.of(
            "X-Request-ID", "6f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b",
            "X-Correlation-ID", "9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final PlatformHttpClient client = new PlatformHttpClient(Duration.ofSeconds(2));

    @Test
    void createdIsSuccessAndTheHeadersAndPayloadAreSent() {
        platform.stubFor(post(PATH).willReturn(aResponse().withStatus(201).withBody("{\"status\":\"received\"}")));

        DeliveryResponse response = client.post(endpoint(), "application/json", PAYLOAD, HEADERS, TIMEOUT);

        assertThat(response).isEqualTo(new DeliveryResponse(201, "{\"status\":\"received\"}"));
        platform.verify(1, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("X-Request-ID", equalTo("6f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b"))
                .withHeader("X-Correlation-ID", equalTo("9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"))
                .withRequestBody(equalToJson(PAYLOAD)));
    }

    @Test
    void okIsSuccess() {
        platform.stubFor(post(PATH).willReturn(aResponse().withStatus(200).withBody("{}")));

        assertThat(client.post(endpoint(), "application/fhir+json", "{}", Map.of(), TIMEOUT).status()).isEqualTo(200);
        platform.verify(postRequestedFor(urlEqualTo(PATH)).withHeader("Content-Type", equalTo("application/fhir+json")));
    }

    @Test
    void serviceUnavailableIsRetryableWithRetryAfter() {
        platform.stubFor(post(PATH).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "30")
                .withBody("down for maintenance")));

        assertThatThrownBy(() -> client.post(endpoint(), "application/json", PAYLOAD, HEADERS, TIMEOUT))
                .isInstanceOfSatisfying(RetryableDeliveryException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
                    assertThat(e.responseBody()).contains("down for maintenance");
                })
                .hasMessage("POST " + endpoint() + " answered HTTP 503");
    }

    @Test
    void tooManyRequestsIsRetryable() {
        platform.stubFor(post(PATH).willReturn(aResponse().withStatus(429)));

        assertThatThrownBy(() -> client.post(endpoint(), "application/json", PAYLOAD, HEADERS, TIMEOUT))
                .isInstanceOfSatisfying(RetryableDeliveryException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.retryAfter()).isEmpty();
                    assertThat(e.responseBody()).isEmpty();
                });
    }

    @Test
    void requestTimeoutIsRetryable() {
        platform.stubFor(post(PATH).willReturn(aResponse().withStatus(408)));

        assertThatThrownBy(() -> client.post(endpoint(), "application/json", PAYLOAD, HEADERS, TIMEOUT))
                .isInstanceOf(RetryableDeliveryException.class);
    }

    @Test
    void badRequestIsPermanentAndTheMessageHoldsNeitherPayloadNorBody() {
        String body = "{\"error\":\"nhsNumber 9434765919 is not registered\"," + "\"pad\":\"" + "x".repeat(3000) + "\"}";
        platform.stubFor(post(PATH).willReturn(aResponse().withStatus(400).withBody(body)));

        assertThatThrownBy(() -> client.post(endpoint(), "application/json", PAYLOAD, HEADERS, TIMEOUT))
                .isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.responseBody()).get().asString()
                            .hasSize(PlatformHttpClient.MAX_BODY_CHARS).startsWith("{\"error\"");
                })
                .hasMessage("POST " + endpoint() + " answered HTTP 400")
                .hasMessageNotContaining("9434765919");
    }

    @Test
    void redirectIsNotFollowedAndIsPermanent() {
        platform.stubFor(post(PATH).willReturn(aResponse().withStatus(302).withHeader("Location", "/elsewhere")));

        assertThatThrownBy(() -> client.post(endpoint(), "application/json", PAYLOAD, HEADERS, TIMEOUT))
                .isInstanceOfSatisfying(PermanentDeliveryException.class, e -> assertThat(e.status()).isEqualTo(302));
    }

    @Test
    void slowPlatformIsRetryableWithoutStatus() {
        platform.stubFor(post(PATH).willReturn(aResponse().withStatus(201).withFixedDelay(3000)));

        assertThatThrownBy(() -> client.post(endpoint(), "application/json", PAYLOAD, HEADERS, Duration.ofMillis(300)))
                .isInstanceOfSatisfying(RetryableDeliveryException.class, e -> {
                    assertThat(e.status()).isEqualTo(DeliveryException.NO_RESPONSE);
                    assertThat(e.hasResponse()).isFalse();
                })
                .hasMessageStartingWith("POST " + endpoint() + " failed: ")
                .hasMessageNotContaining("9434765919");
    }

    @Test
    void aBodyThatStallsAfterTheHeadersIsCutOffAtTheTimeout() {
        // the body in pieces over 3 s; waiting for all of it would end in a 201 (which of our two timeouts fires first,
        // the request's or the whole call's, is the JDK's business: both end the attempt as retryable)
        platform.stubFor(post(PATH).willReturn(aResponse().withStatus(201).withBody("{\"status\":\"received\"}")
                .withChunkedDribbleDelay(5, 3000)));

        assertThatThrownBy(() -> client.post(endpoint(), "application/json", PAYLOAD, HEADERS, Duration.ofMillis(500)))
                .isInstanceOfSatisfying(RetryableDeliveryException.class,
                        e -> assertThat(e.status()).isEqualTo(DeliveryException.NO_RESPONSE))
                .hasMessageStartingWith("POST " + endpoint() + " failed: ")
                .hasMessageNotContaining("received");
    }

    @Test
    void callsReuseThreadsInsteadOfStartingOnePerCall() {
        platform.stubFor(post(PATH).willReturn(aResponse().withStatus(201).withBody("{}")));
        client.post(endpoint(), "application/json", PAYLOAD, HEADERS, TIMEOUT); // the first call may start the pools
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long startedBefore = threads.getTotalStartedThreadCount();

        for (int call = 0; call < 40; call++) {
            assertThat(client.post(endpoint(), "application/json", PAYLOAD, HEADERS, TIMEOUT).status()).isEqualTo(201);
        }

        // the JDK's sendAsync started a thread per response on a machine of two cores or fewer (40 here)
        assertThat(threads.getTotalStartedThreadCount() - startedBefore).isLessThan(10);
        platform.verify(41, postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void refusedConnectionIsRetryableAndNamesTheExceptionClass() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nobody = URI.create("http://localhost:" + closedPort + PATH + "?token=secret");

        assertThatThrownBy(() -> client.post(nobody, "application/json", PAYLOAD, HEADERS, TIMEOUT))
                .isInstanceOfSatisfying(RetryableDeliveryException.class,
                        e -> assertThat(e.status()).isEqualTo(DeliveryException.NO_RESPONSE))
                .hasMessage("POST http://localhost:" + closedPort + PATH + " failed: ConnectException");
    }

    @Test
    void contentTypeCannotAlsoBeAHeader() {
        assertThatThrownBy(() -> client.post(endpoint(), "application/json", PAYLOAD,
                Map.of("content-type", "text/plain"), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static URI endpoint() {
        return URI.create(platform.baseUrl() + PATH);
    }
}
