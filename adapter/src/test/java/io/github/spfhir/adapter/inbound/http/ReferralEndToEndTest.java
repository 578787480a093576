package io.github.spfhir.adapter.inbound.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.hl7.fhir.r4.model.Bundle;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.store.AttemptOutcome;
import io.github.spfhir.adapter.store.AttemptRecord;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestIssuer;
import io.github.spfhir.adapter.support.FhirResponses;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * The referral flow end to end through real HTTP: $process-message in, the H2 store, Camel delivery to WireMock
 * link-worker platforms, and the FHIR reads back.
 */
class ReferralEndToEndTest extends EndToEndTest {

    private static final String VALID = "referral-to-link-worker/valid";
    private static final String LINKWORKER_PATH = "/example-linkworker/api/referrals";
    private static final String FHIR_PLATFORM_PATH = "/example-fhir-platform/fhir";
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void noDeliveryStillInFlight() {
        // a delivery still retrying would leak into the next test's WireMock journal
        await().atMost(Duration.ofSeconds(20)).until(() -> store.countDeliveries(DeliveryState.PENDING) == 0);
    }

    static List<String> validScenarios() {
        return Fixtures.scenarios(VALID);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validScenarios")
    void validReferralIsAnsweredStoredAndDeliveredWithItsGoldenPayload(String scenario) throws Exception {
        Path bundleFile = Fixtures.bundleFile(VALID, scenario);
        Map<String, String> headers = Fixtures.headers(VALID, scenario);
        JsonNode expected = JSON.readTree(bundleFile.resolveSibling(scenario + ".expected.json").toFile());
        JsonNode expectedDelivery = expected.get("deliveries").get(0);
        String destinationPath = "example-fhir-platform".equals(expectedDelivery.get("destinationId").asText())
                ? FHIR_PLATFORM_PATH : LINKWORKER_PATH;

        HttpResponse<String> response = http.processMessage(Files.readString(bundleFile), Fixtures.contentType(bundleFile),
                headers);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Correlation-ID")).contains(headers.get("X-Correlation-ID"));
        assertThat(response.headers().firstValue("X-Request-ID")).contains(headers.get("X-Request-ID"));
        String serviceRequestId = expected.get("serviceRequest").get("id").asText();
        String taskId = expected.get("task").get("id").asText();
        JsonNode answer = FhirResponses.asJson(response);
        assertThat(answer.get("resourceType").asText()).isEqualTo("Bundle");
        assertThat(answer.get("type").asText()).isEqualTo("message");
        JsonNode header = answer.get("entry").get(0).get("resource");
        assertThat(header.get("eventCoding").get("code").asText()).isEqualTo("servicerequest-response");
        assertThat(header.get("response").get("code").asText()).isEqualTo("ok");
        assertThat(header.get("response").get("identifier").asText())
                .isEqualTo(requestMessageHeaderId(Files.readString(bundleFile), Fixtures.contentType(bundleFile)));
        assertThat(header.get("focus").findValuesAsText("reference"))
                .containsExactly("ServiceRequest/" + serviceRequestId, "Task/" + taskId);
        // the resources in the answer are the ones stored and delivered, as the golden file has them
        JSONAssert.assertEquals(expected.get("serviceRequest").toString(),
                answer.get("entry").get(1).get("resource").toString(), JSONCompareMode.STRICT);
        JSONAssert.assertEquals(expected.get("task").toString(), answer.get("entry").get(2).get("resource").toString(),
                JSONCompareMode.STRICT);

        await().atMost(Duration.ofSeconds(20)).until(() -> !received(destinationPath).isEmpty());
        List<LoggedRequest> delivered = received(destinationPath);
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).getHeader("X-Request-ID")).isEqualTo(expectedDelivery.get("idempotencyKey").asText());
        assertThat(delivered.get(0).getHeader("X-Correlation-ID")).isEqualTo(headers.get("X-Correlation-ID"));
        // the golden files were made with partners at http://partner.test; here they are on a loopback port
        JSONAssert.assertEquals(expectedDelivery.get("payload").toString(),
                delivered.get(0).getBodyAsString().replace(TestPartners.baseUrl(), "http://partner.test"),
                JSONCompareMode.STRICT);

        // read back by the GP system of the practice that sent it (only it may)
        Map<String, String> asSender = Map.of("Authorization", AdapterHttp.bearer(TestIssuer.gpSystem(
                expected.get("serviceRequest").get("requester").get("identifier").get("value").asText())));
        JSONAssert.assertEquals(expected.get("serviceRequest").toString(), withoutVersionMeta(
                http.get("/fhir/ServiceRequest/" + serviceRequestId, "application/fhir+json", asSender)),
                JSONCompareMode.STRICT);
        JSONAssert.assertEquals(expected.get("task").toString(), withoutVersionMeta(
                http.get("/fhir/Task/" + taskId, "application/fhir+json", asSender)), JSONCompareMode.STRICT);
        JsonNode search = bodyAsJson(http.get("/fhir/Task?focus=ServiceRequest/" + serviceRequestId,
                "application/fhir+json", asSender));
        assertThat(search.get("total").asInt()).isEqualTo(1);
        assertThat(search.get("entry").get(0).get("resource").get("id").asText()).isEqualTo(taskId);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Referrals.linkWorkerDelivery(store, serviceRequestId).state() == DeliveryState.DELIVERED);
    }

    @Test
    void sameRequestIdAgainIs409DuplicateAndIsNotDeliveredTwice() throws Exception {
        Referral referral = freshReferral();
        String referralId = Referrals.referralId(submit(referral));
        await().atMost(Duration.ofSeconds(20)).until(() -> received(LINKWORKER_PATH).size() == 1);

        HttpResponse<String> again = submit(referral);

        assertThat(again.statusCode()).isEqualTo(409);
        JsonNode outcome = bodyAsJson(again);
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.get("issue").get(0).get("code").asText()).isEqualTo("duplicate");
        assertThat(outcome.get("issue").get(0).get("details").get("coding").get(0).get("code").asText())
                .isEqualTo("REC_CONFLICT");
        assertThat(received(LINKWORKER_PATH)).hasSize(1);
        assertThat(bodyAsJson(http.get("/fhir/Task?focus=ServiceRequest/" + referralId)).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void sameReferralInANewMessageIs409Duplicate() {
        Referral referral = freshReferral();
        assertThat(submit(referral).statusCode()).isEqualTo(200);
        Referral resent = new Referral(referral.body(), Referrals.freshHeaders());

        HttpResponse<String> again = submit(resent);

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(bodyAsJson(again).get("issue").get(0).get("expression").get(0).asText())
                .isEqualTo("Bundle.entry.resource.ofType(ServiceRequest).identifier");
        await().atMost(Duration.ofSeconds(20)).until(() -> received(LINKWORKER_PATH).size() == 1);
    }

    @Test
    void platformAnswering503TwiceThen201ReceivesTheReferralOnceWithTheSameIdempotencyKey() {
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).inScenario("outage")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503))
                .willSetStateTo("still down"));
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).inScenario("outage")
                .whenScenarioStateIs("still down").willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).inScenario("outage")
                .whenScenarioStateIs("recovered").willReturn(aResponse().withStatus(201).withBody("{}")));

        Referral referral = freshReferral();
        HttpResponse<String> response = submit(referral);
        assertThat(response.statusCode()).isEqualTo(200);
        String referralId = Referrals.referralId(response);

        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.DELIVERED);
        List<LoggedRequest> requests = received(LINKWORKER_PATH);
        assertThat(requests).hasSize(3);
        assertThat(requests).extracting(r -> r.getHeader("X-Request-ID")).containsOnly(requests.get(0).getHeader("X-Request-ID"));
        DeliveryRecord delivery = Referrals.linkWorkerDelivery(store, referralId);
        assertThat(store.attempts(delivery.id())).extracting(AttemptRecord::outcome, AttemptRecord::httpStatus)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AttemptOutcome.RETRYABLE_FAILURE, 503),
                        org.assertj.core.groups.Tuple.tuple(AttemptOutcome.RETRYABLE_FAILURE, 503),
                        org.assertj.core.groups.Tuple.tuple(AttemptOutcome.DELIVERED, 201));
    }

    @Test
    void platformAnswering409AlreadyHoldsTheReferralSoTheDeliveryCountsAsDelivered() {
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).willReturn(aResponse().withStatus(409)));

        String referralId = Referrals.referralId(submit(freshReferral()));

        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.DELIVERED);
        DeliveryRecord delivery = Referrals.linkWorkerDelivery(store, referralId);
        assertThat(store.attempts(delivery.id())).extracting(AttemptRecord::outcome, AttemptRecord::httpStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AttemptOutcome.DELIVERED, 409));
    }

    @Test
    void platformRefusingWith400FailsAtOnceAndTheDeliveryIsKept() {
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":\"unknown practice\"}")));

        HttpResponse<String> response = submit(freshReferral());
        String referralId = Referrals.referralId(response);

        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.FAILED);
        DeliveryRecord delivery = Referrals.linkWorkerDelivery(store, referralId);
        assertThat(store.attempts(delivery.id())).extracting(AttemptRecord::outcome)
                .containsExactly(AttemptOutcome.PERMANENT_FAILURE);
        assertThat(delivery.lastError()).contains("400");
        assertThat(received(LINKWORKER_PATH)).hasSize(1);
    }

    @Test
    void platformThatStaysDownGetsEveryAttemptThenTheDeliveryIsFailedAndKept() {
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).willReturn(aResponse().withStatus(503)));

        String referralId = Referrals.referralId(submit(freshReferral()));

        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.FAILED);
        DeliveryRecord delivery = Referrals.linkWorkerDelivery(store, referralId);
        assertThat(store.attempts(delivery.id())).hasSize(4)
                .allMatch(a -> a.outcome() == AttemptOutcome.RETRYABLE_FAILURE && a.httpStatus() == 503);
        assertThat(delivery.payload()).isNotBlank();
        assertThat(received(LINKWORKER_PATH)).hasSize(4);
    }

    @Test
    void unknownResourceIsA404OperationOutcome() {
        HttpResponse<String> response = http.get("/fhir/ServiceRequest/" + UUID.randomUUID());
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(bodyAsJson(response).get("issue").get(0).get("code").asText()).isEqualTo("not-found");
    }

    @Test
    void readsAnswerInXmlWhenAskedTo() {
        HttpResponse<String> response = submit(freshReferral());
        String referralId = Referrals.referralId(response);

        HttpResponse<String> xml = http.get("/fhir/ServiceRequest/" + referralId, "application/fhir+xml");

        assertThat(xml.statusCode()).isEqualTo(200);
        assertThat(xml.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/fhir+xml"));
        assertThat(xml.body()).startsWith("<ServiceRequest xmlns=\"http://hl7.org/fhir\">");
    }

    // --- helpers ---

    record Referral(String body, Map<String, String> headers) {
    }

    /** The full fixture referral with a new sender identifier and new BaRS ids, so each test has its own referral. */
    private static Referral freshReferral() {
        return new Referral(Referrals.freshBody(), Referrals.freshHeaders());
    }

    private HttpResponse<String> submit(Referral referral) {
        return http.processMessage(referral.body(), "application/fhir+json", referral.headers());
    }

    private static List<LoggedRequest> received(String path) {
        return TestPartners.server().findAll(postRequestedFor(urlEqualTo(path)));
    }

    private static String requestMessageHeaderId(String body, String contentType) {
        FhirContext fhir = FhirContext.forR4Cached();
        Bundle bundle = (Bundle) (contentType.contains("xml") ? fhir.newXmlParser() : fhir.newJsonParser()).parseResource(body);
        return bundle.getEntryFirstRep().getResource().getIdElement().getIdPart().replace("urn:uuid:", "");
    }

    static JsonNode bodyAsJson(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static String withoutVersionMeta(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ObjectNode node = (ObjectNode) bodyAsJson(response);
        ObjectNode meta = (ObjectNode) node.get("meta");
        meta.remove("versionId");
        meta.remove("lastUpdated");
        return node.toString();
    }

}
