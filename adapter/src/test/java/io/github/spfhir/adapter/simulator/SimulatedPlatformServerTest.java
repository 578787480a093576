package io.github.spfhir.adapter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.skyscreamer.jsonassert.JSONAssert;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.config.AdapterProperties;

/** The simulator serves the stubs of test-fixtures/wiremock on the paths application.yml delivers to. */
class SimulatedPlatformServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST_ID = "6f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b";
    private static final String TRANSACTION = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"http://x/fhir/Patient/p1","resource":{"resourceType":"Patient","id":"p1"},
               "request":{"method":"PUT","url":"Patient/p1"}},
              {"fullUrl":"http://x/fhir/ServiceRequest/sr1","resource":{"resourceType":"ServiceRequest","id":"sr1"},
               "request":{"method":"PUT","url":"ServiceRequest/sr1"}},
              {"fullUrl":"http://x/fhir/Task/t1","resource":{"resourceType":"Task","id":"t1"},
               "request":{"method":"PUT","url":"Task/t1"}}]}
            """;

    private static SimulatedPlatformServer simulator;

    @BeforeAll
    static void start() {
        simulator = new SimulatedPlatformServer(0);
        simulator.start();
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void clearJournal() throws Exception {
        assertThat(send("DELETE", "/__admin/requests", null, null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void linkWorkerPlatformReceivesAReferralAndEchoesTheRequestId() throws Exception {
        HttpResponse<String> response = send("POST", "/example-linkworker/api/referrals", "application/json",
                REQUEST_ID, "{\"referral\":{\"id\":\"r1\"}}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-Request-ID")).contains(REQUEST_ID);
        JSONAssert.assertEquals("{\"status\":\"received\",\"requestId\":\"" + REQUEST_ID + "\"}", response.body(), true);
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void fhirPlatformAnswersATransactionWithOneCreatedEntryPerRequestEntry() throws Exception {
        HttpResponse<String> response = send("POST", "/example-fhir-platform/fhir", "application/fhir+json",
                REQUEST_ID, TRANSACTION);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/fhir+json");
        JSONAssert.assertEquals("""
                {"resourceType":"Bundle","type":"transaction-response","entry":[
                  {"response":{"status":"201 Created","location":"Patient/p1/_history/1","etag":"W/\\"1\\""}},
                  {"response":{"status":"201 Created","location":"ServiceRequest/sr1/_history/1","etag":"W/\\"1\\""}},
                  {"response":{"status":"201 Created","location":"Task/t1/_history/1","etag":"W/\\"1\\""}}]}
                """, response.body(), true);
        assertThat(requestsReceived()).isEqualTo(1);
    }

    @Test
    void requestsWithoutRequestIdOrOfTheWrongTypeAreRefused() throws Exception {
        HttpResponse<String> noRequestId = send("POST", "/example-linkworker/api/referrals", "application/json",
                null, "{}");
        HttpResponse<String> notFhir = send("POST", "/example-fhir-platform/fhir", "application/json",
                REQUEST_ID, TRANSACTION);
        HttpResponse<String> notATransaction = send("POST", "/example-fhir-platform/fhir", "application/fhir+json",
                REQUEST_ID, "{\"resourceType\":\"Patient\"}");

        assertThat(noRequestId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noRequestId.body()).path("status").asText()).isEqualTo("rejected");
        assertThat(notFhir.statusCode()).isEqualTo(400);
        assertThat(notATransaction.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notATransaction.body()).path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(requestsReceived()).isEqualTo(3);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void unmatchedRequestIsNotQuotedInTheLog(CapturedOutput output) throws Exception {
        HttpResponse<String> response = send("POST", "/no-such-platform", "application/json", REQUEST_ID,
                "{\"nhsNumber\":\"9434765919\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(output.getAll()).contains("WireMock: Request was not matched").doesNotContain("9434765919");
    }

    @Test
    void startsAndStopsWithASpringContextOnlyWhenEnabled() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withUserConfiguration(PropertiesConfiguration.class, SimulatedPlatformServer.class);

        runner.withPropertyValues("adapter.simulator.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SimulatedPlatformServer.class));
        runner.run(context -> assertThat(context).doesNotHaveBean(SimulatedPlatformServer.class));

        SimulatedPlatformServer[] started = new SimulatedPlatformServer[1];
        runner.withPropertyValues("adapter.simulator.enabled=true", "adapter.simulator.port=0").run(context -> {
            started[0] = context.getBean(SimulatedPlatformServer.class);
            assertThat(started[0].isRunning()).isTrue();
            assertThat(started[0].port()).isPositive().isNotEqualTo(simulator.port());
        });
        assertThat(started[0].isRunning()).isFalse();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AdapterProperties.class)
    static class PropertiesConfiguration {
    }

    private static int requestsReceived() throws Exception {
        HttpResponse<String> journal = send("GET", "/__admin/requests", null, null, null);
        JsonNode requests = JSON.readTree(journal.body());
        return requests.path("meta").path("total").asInt(-1);
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String requestId,
            String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (requestId != null) {
            request.header("X-Request-ID", requestId);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
