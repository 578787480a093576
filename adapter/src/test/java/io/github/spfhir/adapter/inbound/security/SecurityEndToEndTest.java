package io.github.spfhir.adapter.inbound.security;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jwt.JWTClaimsSet;

import io.github.spfhir.adapter.store.AuditRecord;
import io.github.spfhir.adapter.store.AuditStore;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.RejectionRecord;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestIssuer;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Issue #6, authentication and least privilege, over real HTTP with tokens of {@link TestIssuer} (a trusted issuer
 * with a published JWK Set, as in production): each rule has a test that fails when the rule is broken, and each
 * refusal is checked for its status, OperationOutcome (issue code, BaRS error code) and its audit trail entry.
 */
class SecurityEndToEndTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BARS_RESPONSE = "events-from-link-worker/fhir/bars-response/task-accepted.bundle.json";
    private static final String FIXTURE_REFERRAL = "f5734bcf-1914-34e7-804e-97a914692ac3";
    private static final String FIXTURE_TASK = "7916720b-185f-3f44-b51e-e2cd3fd9decb";
    private static final String FIXTURE_MESSAGE_HEADER = "7a1e0c52-3b4d-4e6f-8a9b-0c1d2e3f4a52";
    private static final String FIXTURE_PATIENT = "f730adc3-17ab-343b-abb5-5395b79e34f0";
    private static final String OTHER_PRACTICE = "B82002";

    @Autowired
    private AuditStore audit;

    /** A referral of practice A81001, addressed to example-linkworker (the JSON REST platform). */
    private String referralId;
    private String taskId;
    private String patientId;

    @BeforeEach
    void aReferralOfTheFixturePractice() throws Exception {
        referralId = Referrals.accept(http);
        JsonNode serviceRequest = json(http.get("/fhir/ServiceRequest/" + referralId));
        patientId = serviceRequest.get("subject").get("reference").asText().substring("Patient/".length());
        taskId = json(http.get("/fhir/Task?focus=ServiceRequest/" + referralId)).get("entry").get(0).get("resource")
                .get("id").asText();
    }

    /** What the test set off reaches its partners before the next test looks at theirs. */
    @AfterEach
    void deliveriesSettle() {
        await().atMost(Duration.ofSeconds(30)).until(() -> store.countDeliveries(DeliveryState.PENDING) == 0);
    }

    @Test
    void withoutATokenEveryEndpointButTheOpenOnesIs401LoginAndAudited() throws Exception {
        AdapterHttp anonymous = http.anonymous();
        List<HttpResponse<String>> refused = List.of(
                anonymous.get("/fhir/ServiceRequest/" + referralId),
                anonymous.get("/fhir/Task?focus=ServiceRequest/" + referralId),
                anonymous.get("/fhir/HealthcareService?name=walking"),
                anonymous.processMessage(Referrals.freshBody(), "application/fhir+json", Referrals.freshHeaders()),
                anonymous.post("/platforms/example-linkworker/events", "{}", "application/json"),
                anonymous.get("/ops/deliveries", "application/json"),
                anonymous.get("/actuator/prometheus", "text/plain"));
        for (HttpResponse<String> response : refused) {
            assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertOutcome(response, "login", "SEND_UNAUTHORIZED");
        }

        assertThat(anonymous.get("/fhir/metadata").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/liveness", "application/json").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness", "application/json").statusCode()).isEqualTo(200);

        AuditRecord entry = auditOf(null, "ServiceRequest/" + referralId, 401);
        assertThat(entry.clientId()).isNull();
        assertThat(entry.outcome()).isEqualTo("no bearer token");
        assertThat(entry.operation()).isEqualTo("read");
    }

    @Test
    void expiredForgedTamperedAndForeignTokensAre401() throws Exception {
        String path = "/fhir/ServiceRequest/" + referralId;
        JWTClaimsSet expired = TestIssuer.claims("client-expired", "gp-system",
                TestConfigurations.NOW.minus(Duration.ofHours(3)), Duration.ofHours(1), c -> c.claim("ods_code", "A81001")).build();
        HttpResponse<String> expiredAnswer = http.get(path, "application/fhir+json", bearer(TestIssuer.sign(expired)));
        assertThat(expiredAnswer.statusCode()).isEqualTo(401);
        assertOutcome(expiredAnswer, "expired", "SEND_UNAUTHORIZED");
        assertThat(expiredAnswer.headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");

        JWTClaimsSet valid = TestIssuer.claims("client-valid", "gp-system", TestConfigurations.NOW, Duration.ofHours(1),
                c -> c.claim("ods_code", "A81001")).build();
        JWTClaimsSet foreignIssuer = new JWTClaimsSet.Builder(valid).issuer("https://someone-else.invalid").build();
        JWTClaimsSet otherAudience = new JWTClaimsSet.Builder(valid).audience("another-api").build();
        JWTClaimsSet notYetValid = new JWTClaimsSet.Builder(valid)
                .notBeforeTime(java.util.Date.from(TestConfigurations.NOW.plus(Duration.ofHours(1)))).build();
        JWTClaimsSet noExpiry = new JWTClaimsSet.Builder(valid).expirationTime(null).build();
        String genuine = TestIssuer.sign(valid);
        String[] parts = genuine.split("\\.");
        // the payload changed to another practice, the signature left as it was
        String tampered = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new JWTClaimsSet.Builder(valid).claim("ods_code", OTHER_PRACTICE).build().toString()
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        Map<String, String> unaccepted = Map.of(
                "issuer not trusted", TestIssuer.sign(foreignIssuer),
                "audience", TestIssuer.sign(otherAudience),
                "not valid yet", TestIssuer.sign(notYetValid),
                "no expiry", TestIssuer.sign(noExpiry),
                "forged (another key)", TestIssuer.signWithAnotherKey(valid),
                "tampered payload", tampered,
                "not a JWT", "not-a-token");
        unaccepted.forEach((what, token) -> {
            HttpResponse<String> answer = http.get(path, "application/fhir+json", bearer(token));
            assertThat(answer.statusCode()).as(what + ": " + answer.body()).isEqualTo(401);
            assertOutcome(answer, "security", "SEND_UNAUTHORIZED");
            assertThat(answer.body()).as(what).doesNotContain(token).doesNotContain("someone-else");
        });
        assertThat(http.get(path, "application/fhir+json", bearer(genuine)).statusCode()).isEqualTo(200);

        AuditRecord entry = auditOf(null, "ServiceRequest/" + referralId, 401);
        assertThat(entry.outcome()).startsWith("token not accepted: ");
    }

    @Test
    void aTokenWithoutAUsableRoleOrWithTheWrongRoleIs403Forbidden() throws Exception {
        String path = "/fhir/ServiceRequest/" + referralId;
        Map<String, String> noRole = bearer(TestIssuer.token("client-no-role", "nurse", c -> { }));
        Map<String, String> twoRoles = bearer(TestIssuer.token("client-two-roles", "gp-system",
                c -> c.claim("roles", List.of("gp-system", "operator")).claim("ods_code", "A81001")));
        Map<String, String> gpWithoutPractice = bearer(TestIssuer.token("client-no-practice", "gp-system", c -> { }));
        Map<String, String> platformWithoutId = bearer(TestIssuer.token("client-no-platform", "link-worker-platform",
                c -> { }));
        for (Map<String, String> token : List.of(noRole, twoRoles, gpWithoutPractice, platformWithoutId)) {
            HttpResponse<String> answer = http.get(path, "application/fhir+json", token);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
            assertOutcome(answer, "forbidden", "SEND_FORBIDDEN");
        }
        assertThat(diagnostics(http.get(path, "application/fhir+json", gpWithoutPractice))).contains("ods_code");

        // each role outside what it is for
        Map<String, String> gp = bearer(TestIssuer.gpSystem("A81001"));
        Map<String, String> operator = bearer(TestIssuer.operator());
        Map<String, String> dataPlatform = bearer(TestIssuer.dataPlatform());
        Map<String, String> platform = bearer(TestIssuer.linkWorkerPlatform("example-linkworker"));
        assertForbidden(http.get("/ops/deliveries", "application/json", gp), "Only an operator");
        assertForbidden(http.get("/ops/audit", "application/json", platform), "Only an operator");
        assertForbidden(http.get("/actuator/prometheus", "text/plain", gp), "Only an operator");
        assertForbidden(http.get(path, "application/fhir+json", operator), "operator does not read patient data");
        assertForbidden(http.get(path, "application/fhir+json", dataPlatform), "not configured to read ServiceRequest");
        assertForbidden(http.processMessage(Referrals.freshBody(), "application/fhir+json", with(dataPlatform)),
                "Only GP systems and link-worker platforms");
        assertForbidden(http.post("/platforms/example-linkworker/events", "{}", "application/json", gp),
                "Only a link-worker platform posts events");
        assertForbidden(http.put("/fhir/Task/" + taskId, "{}", "application/fhir+json", with(gp)),
                "Only a link-worker platform updates Tasks");

        assertThat(http.get("/ops/deliveries?limit=1", "application/json", operator).statusCode()).isEqualTo(200);
        assertThat(http.get("/actuator/prometheus", "text/plain", operator).statusCode()).isEqualTo(200);
        // the directory is any caller's to read
        for (Map<String, String> anyone : List.of(gp, operator, dataPlatform, platform)) {
            assertThat(http.get("/fhir/HealthcareService?name=walking", "application/fhir+json", anyone).statusCode())
                    .isEqualTo(200);
        }

        AuditRecord entry = auditOf("client-no-role", "ServiceRequest/" + referralId, 403);
        assertThat(entry.role()).isNull();
        assertThat(entry.outcome()).startsWith("forbidden: The token gives no role");
    }

    @Test
    void aGpSystemSendsReferralsForItsOwnPracticeOnly() throws Exception {
        Map<String, String> headers = with(bearer(TestIssuer.gpSystem(OTHER_PRACTICE)));
        String body = Referrals.freshBody();

        HttpResponse<String> answer = http.processMessage(body, "application/fhir+json", headers);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
        assertOutcome(answer, "forbidden", "SEND_FORBIDDEN");
        assertThat(diagnostics(answer)).contains("practice " + OTHER_PRACTICE + " only");
        assertThat(store.isKnownRequestId(headers.get("X-Request-ID"))).as("nothing accepted").isFalse();
        RejectionRecord rejection = store.listRejections(10_000).stream()
                .filter(r -> headers.get("X-Request-ID").equals(r.requestId())).findFirst().orElseThrow();
        assertThat(rejection.reason()).isEqualTo("FORBIDDEN");
        assertThat(rejection.httpStatus()).isEqualTo(403);
        // a link-worker platform does not send referrals either
        assertThat(http.processMessage(Referrals.freshBody(), "application/fhir+json",
                with(bearer(TestIssuer.linkWorkerPlatform("example-linkworker")))).statusCode()).isEqualTo(403);

        // the same message from its own practice is accepted
        Map<String, String> own = Referrals.freshHeaders();
        own.putAll(bearer(TestIssuer.gpSystem("A81001")));
        assertThat(http.processMessage(body, "application/fhir+json", own).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> audit.list("test-gp-" + OTHER_PRACTICE, null, null, 100)
                .stream().anyMatch(e -> headers.get("X-Request-ID").equals(e.requestId())));
        AuditRecord entry = audit.list("test-gp-" + OTHER_PRACTICE, null, null, 100).stream()
                .filter(e -> headers.get("X-Request-ID").equals(e.requestId())).findFirst().orElseThrow();
        assertThat(entry.operation()).isEqualTo("process-message");
        assertThat(entry.httpStatus()).isEqualTo(403);
        assertThat(entry.organisation()).isEqualTo(OTHER_PRACTICE);
        assertThat(entry.role()).isEqualTo("gp-system");
        assertThat(entry.correlationId()).isEqualTo(headers.get("X-Correlation-ID"));
    }

    @Test
    void aGpSystemReadsItsOwnPracticesReferralsOnlyAndAnotherPracticesAreAsIfNotHeld() throws Exception {
        Map<String, String> other = bearer(TestIssuer.gpSystem(OTHER_PRACTICE));
        Map<String, String> own = bearer(TestIssuer.gpSystem("A81001"));
        for (String path : List.of("/fhir/ServiceRequest/" + referralId, "/fhir/Task/" + taskId, "/fhir/Patient/" + patientId,
                "/fhir/ServiceRequest/" + referralId + "/_history", "/fhir/Task/" + taskId + "/_history/1")) {
            assertThat(http.get(path, "application/fhir+json", own).statusCode()).as(path).isEqualTo(200);
            HttpResponse<String> hidden = http.get(path, "application/fhir+json", other);
            String unknownPath = path.replace(referralId, UUID.randomUUID().toString()).replace(taskId,
                    UUID.randomUUID().toString()).replace(patientId, UUID.randomUUID().toString());
            HttpResponse<String> notHeld = http.get(unknownPath, "application/fhir+json", own);
            assertThat(hidden.statusCode()).as(path).isEqualTo(404);
            assertThat(notHeld.statusCode()).as(unknownPath).isEqualTo(404);
            // the same answer as for a resource not held, but for the id: nothing tells them apart
            assertThat(hidden.body().replace(referralId, "ID").replace(taskId, "ID").replace(patientId, "ID"))
                    .isEqualTo(notHeld.body().replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "ID"));
        }
        // searches count only the caller's own referrals
        String search = "/fhir/Task?focus=ServiceRequest/" + referralId;
        assertThat(json(http.get(search, "application/fhir+json", own)).get("total").asInt()).isEqualTo(1);
        JsonNode hidden = json(http.get(search, "application/fhir+json", other));
        assertThat(hidden.get("total").asInt()).isZero();
        assertThat(hidden.has("entry")).isFalse();
        assertThat(json(http.get("/fhir/ServiceRequest?patient=Patient/" + patientId, "application/fhir+json", other))
                .get("total").asInt()).isZero();

        AuditRecord entry = auditOf("test-gp-" + OTHER_PRACTICE, "Task/" + taskId, 404);
        assertThat(entry.outcome()).isEqualTo("not visible to this client");
        assertThat(audit.list("test-gp-" + OTHER_PRACTICE, "Task/" + taskId, null, 10))
                .extracting(AuditRecord::operation, AuditRecord::httpStatus)
                .contains(org.assertj.core.groups.Tuple.tuple("read", 404), org.assertj.core.groups.Tuple.tuple("vread", 404));
    }

    @Test
    void aPlatformPostsEventsToItsOwnPathAndReadsAndUpdatesOnlyTheReferralsAddressedToIt() throws Exception {
        Map<String, String> linkworker = bearer(TestIssuer.linkWorkerPlatform("example-linkworker"));
        Map<String, String> fhirPlatform = bearer(TestIssuer.linkWorkerPlatform("example-fhir-platform"));
        String event = Fixtures.read("events-from-link-worker/example-linkworker/referral-accepted.json")
                .replace(FIXTURE_REFERRAL, referralId).replace("elw-evt-000101", "elw-evt-" + UUID.randomUUID());

        HttpResponse<String> elsewhere = http.post("/platforms/example-linkworker/events", event, "application/json",
                fhirPlatform);
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(403);
        assertOutcome(elsewhere, "forbidden", "SEND_FORBIDDEN");
        assertThat(diagnostics(elsewhere)).contains("/platforms/example-fhir-platform/events only");

        // reads: the platform it was addressed to, and no other
        assertThat(http.get("/fhir/ServiceRequest/" + referralId, "application/fhir+json", linkworker).statusCode())
                .isEqualTo(200);
        assertThat(http.get("/fhir/Patient/" + patientId, "application/fhir+json", linkworker).statusCode()).isEqualTo(200);
        assertThat(http.get("/fhir/ServiceRequest/" + referralId, "application/fhir+json", fhirPlatform).statusCode())
                .isEqualTo(404);
        assertThat(json(http.get("/fhir/Task?focus=ServiceRequest/" + referralId, "application/fhir+json", fhirPlatform))
                .get("total").asInt()).isZero();

        // a FHIR update of another platform's Task: as if the Task were not held, before its version is looked at
        Map<String, String> update = new HashMap<>(fhirPlatform);
        update.put("X-Request-ID", UUID.randomUUID().toString());
        update.put("If-Match", "W/\"99\"");
        HttpResponse<String> put = http.put("/fhir/Task/" + taskId, http.get("/fhir/Task/" + taskId).body(),
                "application/fhir+json", update);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(404);
        assertThat(diagnostics(put)).isEqualTo("Task/" + taskId + " is not known");

        // a BaRS response about another platform's referral: as if the referral were not held; from a GP: 403
        String response = Fixtures.read(BARS_RESPONSE).replace(FIXTURE_REFERRAL, referralId).replace(FIXTURE_TASK, taskId)
                .replace(FIXTURE_MESSAGE_HEADER, UUID.randomUUID().toString());
        Map<String, String> fromOtherPlatform = with(fhirPlatform);
        HttpResponse<String> barsElsewhere = http.processMessage(response, "application/fhir+json", fromOtherPlatform);
        assertThat(barsElsewhere.statusCode()).as(barsElsewhere.body()).isEqualTo(404);
        assertThat(diagnostics(barsElsewhere)).isEqualTo("No referral " + referralId + " is held here");
        HttpResponse<String> barsFromGp = http.processMessage(response, "application/fhir+json",
                with(bearer(TestIssuer.gpSystem("A81001"))));
        assertThat(barsFromGp.statusCode()).as(barsFromGp.body()).isEqualTo(403);
        assertOutcome(barsFromGp, "forbidden", "SEND_FORBIDDEN");

        // an outcome measure about another platform's referral: as if the referral were not held; from a GP: 403
        String observation = Fixtures.read("events-from-link-worker/fhir/observation/wemwbs-baseline.observation.json")
                .replace(FIXTURE_REFERRAL, referralId).replace(FIXTURE_PATIENT, patientId);
        HttpResponse<String> measureElsewhere = http.post("/fhir/Observation", observation, "application/fhir+json",
                with(fhirPlatform));
        assertThat(measureElsewhere.statusCode()).as(measureElsewhere.body()).isEqualTo(404);
        assertThat(diagnostics(measureElsewhere)).isEqualTo("No referral " + referralId
                + " delivered to a link-worker platform is held here");
        assertForbidden(http.post("/fhir/Observation", observation, "application/fhir+json",
                with(bearer(TestIssuer.gpSystem("A81001")))), "Only a link-worker platform records outcome measures");
        assertThat(json(http.get("/fhir/Observation?based-on=ServiceRequest/" + referralId)).get("total").asInt())
                .isZero();

        // nothing moved; the platform the referral is addressed to is heard
        assertThat(json(http.get("/fhir/Task/" + taskId)).get("status").asText()).isEqualTo("requested");
        HttpResponse<String> own = http.post("/platforms/example-linkworker/events", event, "application/json", linkworker);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(json(http.get("/fhir/Task/" + taskId)).get("status").asText()).isEqualTo("accepted");

        AuditRecord refused = auditOf("test-platform-example-fhir-platform", "Task/" + taskId, 404);
        assertThat(refused.operation()).isEqualTo("update");
        assertThat(refused.httpStatus()).isEqualTo(404);
        assertThat(refused.platformId()).isEqualTo("example-fhir-platform");
        AuditRecord event403 = audit.list("test-platform-example-fhir-platform", null, null, 100).stream()
                .filter(e -> e.operation().equals("event")).findFirst().orElseThrow();
        assertThat(event403.httpStatus()).isEqualTo(403);
        assertThat(event403.path()).isEqualTo("/platforms/example-linkworker/events");
    }

    @Test
    void aDataPlatformReadsOnlyTheTypesItIsConfiguredFor() throws Exception {
        Map<String, String> dataPlatform = bearer(TestIssuer.dataPlatform());
        // adapter.security.data-platform-reads=Task,Observation (AdapterIntegrationTest)
        assertThat(http.get("/fhir/Task/" + taskId, "application/fhir+json", dataPlatform).statusCode()).isEqualTo(200);
        assertThat(json(http.get("/fhir/Task?focus=ServiceRequest/" + referralId, "application/fhir+json", dataPlatform))
                .get("total").asInt()).isEqualTo(1);
        assertForbidden(http.get("/fhir/Patient/" + patientId, "application/fhir+json", dataPlatform),
                "not configured to read Patient");
        assertForbidden(http.put("/fhir/Task/" + taskId, "{}", "application/fhir+json", with(dataPlatform)),
                "Only a link-worker platform updates Tasks");
    }

    @Test
    void everyReadAndWriteOfPatientDataIsAuditedWithoutBodiesAndOperatorsQueryIt() throws Exception {
        Map<String, String> gp = bearer(TestIssuer.token("client-audit-" + UUID.randomUUID(), "gp-system",
                c -> c.claim("ods_code", "A81001")));
        Map<String, String> headers = Referrals.freshHeaders();
        headers.putAll(gp);
        HttpResponse<String> sent = http.processMessage(Referrals.freshBody(), "application/fhir+json", headers);
        String newReferral = Referrals.referralId(sent);
        String client = clientOf(gp);
        assertThat(http.get("/fhir/ServiceRequest/" + newReferral, "application/fhir+json", gp).statusCode())
                .isEqualTo(200);
        assertThat(http.get("/fhir/ServiceRequest?identifier=nothing-" + UUID.randomUUID(), "application/fhir+json", gp)
                .statusCode()).isEqualTo(200);

        // written once each answer is complete, so an instant after the caller has it
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.list(client, null, null, 10).size() == 3);
        List<AuditRecord> entries = audit.list(client, null, null, 10);
        // the test clock is fixed, so the three share one time, and their order is the order their writes were
        // queued: each is queued after its answer, so two calls in a row can be queued either way round
        assertThat(entries).extracting(AuditRecord::operation).containsExactlyInAnyOrder("search", "read", "process-message");
        AuditRecord write = entry(entries, "process-message");
        assertThat(write.httpStatus()).isEqualTo(200);
        assertThat(write.method()).isEqualTo("POST");
        assertThat(write.path()).isEqualTo("/fhir/$process-message");
        assertThat(write.requestId()).isEqualTo(headers.get("X-Request-ID"));
        assertThat(write.correlationId()).isEqualTo(headers.get("X-Correlation-ID"));
        assertThat(write.role()).isEqualTo("gp-system");
        assertThat(write.organisation()).isEqualTo("A81001");
        assertThat(write.issuer()).isEqualTo(TestIssuer.ISSUER);
        assertThat(write.outcome()).isEqualTo("allowed");
        assertThat(write.occurredAt()).isEqualTo(TestConfigurations.NOW);
        AuditRecord read = entry(entries, "read");
        assertThat(read.resourceType()).isEqualTo("ServiceRequest");
        assertThat(read.resourceId()).isEqualTo(newReferral);
        assertThat(entry(entries, "search").query()).startsWith("identifier=nothing-");

        // operators query it over HTTP: by client, by resource, from a time
        JsonNode byClient = json(http.get("/ops/audit?client=" + client, "application/json"));
        assertThat(byClient).hasSize(3);
        assertThat(byClient.get(0).has("body")).isFalse();
        JsonNode byResource = json(http.get("/ops/audit?resource=ServiceRequest/" + newReferral, "application/json"));
        assertThat(byResource).isNotEmpty();
        assertThat(byResource.get(0).get("clientId").asText()).isEqualTo(client);
        assertThat(json(http.get("/ops/audit?client=" + client + "&from=2026-11-22T00:00:00Z", "application/json")))
                .isEmpty();
        assertThat(json(http.get("/ops/audit?client=" + client + "&from=2026-11-21T00:00:00Z&limit=1",
                "application/json"))).hasSize(1);
        assertThat(http.get("/ops/audit?from=yesterday", "application/json").statusCode()).isEqualTo(400);
        // and reading the trail is itself in it
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.list("test-operator", null, null, 5).stream()
                .anyMatch(e -> e.path().equals("/ops/audit")));
    }

    private static AuditRecord entry(List<AuditRecord> entries, String operation) {
        return entries.stream().filter(entry -> entry.operation().equals(operation)).findFirst().orElseThrow();
    }

    @Test
    void deliveriesToAPartnerCarryItsApiKey() {
        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/example-linkworker/api/referrals").isEmpty());
        LoggedRequest delivered = received("/example-linkworker/api/referrals").get(0);
        assertThat(delivered.getHeader("X-API-Key")).isEqualTo("test-only-api-key-not-a-secret");
        // partners without credentials get none
        await().atMost(Duration.ofSeconds(20)).until(() -> !received("/example-data-platform/fhir").isEmpty());
        assertThat(received("/example-data-platform/fhir").get(0).containsHeader("X-API-Key")).isFalse();
        assertThat(received("/example-data-platform/fhir").get(0).containsHeader("Authorization")).isFalse();
    }

    private static List<LoggedRequest> received(String path) {
        return TestPartners.server().findAll(postRequestedFor(urlPathEqualTo(path)));
    }

    /** The newest audit entry of this client (null: an unauthenticated one), resource and status. */
    private AuditRecord auditOf(String clientId, String resource, int status) {
        // written once the answer is complete, so an instant after the caller has it
        await().atMost(Duration.ofSeconds(5)).until(() -> findAudit(clientId, resource, status) != null);
        return findAudit(clientId, resource, status);
    }

    private AuditRecord findAudit(String clientId, String resource, int status) {
        return audit.list(clientId, resource, null, 1000).stream()
                .filter(e -> e.httpStatus() == status && (clientId != null || e.clientId() == null))
                .findFirst().orElse(null);
    }

    private static String clientOf(Map<String, String> bearer) throws Exception {
        String token = bearer.get("Authorization").substring("Bearer ".length());
        return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("client_id");
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", AdapterHttp.bearer(token));
    }

    /** Fresh BaRS ids and this token. */
    private static Map<String, String> with(Map<String, String> token) {
        Map<String, String> headers = Referrals.freshHeaders();
        headers.putAll(token);
        return headers;
    }

    private static void assertForbidden(HttpResponse<String> answer, String diagnostics) throws Exception {
        assertThat(answer.statusCode()).as(answer.uri() + ": " + answer.body()).isEqualTo(403);
        assertOutcome(answer, "forbidden", "SEND_FORBIDDEN");
        assertThat(diagnostics(answer)).contains(diagnostics);
    }

    private static void assertOutcome(HttpResponse<String> answer, String issueCode, String barsCode) {
        try {
            JsonNode issue = JSON.readTree(answer.body()).get("issue").get(0);
            assertThat(JSON.readTree(answer.body()).get("resourceType").asText()).isEqualTo("OperationOutcome");
            assertThat(issue.get("code").asText()).as(answer.body()).isEqualTo(issueCode);
            assertThat(issue.get("details").get("coding").get(0).get("code").asText()).isEqualTo(barsCode);
            assertThat(issue.get("details").get("coding").get(0).get("system").asText())
                    .isEqualTo("https://fhir.nhs.uk/Codesystem/http-error-codes");
        } catch (java.io.IOException e) {
            throw new AssertionError("not an OperationOutcome: " + answer.body(), e);
        }
    }

    private static String diagnostics(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body()).get("issue").get(0).get("diagnostics").asText();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isLessThan(300);
        return JSON.readTree(response.body());
    }
}
