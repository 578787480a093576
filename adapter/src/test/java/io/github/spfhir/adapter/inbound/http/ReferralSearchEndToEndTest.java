package io.github.spfhir.adapter.inbound.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.spfhir.adapter.domain.directory.DirectoryIds;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Referrals;

/**
 * Reading it back: FHIR search over the referrals the adapter holds (Task by patient, status and owner;
 * ServiceRequest by identifier and status; onward referrals by based-on), with paging, and a referral's history.
 */
class ReferralSearchEndToEndTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OWNER = "https://fhir.nhs.uk/Id/ods-organization-code%7CRX9LW";

    @Test
    void tasksAreFoundByPatientStatusAndOwnerAndPagedWithNextLinks() throws Exception {
        List<String> referrals = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            referrals.add(delivered());
        }
        String accepted = referrals.get(0);
        assertThat(event(accepted, "REFERRAL_ACCEPTED", "2026-11-21T09:00:00Z").statusCode()).isEqualTo(200);
        String patient = task(accepted).get("for").get("reference").asText();

        JsonNode byStatus = search("/fhir/Task?patient=" + patient + "&status=accepted&owner:identifier=" + OWNER);
        assertThat(byStatus.get("total").asInt()).isEqualTo(1);
        assertThat(byStatus.get("entry").get(0).get("resource").get("focus").get("reference").asText())
                .isEqualTo("ServiceRequest/" + accepted);
        assertThat(search("/fhir/Task?patient=" + patient + "&status=cancelled").get("total").asInt()).isZero();

        // every referral here goes to the same link-worker organisation: at least three Tasks, pages of two
        JsonNode firstPage = search("/fhir/Task?owner:identifier=" + OWNER + "&_count=2");
        int total = firstPage.get("total").asInt();
        assertThat(total).isGreaterThanOrEqualTo(3);
        assertThat(firstPage.get("entry")).hasSize(2);
        String next = link(firstPage, "next");
        assertThat(next).contains("_offset=2").contains("_count=2");
        JsonNode secondPage = search(next.substring(next.indexOf("/fhir/")));
        assertThat(secondPage.get("entry")).isNotEmpty();
        assertThat(link(secondPage, "previous")).contains("_offset=0");
    }

    @Test
    void serviceRequestsAreFoundBySenderIdentifierAndStatus() throws Exception {
        String referral = delivered();
        JsonNode serviceRequest = JSON.readTree(http.get("/fhir/ServiceRequest/" + referral).body());
        JsonNode identifier = serviceRequest.get("identifier").get(0);
        String token = identifier.get("system").asText() + "%7C" + identifier.get("value").asText();

        JsonNode found = search("/fhir/ServiceRequest?identifier=" + token + "&status=active");
        assertThat(found.get("total").asInt()).isEqualTo(1);
        assertThat(found.get("entry").get(0).get("resource").get("id").asText()).isEqualTo(referral);
        assertThat(search("/fhir/ServiceRequest?identifier=" + token + "&status=revoked").get("total").asInt()).isZero();
    }

    @Test
    void anOnwardReferralPointsAtTheDirectorysServiceAndIsFoundByBasedOn() throws Exception {
        String referral = delivered();
        event(referral, "REFERRAL_ACCEPTED", "2026-11-21T08:00:00Z");
        ObjectNode signposted = eventBody(referral, "SIGNPOSTED", "2026-11-21T09:00:00Z");
        signposted.putObject("service").put("directory", "ORUK").put("id", "svc-walking-group-17")
                .put("name", "Exampletown Walking Group");
        HttpResponse<String> response = http.post("/platforms/example-linkworker/events", signposted.toString(),
                "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        JsonNode onward = search("/fhir/ServiceRequest?based-on=ServiceRequest/" + referral);
        assertThat(onward.get("total").asInt()).isEqualTo(1);
        JsonNode performer = onward.get("entry").get(0).get("resource").get("performer").get(0);
        // the same id the directory sync gives this service: the reference stays valid across syncs
        assertThat(performer.get("reference").asText())
                .isEqualTo("HealthcareService/" + DirectoryIds.of("HealthcareService", "example-oruk", "svc-walking-group-17"));
        assertThat(performer.get("identifier").get("value").asText()).isEqualTo("svc-walking-group-17");
        assertThat(task(referral).get("businessStatus").get("coding").get(0).get("code").asText())
                .isEqualTo("connected-to-service");
    }

    @Test
    void theSenderCanSeeTheWholeHistoryOfItsReferralsTask() throws Exception {
        String referral = delivered();
        event(referral, "REFERRAL_ACCEPTED", "2026-11-21T08:00:00Z");
        event(referral, "CONTACT_SUCCESSFUL", "2026-11-21T08:30:00Z");
        String taskId = task(referral).get("id").asText();

        JsonNode history = search("/fhir/Task/" + taskId + "/_history");
        assertThat(history.get("type").asText()).isEqualTo("history");
        assertThat(history.get("entry")).extracting(e -> e.get("resource").get("status").asText())
                .containsExactly("in-progress", "accepted", "requested");
        JsonNode first = JSON.readTree(http.get("/fhir/Task/" + taskId + "/_history/1").body());
        assertThat(first.get("status").asText()).isEqualTo("requested");
        assertThat(first.get("meta").get("versionId").asText()).isEqualTo("1");
    }

    @Test
    void anUnknownOrEmptySearchParameterIsRefusedNotIgnored() throws Exception {
        HttpResponse<String> unknown = http.get("/fhir/Observation?requester=x");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).get("issue").get(0).get("diagnostics").asText()).contains("[requester]");
        assertThat(http.get("/fhir/Task?status=").statusCode()).isEqualTo(400);
        assertThat(http.get("/fhir/Task?_count=x").statusCode()).isEqualTo(400);
    }

    private String delivered() {
        String referral = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referral).state() == DeliveryState.DELIVERED);
        return referral;
    }

    private HttpResponse<String> event(String referral, String type, String occurredAt) {
        return http.post("/platforms/example-linkworker/events", eventBody(referral, type, occurredAt).toString(),
                "application/json");
    }

    private static ObjectNode eventBody(String referral, String type, String occurredAt) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", "evt-" + UUID.randomUUID());
        event.put("type", type);
        event.put("occurredAt", occurredAt);
        event.putObject("referral").put("id", referral);
        return event;
    }

    private JsonNode task(String referral) throws Exception {
        return search("/fhir/Task?focus=ServiceRequest/" + referral).get("entry").get(0).get("resource");
    }

    private JsonNode search(String path) throws Exception {
        HttpResponse<String> response = http.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String link(JsonNode bundle, String relation) {
        for (JsonNode link : bundle.get("link")) {
            if (link.get("relation").asText().equals(relation)) {
                return link.get("url").asText();
            }
        }
        throw new AssertionError("no " + relation + " link");
    }
}
