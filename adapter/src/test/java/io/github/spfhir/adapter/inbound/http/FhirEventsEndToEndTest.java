package io.github.spfhir.adapter.inbound.http;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.assertj.core.groups.Tuple;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.lifecycle.InboundEvent;
import io.github.spfhir.adapter.domain.lifecycle.ReceivedEvents;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEventReader;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEventService;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Profiles;
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
 * Events from a platform that speaks FHIR, end to end over HTTP: the platform a referral was delivered to updates
 * its Task ({@code PUT /fhir/Task/{id}}) or answers it with a BaRS {@code servicerequest-response} message
 * ({@code POST /fhir/$process-message}); the Task moves under the state machine and the GP system (WireMock) is
 * told. Stale versions, illegal changes, repeats and unknown Tasks are answered precisely and refusals stored.
 */
class FhirEventsEndToEndTest extends EndToEndTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String FHIR_PLATFORM = "example-fhir-platform";
    private static final String GP_PATH = "/example-gp-system/fhir/$process-message";
    /** A BaRS response message accepting the fixture referral (its ids are replaced with this test's). */
    private static final String BARS_RESPONSE = "events-from-link-worker/fhir/bars-response/task-accepted.bundle.json";
    private static final String FIXTURE_REFERRAL = "f5734bcf-1914-34e7-804e-97a914692ac3";
    private static final String FIXTURE_TASK = "7916720b-185f-3f44-b51e-e2cd3fd9decb";
    private static final String FIXTURE_PATIENT = "f730adc3-17ab-343b-abb5-5395b79e34f0";
    private static final String FIXTURE_MESSAGE_HEADER = "7a1e0c52-3b4d-4e6f-8a9b-0c1d2e3f4a52";

    @Autowired
    private ReferralEventReader reader;
    @Autowired
    private ReferralEventService events;

    private String referralId;
    private String taskId;

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
    }

    @Test
    void taskUpdatedToAcceptedMovesTheTaskAndTheGpSystemIsTold() throws Exception {
        Task update = readTask().setStatus(TaskStatus.ACCEPTED);
        update.setLastModifiedElement(new DateTimeType("2026-11-21T09:00:00+00:00"));
        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = put(update, "application/fhir+json", requestId, "W/\"1\"");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).contains("W/\"2\"");
        JsonNode answered = JSON.readTree(response.body());
        assertThat(answered.get("resourceType").asText()).isEqualTo("Task");
        assertThat(answered.get("status").asText()).isEqualTo("accepted");
        assertThat(answered.get("meta").get("versionId").asText()).isEqualTo("2");
        assertThat(readTask().getStatus()).isEqualTo(TaskStatus.ACCEPTED);
        StoredEvent event = store.findEvent(FHIR_PLATFORM, requestId).orElseThrow();
        assertThat(event.kind()).isEqualTo("ACCEPTED");
        assertThat(event.outcome()).isEqualTo("APPLIED");

        await().atMost(Duration.ofSeconds(20)).until(() -> !deliveries(DeliveryFlow.UPDATES_TO_GP).isEmpty()
                && deliveries(DeliveryFlow.UPDATES_TO_GP).stream().allMatch(d -> d.state() == DeliveryState.DELIVERED));
        JsonNode message = JSON.readTree(gpMessageOfThisReferral().getBodyAsString());
        assertThat(message.get("entry").get(0).get("resource").get("eventCoding").get("code").asText())
                .isEqualTo("servicerequest-response");
        assertThat(message.toString()).contains("871731000000106");
    }

    @Test
    void acceptedAndContactedInOneUpdateAreTwoEventsAppliedTogether() throws Exception {
        Task update = readTask().setStatus(TaskStatus.ACCEPTED);
        update.setBusinessStatus(new CodeableConcept(new Coding(Profiles.BUSINESS_STATUS_CODE_SYSTEM,
                Profiles.BusinessStatus.CONTACTED, null)));
        update.setLastModifiedElement(new DateTimeType("2026-11-21T09:00:00+00:00"));
        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = put(update, "application/fhir+json", requestId, "W/\"1\"");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(store.findEvent(FHIR_PLATFORM, requestId + "#1").orElseThrow().kind()).isEqualTo("ACCEPTED");
        assertThat(store.findEvent(FHIR_PLATFORM, requestId + "#2").orElseThrow().kind()).isEqualTo("CONTACT_MADE");
        Task now = readTask();
        assertThat(now.getStatus()).isEqualTo(TaskStatus.INPROGRESS);
        assertThat(now.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("contacted");
        assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("in-progress");
    }

    @Test
    void anUpdateWhoseLaterEventIsIllegalAppliesNoneOfItsEvents() throws Exception {
        Task accepted = readTask().setStatus(TaskStatus.ACCEPTED);
        accepted.setLastModifiedElement(new DateTimeType("2026-11-21T08:00:00+00:00"));
        assertThat(put(accepted, "application/fhir+json", UUID.randomUUID().toString(), "W/\"1\"").statusCode())
                .isEqualTo(200);
        // contacted (accepted -> in-progress, legal) then rejected (in-progress -> rejected, illegal)
        Task update = readTask().setStatus(TaskStatus.REJECTED);
        update.setBusinessStatus(new CodeableConcept(new Coding(Profiles.BUSINESS_STATUS_CODE_SYSTEM,
                Profiles.BusinessStatus.CONTACTED, null)));
        update.setLastModifiedElement(new DateTimeType("2026-11-21T09:00:00+00:00"));
        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = put(update, "application/fhir+json", requestId, "W/\"2\"");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        // refused by the state machine once the first event had moved the Task: the first was rolled back
        assertThat(JSON.readTree(response.body()).get("issue").get(0).get("diagnostics").asText())
                .contains("DECLINED").contains("Task is in-progress");
        Task now = readTask();
        assertThat(now.getStatus()).isEqualTo(TaskStatus.ACCEPTED);
        assertThat(now.hasBusinessStatus()).isFalse();
        assertThat(now.getMeta().getVersionId()).isEqualTo("2");
        assertThat(store.findEvent(FHIR_PLATFORM, requestId + "#1")).isEmpty();
    }

    @Test
    void anUpdateMadeAgainstAStaleVersionIs412AndChangesNothing() throws Exception {
        Task first = readTask().setStatus(TaskStatus.ACCEPTED);
        first.setLastModifiedElement(new DateTimeType("2026-11-21T08:00:00+00:00"));
        assertThat(put(first, "application/fhir+json", UUID.randomUUID().toString(), "W/\"1\"").statusCode())
                .isEqualTo(200);
        // made against version 1, which the first update has since replaced
        Task stale = first.copy().setStatus(TaskStatus.CANCELLED);
        stale.setLastModifiedElement(new DateTimeType("2026-11-21T09:00:00+00:00"));
        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = put(stale, "application/fhir+json", requestId, "W/\"1\"");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(412);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).isEqualTo("conflict");
        assertThat(issue.get("diagnostics").asText()).contains("version 1").contains("current version is 2");
        Task now = readTask();
        assertThat(now.getStatus()).isEqualTo(TaskStatus.ACCEPTED);
        assertThat(now.getMeta().getVersionId()).isEqualTo("2");
        RejectionRecord rejection = rejectionOf(requestId);
        assertThat(rejection.channel()).isEqualTo("fhir:Task");
        assertThat(rejection.reason()).isEqualTo("PRECONDITION_FAILED");
        assertThat(rejection.httpStatus()).isEqualTo(412);
    }

    @Test
    void anUpdateReadBeforeAnotherChangeWasStoredIsRefusedUnderTheLock() throws Exception {
        // the race, step by step: an update is read against version 1 ...
        Task update = readTask().setStatus(TaskStatus.ACCEPTED);
        update.setLastModifiedElement(new DateTimeType("2026-11-21T09:00:00+00:00"));
        String requestId = UUID.randomUUID().toString();
        ReceivedEvents read = reader.read(new InboundEvent(UUID.randomUUID().toString(), null,
                InboundEvent.Shape.FHIR_TASK, requestId, null, "application/fhir+json", Map.of(),
                FHIR.newJsonParser().encodeResourceToString(update), Instant.parse("2026-11-21T10:00:00Z"), taskId));
        assertThat(read.taskVersion()).isEqualTo(1);
        // ... another update is stored first ...
        Task other = readTask().setStatus(TaskStatus.REJECTED);
        other.setLastModifiedElement(new DateTimeType("2026-11-21T08:30:00+00:00"));
        assertThat(put(other, "application/fhir+json", UUID.randomUUID().toString(), null).statusCode()).isEqualTo(200);

        // ... so the first, applied now, would overwrite a change it has not seen
        RejectedMessageException refused = catchThrowableOfType(RejectedMessageException.class,
                () -> events.handle(read));

        assertThat(refused.reason()).isEqualTo(RejectionReason.PRECONDITION_FAILED);
        assertThat(refused.problems().get(0).diagnostics()).contains("now version 2");
        assertThat(readTask().getStatus()).isEqualTo(TaskStatus.REJECTED);
        assertThat(store.findEvent(FHIR_PLATFORM, requestId)).isEmpty();
    }

    @Test
    void anIllegalStatusChangeIs422BusinessRuleAndStored() throws Exception {
        // requested -> completed skips acceptance: the Task state machine has no such transition
        Task update = readTask().setStatus(TaskStatus.COMPLETED);
        update.setLastModifiedElement(new DateTimeType("2026-11-21T09:00:00+00:00"));
        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = put(update, "application/fhir+json", requestId, "W/\"1\"");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).isEqualTo("business-rule");
        assertThat(issue.get("expression").get(0).asText()).isEqualTo("Task.status");
        assertThat(readTask().getStatus()).isEqualTo(TaskStatus.REQUESTED);
        RejectionRecord rejection = rejectionOf(requestId);
        assertThat(rejection.channel()).isEqualTo("fhir:Task");
        assertThat(rejection.reason()).isEqualTo("ILLEGAL_TRANSITION");
        assertThat(deliveries(DeliveryFlow.UPDATES_TO_GP)).isEmpty();
    }

    @Test
    void theSameXRequestIdTwiceIsAppliedOnceAndTheGpIsToldOnce() throws Exception {
        Task update = readTask().setStatus(TaskStatus.ACCEPTED);
        update.setLastModifiedElement(new DateTimeType("2026-11-21T09:00:00+00:00"));
        String requestId = UUID.randomUUID().toString();
        assertThat(put(update, "application/fhir+json", requestId, "W/\"1\"").statusCode()).isEqualTo(200);

        // a retry after a lost answer: the same update, the same headers
        HttpResponse<String> again = put(update, "application/fhir+json", requestId, "W/\"1\"");

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("meta").get("versionId").asText()).isEqualTo("2");
        assertThat(readTask().getMeta().getVersionId()).isEqualTo("2");
        assertThat(store.findEvent(FHIR_PLATFORM, requestId).orElseThrow().duplicates()).isEqualTo(1);
        assertThat(deliveries(DeliveryFlow.UPDATES_TO_GP)).hasSize(1);
    }

    @Test
    void anUnknownTaskIs404AndStored() throws Exception {
        Task update = readTask().setStatus(TaskStatus.ACCEPTED);
        String unknown = UUID.randomUUID().toString();
        update.setId(unknown);
        update.setLastModifiedElement(new DateTimeType("2026-11-21T09:00:00+00:00"));

        String requestId = UUID.randomUUID().toString();

        HttpResponse<String> response = put("/fhir/Task/" + unknown, FHIR.newJsonParser().encodeResourceToString(update),
                "application/fhir+json", Map.of("X-Request-ID", requestId));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("issue").get(0).get("code").asText()).isEqualTo("not-found");
        RejectionRecord rejection = rejectionOf(requestId);
        assertThat(rejection.channel()).isEqualTo("fhir:Task");
        assertThat(rejection.reason()).isEqualTo("UNKNOWN_REFERRAL");
    }

    @Test
    void badRequestsAreRefusedPreciselyAndNothingMoves() throws Exception {
        Task update = readTask().setStatus(TaskStatus.ACCEPTED);
        update.setLastModifiedElement(new DateTimeType("2026-11-21T09:00:00+00:00"));
        String json = FHIR.newJsonParser().encodeResourceToString(update);

        HttpResponse<String> noRequestId = put("/fhir/Task/" + taskId, json, "application/fhir+json", Map.of());
        assertThat(noRequestId.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noRequestId.body()).get("issue").get(0).get("diagnostics").asText())
                .contains("X-Request-ID");

        String textPlainId = UUID.randomUUID().toString();
        HttpResponse<String> textPlain = put("/fhir/Task/" + taskId, json, "text/plain", Map.of("X-Request-ID", textPlainId));
        assertThat(textPlain.statusCode()).isEqualTo(415);

        String otherIdId = UUID.randomUUID().toString();
        HttpResponse<String> otherId = put("/fhir/Task/" + taskId, json.replace(taskId, UUID.randomUUID().toString()),
                "application/fhir+json", Map.of("X-Request-ID", otherIdId));
        assertThat(otherId.statusCode()).as(otherId.body()).isEqualTo(400);
        assertThat(JSON.readTree(otherId.body()).get("issue").get(0).get("expression").get(0).asText())
                .isEqualTo("Task.id");

        String badEtagId = UUID.randomUUID().toString();
        HttpResponse<String> badEtag = put(update, "application/fhir+json", badEtagId, "version 1");
        assertThat(badEtag.statusCode()).isEqualTo(400);

        assertThat(readTask().getStatus()).isEqualTo(TaskStatus.REQUESTED);
        assertThat(List.of(rejectionOf(textPlainId), rejectionOf(otherIdId), rejectionOf(badEtagId)))
                .extracting(RejectionRecord::channel, RejectionRecord::reason)
                .containsExactly(Tuple.tuple("fhir:Task", "UNSUPPORTED_MEDIA_TYPE"),
                        Tuple.tuple("fhir:Task", "INVALID_REQUEST"),
                        Tuple.tuple("fhir:Task", "INVALID_HEADERS"));
    }

    @Test
    void anXmlUpdateIsReadAndAnsweredInXml() throws Exception {
        Task update = readTask().setStatus(TaskStatus.ACCEPTED);
        update.setLastModifiedElement(new DateTimeType("2026-11-21T09:00:00+00:00"));

        HttpResponse<String> response = put("/fhir/Task/" + taskId, FHIR.newXmlParser().encodeResourceToString(update),
                "application/fhir+xml", Map.of("X-Request-ID", UUID.randomUUID().toString()));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+xml");
        Task answered = FHIR.newXmlParser().parseResource(Task.class, response.body());
        assertThat(answered.getStatus()).isEqualTo(TaskStatus.ACCEPTED);
    }

    @Test
    void aBarsResponseAcceptingTheReferralMovesTheTaskAndTheSameResponseAgainIsADuplicate() throws Exception {
        Task task = readTask();
        String message = Fixtures.read(BARS_RESPONSE).replace(FIXTURE_REFERRAL, referralId).replace(FIXTURE_TASK, taskId)
                .replace(FIXTURE_PATIENT, task.getFor().getReferenceElement().getIdPart())
                .replace(FIXTURE_MESSAGE_HEADER, UUID.randomUUID().toString());
        Map<String, String> headers = Referrals.freshHeaders();
        headers.put("Authorization", AdapterHttp.bearer(TestIssuer.linkWorkerPlatform(FHIR_PLATFORM)));

        HttpResponse<String> response = http.processMessage(message, "application/fhir+json", headers);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("severity").asText()).isEqualTo("information");
        assertThat(issue.get("diagnostics").asText()).contains("applied").contains("is accepted");
        assertThat(response.headers().firstValue("X-Request-ID")).contains(headers.get("X-Request-ID"));
        Task now = readTask();
        assertThat(now.getStatus()).isEqualTo(TaskStatus.ACCEPTED);
        assertThat(now.getMeta().getVersionId()).isEqualTo("2");
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(DeliveryFlow.UPDATES_TO_GP).size() == 1
                && deliveries(DeliveryFlow.UPDATES_TO_GP).get(0).state() == DeliveryState.DELIVERED);

        // BaRS: a message processed before is 409 duplicate, and is not processed again
        HttpResponse<String> again = http.processMessage(message, "application/fhir+json", headers);

        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).get("issue").get(0).get("code").asText()).isEqualTo("duplicate");
        assertThat(readTask().getMeta().getVersionId()).isEqualTo("2");
        assertThat(deliveries(DeliveryFlow.UPDATES_TO_GP)).hasSize(1);
        RejectionRecord rejection = rejectionOf(headers.get("X-Request-ID"));
        assertThat(rejection.channel()).isEqualTo("$process-message");
        assertThat(rejection.reason()).isEqualTo("DUPLICATE");
    }

    @Test
    void aBarsResponseForAReferralNotHeldIs404AndStored() throws Exception {
        // a referral id no test ever creates (the fixture's own may be held, accepted by another test)
        String message = Fixtures.read(BARS_RESPONSE).replace(FIXTURE_REFERRAL, UUID.randomUUID().toString())
                .replace(FIXTURE_MESSAGE_HEADER, UUID.randomUUID().toString());

        Map<String, String> headers = Referrals.freshHeaders();
        headers.put("Authorization", AdapterHttp.bearer(TestIssuer.linkWorkerPlatform(FHIR_PLATFORM)));

        HttpResponse<String> response = http.processMessage(message, "application/fhir+json", headers);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("issue").get(0).get("code").asText()).isEqualTo("not-found");
        RejectionRecord rejection = rejectionOf(headers.get("X-Request-ID"));
        assertThat(rejection.channel()).isEqualTo("$process-message");
        assertThat(rejection.reason()).isEqualTo("UNKNOWN_REFERRAL");
    }

    /** The Task as a FHIR client reads it: with meta.versionId. */
    private Task readTask() {
        HttpResponse<String> read = http.get("/fhir/Task/" + taskId);
        assertThat(read.statusCode()).isEqualTo(200);
        return FHIR.newJsonParser().parseResource(Task.class, read.body());
    }

    private HttpResponse<String> put(Task update, String contentType, String requestId, String ifMatch) {
        Map<String, String> headers = ifMatch == null ? Map.of("X-Request-ID", requestId)
                : Map.of("X-Request-ID", requestId, "If-Match", ifMatch);
        return put("/fhir/Task/" + update.getIdElement().getIdPart(), FHIR.newJsonParser().encodeResourceToString(update),
                contentType, headers);
    }

    private HttpResponse<String> put(String path, String body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
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

    /** The one message the GP system got about this test's referral. */
    private LoggedRequest gpMessageOfThisReferral() {
        List<LoggedRequest> requests = TestPartners.server().findAll(postRequestedFor(urlPathEqualTo(GP_PATH))).stream()
                .filter(r -> r.getBodyAsString().contains(referralId)).toList();
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }
}
