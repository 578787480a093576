package io.github.spfhir.adapter.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestIssuer;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Dead letters are visible and countable (FAILED is the dead-letter state: listed with its last error, counted by
 * the gauge {@code adapter_deliveries_dead_lettered}), and an operator can correct a dead letter's payload and
 * replay it: the correction is checked (readable as the content type; a FHIR payload against our profiles), stored
 * with who, when, before and after, audited, shown with the delivery, never logged, and open to operators only.
 */
class DeadLetterAndPayloadEditTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LINKWORKER = "example-linkworker";
    private static final String LINKWORKER_PATH = "/example-linkworker/api/referrals";
    private static final String GP_PATH = "/example-gp-system/fhir/$process-message";
    /** The fixture patient's mobile number, and the corrected one (both fictional: Ofcom's drama range). */
    private static final String OLD_PHONE = "07700 900123";
    private static final String NEW_PHONE = "07700 900987";
    private static final Pattern DEAD_LETTERED = Pattern.compile(
            "adapter_deliveries_dead_lettered\\{destination=\"" + LINKWORKER + "\",flow=\"referral-to-link-worker\"} ([0-9.]+)");

    @Test
    void aDeadLetterIsListedAndCountedThenCorrectedAuditedAndReplayedWithItsIdempotencyKey() throws Exception {
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(422).withBody("{\"error\":\"phone number not reachable\"}")));
        String referralId = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.FAILED);
        DeliveryRecord failed = Referrals.linkWorkerDelivery(store, referralId);

        // visible with its last error, and countable
        JsonNode listed = find(JSON.readTree(http.get("/ops/deliveries?state=FAILED&destination=" + LINKWORKER,
                "application/json").body()), failed.id());
        assertThat(listed.get("lastError").asText()).contains("422");
        int deadLetters = deadLettered();
        assertThat(deadLetters).isPositive().isEqualTo(store.deliveryCounts(LINKWORKER).get(DeliveryState.FAILED));

        String corrected = failed.payload().replace(OLD_PHONE, NEW_PHONE);
        assertThat(corrected).isNotEqualTo(failed.payload());
        HttpResponse<String> edit;
        List<LogCapture.Line> lines;
        try (LogCapture capture = LogCapture.everyLevel(List.of("org", "com", "ca", "io", "wiremock", "WireMock"))) {
            edit = editPayload(failed.id(), corrected, TestIssuer.operator(), "mobile number corrected by the practice");
            lines = capture.lines();
        }

        assertThat(edit.statusCode()).as(edit.body()).isEqualTo(200);
        assertThat(JSON.readTree(edit.body()).get("clientId").asText()).isEqualTo("test-operator");
        assertThat(store.findDelivery(failed.id()).orElseThrow().state()).isEqualTo(DeliveryState.FAILED);
        assertThat(lines).filteredOn(l -> l.logger().startsWith("io.github.spfhir"))
                .anySatisfy(l -> assertThat(l.text()).contains(failed.id()).contains("test-operator"))
                .noneSatisfy(l -> assertThat(l.text()).containsAnyOf(OLD_PHONE, NEW_PHONE, "9434765919", "Sample",
                        "mobile number corrected"));
        JsonNode detail = JSON.readTree(http.get("/ops/deliveries/" + failed.id(), "application/json").body());
        JsonNode recorded = detail.get("edits").get(0);
        assertThat(detail.get("edits")).hasSize(1);
        assertThat(recorded.get("clientId").asText()).isEqualTo("test-operator");
        assertThat(recorded.get("role").asText()).isEqualTo("operator");
        assertThat(recorded.get("reason").asText()).isEqualTo("mobile number corrected by the practice");
        assertThat(recorded.get("editedAt").asText()).startsWith("2026-11-21T10:00");
        assertThat(recorded.get("before").asText()).isEqualTo(failed.payload());
        assertThat(recorded.get("after").asText()).isEqualTo(corrected);
        await().atMost(Duration.ofSeconds(10)).until(() -> auditedEdits(failed.id()).size() == 1);
        JsonNode audited = auditedEdits(failed.id()).get(0);
        assertThat(audited.get("method").asText()).isEqualTo("PUT");
        assertThat(audited.get("httpStatus").asInt()).isEqualTo(200);

        TestPartners.reset(); // the platform is back
        assertThat(http.post("/ops/deliveries/" + failed.id() + "/replay", "", null).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).until(() ->
                store.findDelivery(failed.id()).orElseThrow().state() == DeliveryState.DELIVERED);
        LoggedRequest sent = TestPartners.server().findAll(postRequestedFor(urlEqualTo(LINKWORKER_PATH))).get(0);
        assertThat(sent.getBodyAsString()).contains(NEW_PHONE).doesNotContain(OLD_PHONE);
        assertThat(sent.getHeader("X-Request-ID")).isEqualTo(failed.idempotencyKey());
        assertThat(deadLettered()).isEqualTo(deadLetters - 1);
        // delivered: done, no longer open to correction
        HttpResponse<String> tooLate = editPayload(failed.id(), failed.payload(), TestIssuer.operator(), null);
        assertThat(tooLate.statusCode()).isEqualTo(409);
        assertThat(issueCode(tooLate)).isEqualTo("conflict");
        assertThat(JSON.readTree(http.get("/ops/deliveries/" + failed.id(), "application/json").body())
                .get("edits")).hasSize(1);
    }

    @Test
    void aCorrectionThatIsNotJsonIsRefusedWith400WithoutQuotingItAndChangesNothing() throws Exception {
        DeliveryRecord failed = failedLinkWorkerDelivery();

        HttpResponse<String> refused = editPayload(failed.id(), "{\"person\": {\"lastName\": Sample}}",
                TestIssuer.operator(), null);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(issueCode(refused)).isEqualTo("structure");
        assertThat(refused.body()).contains("line 1").doesNotContain("Sample");
        assertThat(store.findDelivery(failed.id()).orElseThrow().payload()).isEqualTo(failed.payload());
        assertThat(editPayload(UUID.randomUUID().toString(), "{}", TestIssuer.operator(), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void onlyAnOperatorMayCorrectAPayload() throws Exception {
        DeliveryRecord failed = failedLinkWorkerDelivery();

        assertThat(editPayload(failed.id(), "{}", TestIssuer.gpSystem(TestIssuer.FIXTURE_PRACTICE), null).statusCode())
                .isEqualTo(403);
        assertThat(editPayload(failed.id(), "{}", TestIssuer.linkWorkerPlatform(LINKWORKER), null).statusCode())
                .isEqualTo(403);
        assertThat(http.anonymous().put("/ops/deliveries/" + failed.id() + "/payload", "{}", "application/json",
                Map.of()).statusCode()).isEqualTo(401);
        assertThat(store.findDelivery(failed.id()).orElseThrow().payload()).isEqualTo(failed.payload());
        assertThat(JSON.readTree(http.get("/ops/deliveries/" + failed.id(), "application/json").body())
                .get("edits")).isEmpty();
    }

    @Test
    void aCorrectedFhirMessageIsValidatedAgainstOurProfilesAndKeepsItsKind() throws Exception {
        TestPartners.server().stubFor(post(urlEqualTo(GP_PATH)).atPriority(1).willReturn(aResponse().withStatus(400)));
        String referralId = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.DELIVERED);
        assertThat(http.post("/platforms/" + LINKWORKER + "/events", accepted(referralId), "application/json")
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> gpDelivery(referralId) != null
                && gpDelivery(referralId).state() == DeliveryState.FAILED);
        DeliveryRecord failed = gpDelivery(referralId);
        assertThat(failed.contentType()).isEqualTo("application/fhir+json");

        ObjectNode withoutSubject = (ObjectNode) JSON.readTree(failed.payload());
        for (JsonNode entry : withoutSubject.get("entry")) {
            if ("ServiceRequest".equals(entry.get("resource").get("resourceType").asText())) {
                ((ObjectNode) entry.get("resource")).remove("subject");
            }
        }
        HttpResponse<String> invalid = editPayload(failed.id(), withoutSubject.toString(), TestIssuer.operator(), null);
        assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(422);
        assertThat(JSON.readTree(invalid.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(invalid.body()).contains("ServiceRequest").contains("subject");

        HttpResponse<String> anotherKind = editPayload(failed.id(),
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}", TestIssuer.operator(), null);
        assertThat(anotherKind.statusCode()).isEqualTo(422);
        assertThat(anotherKind.body()).contains("Bundle.type");

        ObjectNode badDate = (ObjectNode) JSON.readTree(failed.payload());
        ArrayNode entries = (ArrayNode) badDate.get("entry");
        entries.addObject().putObject("resource").put("resourceType", "Patient").put("birthDate", "20th of May");
        HttpResponse<String> unreadable = editPayload(failed.id(), badDate.toString(), TestIssuer.operator(), null);
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(unreadable.body()).doesNotContain("20th of May");

        assertThat(store.findDelivery(failed.id()).orElseThrow().payload()).isEqualTo(failed.payload());
        String corrected = failed.payload().replace(OLD_PHONE, NEW_PHONE);
        assertThat(corrected).isNotEqualTo(failed.payload());
        HttpResponse<String> valid = editPayload(failed.id(), corrected, TestIssuer.operator(), null);
        assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
        assertThat(store.findDelivery(failed.id()).orElseThrow().payload()).isEqualTo(corrected);

        TestPartners.reset(); // the GP system takes it now
        assertThat(http.post("/ops/deliveries/" + failed.id() + "/replay", "", null).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                store.findDelivery(failed.id()).orElseThrow().state() == DeliveryState.DELIVERED);
        assertThat(TestPartners.server().findAll(postRequestedFor(urlEqualTo(GP_PATH))))
                .singleElement().satisfies(r -> assertThat(r.getBodyAsString()).contains(NEW_PHONE));
    }

    private DeliveryRecord failedLinkWorkerDelivery() {
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).willReturn(aResponse().withStatus(400)));
        String referralId = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.FAILED);
        return Referrals.linkWorkerDelivery(store, referralId);
    }

    private DeliveryRecord gpDelivery(String referralId) {
        return store.deliveriesForReferral(referralId).stream().filter(d -> d.flow() == DeliveryFlow.UPDATES_TO_GP)
                .findFirst().orElse(null);
    }

    private static String accepted(String referralId) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", "evt-" + UUID.randomUUID());
        event.put("type", "REFERRAL_ACCEPTED");
        event.put("occurredAt", "2026-11-21T09:00:00Z");
        event.putObject("referral").put("id", referralId);
        event.putObject("worker").put("id", "LW-0042").put("name", "Jo Example");
        return event.toString();
    }

    private HttpResponse<String> editPayload(String deliveryId, String payload, String token, String reason) {
        Map<String, String> headers = reason == null ? Map.of("Authorization", AdapterHttp.bearer(token))
                : Map.of("Authorization", AdapterHttp.bearer(token), "X-Edit-Reason", reason);
        return http.put("/ops/deliveries/" + deliveryId + "/payload", payload, "application/json", headers);
    }

    private List<JsonNode> auditedEdits(String deliveryId) throws Exception {
        List<JsonNode> found = new java.util.ArrayList<>();
        for (JsonNode entry : JSON.readTree(http.get("/ops/audit?client=test-operator&limit=1000", "application/json").body())) {
            if (entry.get("path").asText().equals("/ops/deliveries/" + deliveryId + "/payload")) {
                found.add(entry);
            }
        }
        return found;
    }

    private int deadLettered() {
        Matcher gauge = DEAD_LETTERED.matcher(http.get("/actuator/prometheus", "text/plain").body());
        assertThat(gauge.find()).as("adapter_deliveries_dead_lettered of " + LINKWORKER).isTrue();
        return (int) Double.parseDouble(gauge.group(1));
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode node : list) {
            if (id.equals(node.get("id").asText())) {
                return node;
            }
        }
        throw new AssertionError("delivery " + id + " not listed");
    }

    private static String issueCode(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("issue").get(0).get("code").asText();
    }
}
