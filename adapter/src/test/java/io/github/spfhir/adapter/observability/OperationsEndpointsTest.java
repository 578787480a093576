package io.github.spfhir.adapter.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestPartners;

/** Health (liveness, readiness, one indicator per destination), Prometheus metrics and the CapabilityStatement. */
class OperationsEndpointsTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void livenessAndReadinessAreUp() throws Exception {
        assertThat(status(http.get("/actuator/health/liveness", "application/json"))).isEqualTo("UP");
        assertThat(status(http.get("/actuator/health/readiness", "application/json"))).isEqualTo("UP");
    }

    @Test
    void aDestinationWhoseLastAttemptFailedIsReportedDownWithItsCounts() throws Exception {
        TestPartners.server().stubFor(post(urlEqualTo("/example-linkworker/api/referrals")).atPriority(1)
                .willReturn(aResponse().withStatus(422)));
        assertThat(http.processMessage(Referrals.freshBody(), "application/fhir+json", Referrals.freshHeaders()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.countDeliveries(DeliveryState.PENDING) == 0);

        JsonNode health = JSON.readTree(http.get("/actuator/health/destinations/example-linkworker", "application/json").body());

        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        assertThat(health.get("details").get("lastAttempt").asText()).isEqualTo("PERMANENT_FAILURE");
        assertThat(health.get("details").get("failed").asInt()).isPositive();
        // a partner outage does not take the adapter out of service: it keeps accepting and storing
        assertThat(status(http.get("/actuator/health/readiness", "application/json"))).isEqualTo("UP");

        TestPartners.reset();
        assertThat(http.processMessage(Referrals.freshBody(), "application/fhir+json", Referrals.freshHeaders()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.countDeliveries(DeliveryState.PENDING) == 0);
        assertThat(status(http.get("/actuator/health/destinations/example-linkworker", "application/json"))).isEqualTo("UP");
    }

    @Test
    void prometheusExposesMessageCountersAndValidationTime() {
        http.processMessage(Referrals.freshBody(), "application/fhir+json", Referrals.freshHeaders());
        http.processMessage("{", "application/fhir+json", Map.of("X-Request-ID", UUID.randomUUID().toString(),
                "X-Correlation-ID", UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(20)).until(() -> store.countDeliveries(DeliveryState.PENDING) == 0);

        String metrics = http.get("/actuator/prometheus", "text/plain").body();

        assertThat(metrics).containsPattern("adapter_messages_total\\{outcome=\"in\",route=\"referral-to-link-worker\"} [1-9]");
        assertThat(metrics).containsPattern("adapter_messages_total\\{outcome=\"failed\",route=\"referral-to-link-worker\"} [1-9]");
        assertThat(metrics).containsPattern(
                "adapter_messages_total\\{outcome=\"out\",route=\"referral-to-link-worker.example-linkworker\"} [1-9]");
        assertThat(metrics).containsPattern("adapter_validation_seconds_count [1-9]");
    }

    @Test
    void requestsAreTimedWithoutSpringSecuritysOwnObservations() {
        http.processMessage(Referrals.freshBody(), "application/fhir+json", Referrals.freshHeaders());

        String metrics = http.get("/actuator/prometheus", "text/plain").body();

        assertThat(metrics).containsPattern(
                "http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*uri=\"/fhir/\\$process-message\"[^}]*} [1-9]");
        // off (SecurityConfiguration): timing each of the chain's filters cost about 2 % of the CPU under load
        assertThat(metrics).doesNotContain("spring_security_");
    }

    @Test
    void capabilityStatementListsExactlyWhatIsServed() throws Exception {
        JsonNode cs = JSON.readTree(http.get("/fhir/metadata").body());

        assertThat(cs.get("resourceType").asText()).isEqualTo("CapabilityStatement");
        assertThat(cs.get("fhirVersion").asText()).isEqualTo("4.0.1");
        JsonNode rest = cs.get("rest").get(0);
        assertThat(rest.get("operation")).extracting(o -> o.get("name").asText()).containsExactly("process-message");
        assertThat(rest.get("resource")).extracting(r -> r.get("type").asText())
                .containsExactly("ServiceRequest", "Task", "Observation", "QuestionnaireResponse", "Patient",
                        "HealthcareService", "Organization", "Location");
        JsonNode task = rest.get("resource").get(1);
        assertThat(task.get("interaction")).extracting(i -> i.get("code").asText())
                .containsExactly("read", "vread", "history-instance", "search-type", "update");
        assertThat(task.get("versioning").asText()).isEqualTo("versioned-update");
        assertThat(task.get("updateCreate").asBoolean()).isFalse();
        JsonNode observation = rest.get("resource").get(2);
        assertThat(observation.get("interaction")).extracting(i -> i.get("code").asText())
                .containsExactly("read", "vread", "history-instance", "search-type", "create");
        assertThat(observation.get("conditionalCreate").asBoolean()).isFalse();
        assertThat(cs.get("messaging").get(0).get("supportedMessage")).extracting(m -> m.get("definition").asText())
                .containsExactly("https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral",
                        "https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-referral");
        for (JsonNode resource : rest.get("resource")) {
            String type = resource.get("type").asText();
            // every resource listed is readable: an unknown id is a 404 not-found, not an unsupported type
            HttpResponse<String> read = http.get("/fhir/" + type + "/" + UUID.randomUUID());
            assertThat(JSON.readTree(read.body()).get("issue").get(0).get("code").asText()).as(type).isEqualTo("not-found");
        }
        assertThat(JSON.readTree(http.get("/fhir/Encounter/1").body()).get("issue").get(0).get("code").asText())
                .isEqualTo("not-supported");
    }

    private static String status(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("status").asText();
    }
}
