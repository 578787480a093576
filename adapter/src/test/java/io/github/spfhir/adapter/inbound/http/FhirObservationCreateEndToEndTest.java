package io.github.spfhir.adapter.inbound.http;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.assertj.core.groups.Tuple;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.outcome.OutcomeProfiles;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.RejectionRecord;
import io.github.spfhir.adapter.store.StoredEvent;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestIssuer;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Outcome measures created as FHIR Observations, end to end over HTTP: the platform a referral was delivered to
 * (the FHIR one) accepts it by updating its Task, then posts a WEMWBS Observation ({@code POST /fhir/Observation})
 * based on the referral. The adapter stores its own Observation (our id and profile), lists it in Task.output, finds
 * it by {@code Observation?based-on=&code=} and publishes it to the data platform (WireMock); out-of-range and unknown
 * measures, measures before acceptance, repeats and unknown referrals are answered precisely and refusals stored.
 */
class FhirObservationCreateEndToEndTest extends EndToEndTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String FHIR_PLATFORM = "example-fhir-platform";
    private static final String GP_PATH = "/example-gp-system/fhir/$process-message";
    private static final String DATA_PLATFORM_PATH = "/example-data-platform/fhir";
    private static final String FOLDER = "events-from-link-worker/fhir/observation/";
    /** A WEMWBS baseline of 41 about the fixture referral (its ids are replaced with this test's). */
    private static final String WEMWBS_BASELINE = FOLDER + "wemwbs-baseline.observation.json";
    private static final String WEMWBS_OUT_OF_RANGE = FOLDER + "invalid/wemwbs-out-of-range.observation.json";
    private static final String UNKNOWN_CODE = FOLDER + "invalid/unknown-code.observation.json";
    private static final String FIXTURE_REFERRAL = "f5734bcf-1914-34e7-804e-97a914692ac3";
    private static final String FIXTURE_PATIENT = "f730adc3-17ab-343b-abb5-5395b79e34f0";
    private static final String WEMWBS = "http://snomed.info/sct%7C718426000";

    private String referralId;
    private String taskId;
    private String patientId;

    @BeforeEach
    void referralDeliveredToTheFhirPlatform() throws Exception {
        Map<String, String> headers = Referrals.freshHeaders();
        headers.put("NHSD-Target-Identifier", Fixtures.targetIdentifier("https://fhir.nhs.uk/Id/dos-service-id",
                "2000099001"));
        referralId = Referrals.referralId(http.processMessage(Referrals.freshBody(), "application/fhir+json", headers));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.DELIVERED);
        assertThat(Referrals.linkWorkerDelivery(store, referralId).destinationId()).isEqualTo(FHIR_PLATFORM);
        JsonNode found = JSON.readTree(http.get("/fhir/Task?focus=ServiceRequest/" + referralId).body());
        taskId = found.get("entry").get(0).get("resource").get("id").asText();
        patientId = readTask().getFor().getReferenceElement().getIdPart();
    }

    @Test
    void aWemwbsBaselineIsStoredAsOurObservationListedOnTheTaskSearchableAndPublished() throws Exception {
        accept();
        int publishedBefore = deliveries(DeliveryFlow.DATA_PLATFORM_PUBLISHING).size();
        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = post(observation(WEMWBS_BASELINE), "application/fhir+json", requestId);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Observation created = FHIR.newJsonParser().parseResource(Observation.class, response.body());
        String id = created.getIdElement().getIdPart();
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .endsWith("/fhir/Observation/" + id + "/_history/1");
        assertThat(response.headers().firstValue("ETag")).contains("W/\"1\"");
        // ours, not the one posted: our profile, our identifier (the event), our category, the referral's subject
        assertThat(created.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly(OutcomeProfiles.OBSERVATION);
        assertThat(created.getMeta().getVersionId()).isEqualTo("1");
        assertThat(created.getIdentifierFirstRep().getValue()).isEqualTo(requestId);
        assertThat(created.getIdentifierFirstRep().getSystem())
                .isEqualTo(OutcomeProfiles.platformEventIdentifierSystem(FHIR_PLATFORM));
        assertThat(created.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/" + referralId);
        assertThat(created.getSubject().getReference()).isEqualTo("Patient/" + patientId);
        assertThat(created.getValueIntegerType().getValue()).isEqualTo(41);
        assertThat(created.getExtensionByUrl(OutcomeProfiles.TIMING_EXTENSION).getValue().primitiveValue())
                .isEqualTo("baseline");
        assertThat(created.getPerformerFirstRep().getIdentifier().getValue()).isEqualTo("LW-0042");

        JsonNode found = JSON.readTree(http.get("/fhir/Observation?based-on=ServiceRequest/" + referralId
                + "&code=" + WEMWBS).body());
        assertThat(found.get("total").asInt()).isEqualTo(1);
        assertThat(found.get("entry").get(0).get("resource").get("id").asText()).isEqualTo(id);
        assertThat(readTask().getOutput()).extracting(o -> ((Reference) o.getValue()).getReference())
                .containsExactly("Observation/" + id);
        StoredEvent event = store.findEvent(FHIR_PLATFORM, requestId).orElseThrow();
        assertThat(event.kind()).isEqualTo("OUTCOME_RECORDED");
        assertThat(event.outcome()).isEqualTo("APPLIED");

        // the data platform gets the measure; the GP system is not told of it (send-on-outcome is off here)
        await().atMost(Duration.ofSeconds(20)).until(() ->
                deliveries(DeliveryFlow.DATA_PLATFORM_PUBLISHING).size() == publishedBefore + 1
                        && deliveries(DeliveryFlow.DATA_PLATFORM_PUBLISHING).stream()
                                .allMatch(d -> d.state() == DeliveryState.DELIVERED));
        DeliveryRecord publishing = deliveries(DeliveryFlow.DATA_PLATFORM_PUBLISHING).stream()
                .filter(d -> event.id().equals(d.eventId())).findFirst().orElseThrow();
        assertThat(TestPartners.server().findAll(postRequestedFor(urlPathEqualTo(DATA_PLATFORM_PATH))))
                .filteredOn(r -> publishing.idempotencyKey().equals(r.getHeader("X-Request-ID"))).singleElement()
                .satisfies(r -> assertThat(r.getBodyAsString()).contains("\"resourceType\":\"Observation\"")
                        .contains("718426000").contains("\"valueInteger\":41"));
        assertThat(deliveries(DeliveryFlow.UPDATES_TO_GP)).hasSize(1); // the acceptance only
        assertThat(TestPartners.server().findAll(postRequestedFor(urlPathEqualTo(GP_PATH))))
                .noneMatch(r -> r.getBodyAsString().contains(requestId));
    }

    @Test
    void aFollowUpInXmlIsAnsweredInXmlAndReadTogetherWithTheBaseline() throws Exception {
        accept();
        assertThat(post(observation(WEMWBS_BASELINE), "application/fhir+json", UUID.randomUUID().toString())
                .statusCode()).isEqualTo(201);
        Observation followUp = FHIR.newJsonParser().parseResource(Observation.class, observation(WEMWBS_BASELINE));
        followUp.getExtensionByUrl(OutcomeProfiles.TIMING_EXTENSION).setValue(new CodeType("follow-up"));
        followUp.setEffective(new DateTimeType("2026-11-21T09:45:00+00:00"));
        followUp.setValue(new IntegerType(52));

        HttpResponse<String> response = post(FHIR.newXmlParser().encodeResourceToString(followUp),
                "application/fhir+xml", UUID.randomUUID().toString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+xml");
        assertThat(FHIR.newXmlParser().parseResource(Observation.class, response.body()).getValueIntegerType().getValue())
                .isEqualTo(52);
        JsonNode found = JSON.readTree(http.get("/fhir/Observation?based-on=ServiceRequest/" + referralId
                + "&code=" + WEMWBS).body());
        assertThat(found.get("total").asInt()).isEqualTo(2);
        assertThat(found.get("entry")).extracting(e -> e.get("resource").get("valueInteger").asInt())
                .containsExactlyInAnyOrder(41, 52);
        assertThat(readTask().getOutput()).hasSize(2);
    }

    @Test
    void anOutOfRangeScoreIs422AtTheValueAndStoredAndNothingChanges() throws Exception {
        accept();
        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = post(observation(WEMWBS_OUT_OF_RANGE), "application/fhir+json", requestId);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).isEqualTo("value");
        assertThat(issue.get("expression").get(0).asText()).isEqualTo("Observation.value.ofType(integer)");
        assertThat(issue.get("diagnostics").asText()).contains("14 to 70").doesNotContain("71");
        assertNothingRecorded(requestId);
        assertThat(rejectionOf(requestId)).extracting(RejectionRecord::channel, RejectionRecord::reason,
                RejectionRecord::httpStatus).containsExactly("fhir:Observation", "INVALID_CONTENT", 422);
    }

    @Test
    void anUnknownCodeIs422AtObservationCodeAndStored() throws Exception {
        accept();
        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = post(observation(UNKNOWN_CODE), "application/fhir+json", requestId);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).isEqualTo("code-invalid");
        assertThat(issue.get("expression").get(0).asText()).isEqualTo("Observation.code");
        assertThat(issue.get("diagnostics").asText()).contains("http://snomed.info/sct|718426000");
        assertNothingRecorded(requestId);
        assertThat(rejectionOf(requestId)).extracting(RejectionRecord::channel, RejectionRecord::reason)
                .containsExactly("fhir:Observation", "INVALID_CONTENT");
    }

    @Test
    void aMeasureBeforeTheReferralIsAcceptedIs422BusinessRule() throws Exception {
        // the Task is still requested: an outcome is a fact of work the platform has taken on
        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = post(observation(WEMWBS_BASELINE), "application/fhir+json", requestId);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("issue").get(0).get("code").asText()).isEqualTo("business-rule");
        assertNothingRecorded(requestId);
        assertThat(rejectionOf(requestId)).extracting(RejectionRecord::channel, RejectionRecord::reason)
                .containsExactly("fhir:Observation", "ILLEGAL_TRANSITION");
    }

    @Test
    void theSameXRequestIdTwiceIsAppliedOnceAndAnsweredWithTheSameObservation() throws Exception {
        accept();
        String requestId = UUID.randomUUID().toString();
        HttpResponse<String> first = post(observation(WEMWBS_BASELINE), "application/fhir+json", requestId);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(DeliveryFlow.DATA_PLATFORM_PUBLISHING).stream()
                .allMatch(d -> d.state() == DeliveryState.DELIVERED));
        int published = deliveries(DeliveryFlow.DATA_PLATFORM_PUBLISHING).size();

        // a retry after a lost answer: the same Observation, the same X-Request-ID
        HttpResponse<String> again = post(observation(WEMWBS_BASELINE), "application/fhir+json", requestId);

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(store.findEvent(FHIR_PLATFORM, requestId).orElseThrow().duplicates()).isEqualTo(1);
        assertThat(readTask().getOutput()).hasSize(1);
        assertThat(readTask().getMeta().getVersionId()).isEqualTo("3");
        assertThat(JSON.readTree(http.get("/fhir/Observation?based-on=ServiceRequest/" + referralId).body())
                .get("total").asInt()).isEqualTo(1);
        assertThat(deliveries(DeliveryFlow.DATA_PLATFORM_PUBLISHING)).hasSize(published);
    }

    @Test
    void anXRequestIdOfAnotherEventIs409AndStored() throws Exception {
        String taskUpdateId = accept();

        HttpResponse<String> response = post(observation(WEMWBS_BASELINE), "application/fhir+json", taskUpdateId);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(JSON.readTree(response.body()).get("issue").get(0).get("code").asText()).isEqualTo("duplicate");
        assertThat(readTask().getOutput()).isEmpty();
        assertThat(store.listRejections(10_000)).anyMatch(r -> taskUpdateId.equals(r.requestId())
                && r.channel().equals("fhir:Observation") && r.reason().equals("DUPLICATE"));
    }

    @Test
    void aMeasureOfAReferralNotHeldIs404AndStored() throws Exception {
        String requestId = UUID.randomUUID().toString();
        String body = observation(WEMWBS_BASELINE).replace(referralId, UUID.randomUUID().toString());

        HttpResponse<String> response = post(body, "application/fhir+json", requestId);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).isEqualTo("not-found");
        assertThat(issue.get("expression").get(0).asText()).isEqualTo("Observation.basedOn");
        assertThat(rejectionOf(requestId)).extracting(RejectionRecord::channel, RejectionRecord::reason,
                RejectionRecord::httpStatus).containsExactly("fhir:Observation", "UNKNOWN_REFERRAL", 404);
    }

    @Test
    void badRequestsAreRefusedPreciselyAndStored() throws Exception {
        String json = observation(WEMWBS_BASELINE);

        HttpResponse<String> noRequestId = post(json, "application/fhir+json", null);
        assertThat(noRequestId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noRequestId.body()).get("issue").get(0).get("diagnostics").asText())
                .contains("X-Request-ID");

        String textPlainId = UUID.randomUUID().toString();
        assertThat(post(json, "text/plain", textPlainId).statusCode()).isEqualTo(415);

        String unparseableId = UUID.randomUUID().toString();
        assertThat(post("{\"resourceType\": \"Observation\", ", "application/fhir+json", unparseableId).statusCode())
                .isEqualTo(400);

        String taskBodyId = UUID.randomUUID().toString();
        HttpResponse<String> taskBody = post(FHIR.newJsonParser().encodeResourceToString(readTask()),
                "application/fhir+json", taskBodyId);
        assertThat(taskBody.statusCode()).as(taskBody.body()).isEqualTo(400);

        assertThat(readTask().getOutput()).isEmpty();
        assertThat(List.of(rejectionOf(textPlainId), rejectionOf(unparseableId), rejectionOf(taskBodyId)))
                .extracting(RejectionRecord::channel, RejectionRecord::reason)
                .containsExactly(Tuple.tuple("fhir:Observation", "UNSUPPORTED_MEDIA_TYPE"),
                        Tuple.tuple("fhir:Observation", "UNPARSEABLE"),
                        Tuple.tuple("fhir:Observation", "INVALID_REQUEST"));
    }

    /** The referral accepted by the FHIR platform (PUT Task); returns the update's X-Request-ID. */
    private String accept() {
        Task update = readTask().setStatus(TaskStatus.ACCEPTED);
        update.setLastModifiedElement(new DateTimeType("2026-11-21T08:00:00+00:00"));
        String requestId = UUID.randomUUID().toString();
        HttpResponse<String> response = send("PUT", "/fhir/Task/" + taskId,
                FHIR.newJsonParser().encodeResourceToString(update), "application/fhir+json", requestId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return requestId;
    }

    /** A fixture Observation about this test's referral and person. */
    private String observation(String fixture) {
        return Fixtures.read(fixture).replace(FIXTURE_REFERRAL, referralId).replace(FIXTURE_PATIENT, patientId);
    }

    /** Nothing of a refused measure was kept: no event, no Observation, no Task output. */
    private void assertNothingRecorded(String requestId) throws Exception {
        assertThat(store.findEvent(FHIR_PLATFORM, requestId)).isEmpty();
        assertThat(JSON.readTree(http.get("/fhir/Observation?based-on=ServiceRequest/" + referralId).body())
                .get("total").asInt()).isZero();
        assertThat(readTask().getOutput()).isEmpty();
    }

    private Task readTask() {
        HttpResponse<String> read = http.get("/fhir/Task/" + taskId);
        assertThat(read.statusCode()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Task.class, read.body());
    }

    private HttpResponse<String> post(String body, String contentType, String requestId) {
        return send("POST", "/fhir/Observation", body, contentType, requestId);
    }

    private HttpResponse<String> send(String method, String path, String body, String contentType, String requestId) {
        Map<String, String> headers = new HashMap<>();
        if (requestId != null) {
            headers.put("X-Request-ID", requestId);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(request::header);
        // the platform the referral was delivered to, as its own client
        request.header("Authorization", AdapterHttp.bearer(TestIssuer.linkWorkerPlatform(FHIR_PLATFORM)));
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The refusal stored for a request (the clock is fixed, so the newest cannot be told by time). */
    private RejectionRecord rejectionOf(String requestId) {
        List<RejectionRecord> found = store.listRejections(10_000).stream()
                .filter(r -> requestId.equals(r.requestId())).toList();
        assertThat(found).as("refusals of request %s", requestId).hasSize(1);
        return found.get(0);
    }

    private List<DeliveryRecord> deliveries(DeliveryFlow flow) {
        return store.deliveriesForReferral(referralId).stream().filter(d -> d.flow() == flow).toList();
    }
}
