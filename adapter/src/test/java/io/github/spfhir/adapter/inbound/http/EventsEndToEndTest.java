package io.github.spfhir.adapter.inbound.http;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.RejectionRecord;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Events back, end to end over HTTP: a link-worker platform's webhook event moves the referral's Task, outcome
 * measures become Observations, the GP system gets the BaRS message back and the data platform the conditional
 * updates (all WireMock); duplicates, stale and illegal events are recorded and answered precisely.
 */
class EventsEndToEndTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "/platforms/example-linkworker/events";
    private static final String GP_PATH = "/example-gp-system/fhir/$process-message";
    private static final String DATA_PLATFORM_PATH = "/example-data-platform/fhir";
    /** The fixture's NHS number: it must never reach a pseudonymising data platform. */
    private static final String NHS_NUMBER = "9434765919";

    private String referralId;

    @BeforeEach
    void referralDeliveredToThePlatform() {
        referralId = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.DELIVERED);
    }

    @Test
    void acceptedEventMovesTheTaskAndTellsTheGpWithTheCodedEntryAndThePseudonymisedDataPlatform() throws Exception {
        HttpResponse<String> response = postEvent(event("REFERRAL_ACCEPTED", "2026-11-21T09:00:00Z"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(diagnostics(response)).contains("applied").contains("is accepted");
        JsonNode task = task();
        assertThat(task.get("status").asText()).isEqualTo("accepted");
        assertThat(task.get("meta").get("versionId").asText()).isEqualTo("2");

        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(DeliveryFlow.UPDATES_TO_GP).stream()
                .allMatch(d -> d.state() == DeliveryState.DELIVERED) && !deliveries(DeliveryFlow.UPDATES_TO_GP).isEmpty());
        JsonNode message = JSON.readTree(single(GP_PATH).getBodyAsString());
        JsonNode header = message.get("entry").get(0).get("resource");
        assertThat(header.get("eventCoding").get("code").asText()).isEqualTo("servicerequest-response");
        assertThat(message.toString()).contains("871731000000106");
        assertThat(single(GP_PATH).getHeader("X-Correlation-ID")).isNotBlank();

        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(DeliveryFlow.DATA_PLATFORM_PUBLISHING).size() == 2
                && deliveries(DeliveryFlow.DATA_PLATFORM_PUBLISHING).stream().allMatch(d -> d.state() == DeliveryState.DELIVERED));
        List<LoggedRequest> published = TestPartners.server().findAll(postRequestedFor(urlPathEqualTo(DATA_PLATFORM_PATH)));
        assertThat(published).hasSize(2);
        for (LoggedRequest request : published) {
            JsonNode transaction = JSON.readTree(request.getBodyAsString());
            assertThat(transaction.get("type").asText()).isEqualTo("transaction");
            assertThat(transaction.get("entry").get(0).get("request").get("method").asText()).isEqualTo("PUT");
            assertThat(transaction.get("entry").get(0).get("request").get("url").asText()).startsWith("Patient?identifier=");
            assertThat(request.getBodyAsString()).doesNotContain(NHS_NUMBER).doesNotContain("Sample");
        }
    }

    @Test
    void theSameEventTwiceIsAppliedOnceAndSentToTheGpOnce() throws Exception {
        ObjectNode accepted = event("REFERRAL_ACCEPTED", "2026-11-21T09:00:00Z");
        assertThat(postEvent(accepted).statusCode()).isEqualTo(200);
        HttpResponse<String> again = postEvent(accepted);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(diagnostics(again)).contains("received before");
        assertThat(task().get("meta").get("versionId").asText()).isEqualTo("2");
        assertThat(deliveries(DeliveryFlow.UPDATES_TO_GP)).hasSize(1);
        assertThat(store.findEvent("example-linkworker", accepted.get("eventId").asText()).orElseThrow().duplicates())
                .isEqualTo(1);
    }

    @Test
    void anOlderEventArrivingLateIsRecordedButNeverMovesTheTaskBack() throws Exception {
        assertThat(postEvent(event("REFERRAL_ACCEPTED", "2026-11-21T08:00:00Z")).statusCode()).isEqualTo(200);
        assertThat(postEvent(event("CONTACT_SUCCESSFUL", "2026-11-21T09:00:00Z")).statusCode()).isEqualTo(200);
        HttpResponse<String> late = postEvent(event("CONTACT_ATTEMPT", "2026-11-21T08:30:00Z"));

        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(diagnostics(late)).contains("not applied");
        JsonNode task = task();
        assertThat(task.get("status").asText()).isEqualTo("in-progress");
        assertThat(task.get("businessStatus").get("coding").get(0).get("code").asText()).isEqualTo("contacted");
        assertThat(store.eventsForReferral(referralId)).extracting(e -> e.outcome())
                .containsExactly("APPLIED", "STALE", "APPLIED");
    }

    @Test
    void anIllegalTransitionIsRefusedWithABusinessRuleOutcomeAndStored() throws Exception {
        // the Task is still requested: a contact before acceptance is not a transition the state machine has
        int refusedBefore = store.countRejected(RejectionReason.ILLEGAL_TRANSITION);
        HttpResponse<String> response = postEvent(event("CONTACT_SUCCESSFUL", "2026-11-21T09:00:00Z"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).isEqualTo("business-rule");
        assertThat(issue.get("expression").get(0).asText()).isEqualTo("Task.status");
        assertThat(task().get("status").asText()).isEqualTo("requested");
        // stored (the clock is fixed, so the newest refusal cannot be told by time: counted, then found)
        assertThat(store.countRejected(RejectionReason.ILLEGAL_TRANSITION)).isEqualTo(refusedBefore + 1);
        List<RejectionRecord> rejections = store.listRejections(1000);
        assertThat(rejections).anyMatch(r -> r.channel().equals("platform:example-linkworker")
                && r.reason().equals("ILLEGAL_TRANSITION") && r.outcome().equals(response.body()));
    }

    @Test
    void outcomeMeasuresBecomeObservationsListedOnTheTaskAndSearchableTogether() throws Exception {
        postEvent(event("REFERRAL_ACCEPTED", "2026-11-21T08:00:00Z"));
        ObjectNode baseline = event("MEASURE_RECORDED", "2026-11-21T08:30:00Z");
        baseline.putObject("measure").put("tool", "WEMWBS").put("stage", "BASELINE").put("total", 41);
        ObjectNode followUp = event("MEASURE_RECORDED", "2026-11-21T09:30:00Z");
        followUp.putObject("measure").put("tool", "WEMWBS").put("stage", "REVIEW").put("total", 52);
        assertThat(postEvent(baseline).statusCode()).isEqualTo(200);
        assertThat(postEvent(followUp).statusCode()).isEqualTo(200);

        JsonNode found = JSON.readTree(http.get("/fhir/Observation?based-on=ServiceRequest/" + referralId
                + "&code=http://snomed.info/sct%7C718426000").body());
        assertThat(found.get("total").asInt()).isEqualTo(2);
        assertThat(found.get("entry")).extracting(e -> e.get("resource").get("valueInteger").asInt())
                .containsExactlyInAnyOrder(41, 52);
        assertThat(task().get("output")).hasSize(2);
    }

    @Test
    void anOutOfRangeScoreIsRefusedAndNothingChanges() throws Exception {
        postEvent(event("REFERRAL_ACCEPTED", "2026-11-21T08:00:00Z"));
        ObjectNode measure = event("MEASURE_RECORDED", "2026-11-21T08:30:00Z");
        measure.putObject("measure").put("tool", "WEMWBS").put("stage", "BASELINE").put("total", 71);

        HttpResponse<String> response = postEvent(measure);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        assertThat(JSON.readTree(response.body()).get("issue").get(0).get("expression").get(0).asText())
                .isEqualTo("measure.score");
        assertThat(JSON.readTree(http.get("/fhir/Observation?based-on=ServiceRequest/" + referralId).body())
                .get("total").asInt()).isZero();
    }

    @Test
    void dischargeCompletesTheTaskAndTheServiceRequestAndTheGpIsTold() throws Exception {
        postEvent(event("REFERRAL_ACCEPTED", "2026-11-21T08:00:00Z"));
        HttpResponse<String> response = postEvent(event("CLIENT_DISCHARGED", "2026-11-21T09:00:00Z"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(task().get("status").asText()).isEqualTo("completed");
        assertThat(JSON.readTree(http.get("/fhir/ServiceRequest/" + referralId).body()).get("status").asText())
                .isEqualTo("completed");
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries(DeliveryFlow.UPDATES_TO_GP).size() == 2
                && deliveries(DeliveryFlow.UPDATES_TO_GP).stream().allMatch(d -> d.state() == DeliveryState.DELIVERED));
        JsonNode history = JSON.readTree(http.get("/fhir/Task/" + task().get("id").asText() + "/_history").body());
        assertThat(history.get("total").asInt()).isEqualTo(3);
    }

    @Test
    void anEventForAReferralNotAddressedToThePlatformOrUnknownIsNotFound() throws Exception {
        ObjectNode unknown = event("REFERRAL_ACCEPTED", "2026-11-21T09:00:00Z");
        ((ObjectNode) unknown.get("referral")).put("id", UUID.randomUUID().toString());

        HttpResponse<String> response = postEvent(unknown);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).get("issue").get(0).get("code").asText()).isEqualTo("not-found");
        assertThat(http.post("/platforms/no-such-platform/events", unknown.toString(), "application/json").statusCode())
                .isEqualTo(404);
    }

    @Test
    void malformedJsonAndTheWrongMediaTypeAreRefusedPrecisely() throws Exception {
        HttpResponse<String> malformed = http.post(EVENTS, "{\"eventId\": ", "application/json");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");

        HttpResponse<String> xml = http.post(EVENTS, "<event/>", "application/xml");
        assertThat(xml.statusCode()).isEqualTo(415);
    }

    private ObjectNode event(String type, String occurredAt) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", "evt-" + UUID.randomUUID());
        event.put("type", type);
        event.put("occurredAt", occurredAt);
        event.putObject("referral").put("id", referralId);
        event.putObject("worker").put("id", "LW-0042").put("name", "Jo Example");
        return event;
    }

    private HttpResponse<String> postEvent(ObjectNode event) {
        return http.post(EVENTS, event.toString(), "application/json");
    }

    private JsonNode task() throws Exception {
        JsonNode bundle = JSON.readTree(http.get("/fhir/Task?focus=ServiceRequest/" + referralId).body());
        return bundle.get("entry").get(0).get("resource");
    }

    private List<DeliveryRecord> deliveries(DeliveryFlow flow) {
        return store.deliveriesForReferral(referralId).stream().filter(d -> d.flow() == flow).toList();
    }

    private LoggedRequest single(String path) {
        List<LoggedRequest> requests = TestPartners.server().findAll(postRequestedFor(urlPathEqualTo(path)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static String diagnostics(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).get("issue").get(0).get("diagnostics").asText();
    }
}
