package io.github.spfhir.adapter.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import ch.qos.logback.classic.Level;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.NhsNumber;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * The control of hazard HAZ-010 (patient data in logs), issue #6 "No patient data in logs": a run of the fixtures
 * through the whole adapter, with every logger at DEBUG (the adapter's own at TRACE) and every line captured with
 * its exception's stack trace and messages, logs none of the fixtures' identifying values.
 *
 * <p>The run: every valid referral fixture (fresh ids, so each is a new referral in the shared store), every invalid
 * one, a duplicate, a platform outage (503 whose body echoes the patient, then recovery), the FHIR reads and the
 * operations API, and every platform event fixture (valid, in lifecycle order, and invalid) against referrals just
 * created. The identifying values are read from the fixtures (NHS numbers, names, telecoms, birth dates, addresses,
 * notes and reasons), and sentinels that appear nowhere else (a family name, an NHS number, a note, an event note)
 * are put into a referral and an event, so the test cannot pass by capturing nothing.
 */
class NoPatientDataInLogsTest extends EndToEndTest {

    private static final String VALID = "referral-to-link-worker/valid";
    private static final String INVALID = "referral-to-link-worker/invalid";
    private static final String EVENTS = "events-from-link-worker/example-linkworker";
    private static final String EVENTS_ENDPOINT = "/platforms/example-linkworker/events";
    private static final String LINKWORKER_PATH = "/example-linkworker/api/referrals";
    /** The referral id every event fixture names; replaced with the id of a referral this test created. */
    private static final String FIXTURE_REFERRAL_ID = "f5734bcf-1914-34e7-804e-97a914692ac3";
    /** Event fixtures in an order the Task state machine takes (the rest follow in file order). */
    private static final List<String> LIFECYCLE_ORDER = List.of("referral-accepted", "contact-attempted",
            "contact-made", "appointment-booked", "appointment-attended", "appointment-missed", "onward-referral",
            "outcome-wemwbs-baseline", "outcome-eq5d-index-decimal-as-text", "outcome-ucla3-follow-up-with-answers",
            "referral-paused", "referral-resumed", "client-discharged", "case-closed");
    /**
     * The test's own stand-in partners (WireMock and its Jetty) are the other side of the wire, not the adapter:
     * they keep their usual level, and their lines are not the adapter's to answer for.
     */
    private static final List<String> PARTNER_LOGGERS = List.of("org.eclipse.jetty", "wiremock", "WireMock",
            "com.github.tomakehurst", "org.wiremock");
    /**
     * Loggers application.yml pins above DEBUG because at DEBUG they log what they are given: an operator's DEBUG
     * elsewhere leaves them be, and so does this test (it checks the pins are there).
     */
    private static final List<String> PINNED_BY_THE_APPLICATION = List.of("ca.uhn.fhir.log.terminology_troubleshooting");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Autowired
    private Environment environment;
    @Autowired
    private CamelContext camel;

    private final String sentinelFamily = "Quarvendish" + letters(6);
    private final String sentinelNote = "SENTINEL-FREE-TEXT-" + UUID.randomUUID();
    private final String sentinelEventNote = "SENTINEL-EVENT-NOTE-" + UUID.randomUUID();
    private final String sentinelNhsNumber = freshNhsNumber();
    private final Set<String> correlationIds = new LinkedHashSet<>();
    /** Events are dated one second apart from here, before the test clock (2026-11-21T10:00Z). */
    private Instant nextEventTime = TestConfigurations.NOW.minus(Duration.ofHours(1));

    @Test
    void aRunOfEveryFixtureLogsNoIdentifyingValueAtAnyLevel() throws Exception {
        Set<String> identifying = new IdentifyingValues()
                .fromReferralFixtures(Fixtures.path(VALID))
                .fromReferralFixtures(Fixtures.path(INVALID))
                .fromPlatformEventFixtures(Fixtures.path(EVENTS))
                .fromPlatformEventFixtures(Fixtures.path(EVENTS + "/invalid"))
                .add(sentinelFamily).add(sentinelNote).add(sentinelEventNote).add(sentinelNhsNumber)
                .values();
        assertThat(identifying).as("values read from the fixtures")
                .contains("9434765919", "Fictional", "1958-03-14", "LS1 4AP", "Goals met; attends the walking group weekly.")
                .hasSizeGreaterThan(25);

        // Camel's message history and tracers keep and print exchanges, bodies included (application.yml)
        assertThat(camel.isMessageHistory()).as("Camel message history").isFalse();
        assertThat(camel.isTracing()).as("Camel tracing").isFalse();
        assertThat(camel.isBacklogTracing()).as("Camel backlog tracing").isFalse();
        for (String pinned : PINNED_BY_THE_APPLICATION) {
            assertThat(environment.getProperty("logging.level." + pinned)).as("application.yml pins " + pinned)
                    .isEqualTo("WARN");
        }

        List<LogCapture.Line> lines;
        List<String> keepTheirLevel = new ArrayList<>(PARTNER_LOGGERS);
        keepTheirLevel.addAll(PINNED_BY_THE_APPLICATION);
        try (LogCapture capture = LogCapture.everyLevel(keepTheirLevel)) {
            runTheFixtures();
            lines = capture.lines();
        }

        List<LogCapture.Line> adapterLines = lines.stream().filter(line -> !isPartner(line.logger())).toList();
        String all = String.join("\n", adapterLines.stream().map(LogCapture.Line::text).toList());
        assertThat(adapterLines).as("captured log lines").hasSizeGreaterThan(100);
        assertThat(adapterLines).as("DEBUG lines are captured too").anyMatch(l -> !l.level().isGreaterOrEqual(Level.INFO));
        assertThat(all).as("the log carries the correlation ids, so the capture worked").contains(correlationIds);
        assertThat(all).contains("Accepted referral", "Refused message", "Refused event", "applied to referral",
                "will retry");

        List<String> leaks = new ArrayList<>();
        for (String value : identifying) {
            Pattern word = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(value) + "(?![\\p{L}\\p{N}])");
            adapterLines.stream().filter(line -> word.matcher(line.text()).find()).findFirst().ifPresent(line ->
                    leaks.add("'" + value + "' in " + line.level() + " " + line.logger() + " [" + line.thread() + "]: "
                            + abbreviate(line.text())));
        }
        assertThat(leaks).as("patient data in the log").isEmpty();
    }

    private void runTheFixtures() throws Exception {
        String sentinelReferral = sentinelReferralThroughAnOutage();
        validReferralFixtures();
        invalidReferralFixtures();
        sentinelValuesWhereTheyAreRefused();
        readsAndOperations(sentinelReferral);
        platformEvents(sentinelReferral);
        // the retries, GP updates and data-platform publishing the run set off are part of it
        await().atMost(Duration.ofSeconds(30)).until(() -> store.countDeliveries(DeliveryState.PENDING) == 0);
    }

    /**
     * The full referral with sentinel patient data, delivered to a platform that answers 503 twice, echoing the
     * patient in its error body, and then 201; then the same message again (409).
     */
    private String sentinelReferralThroughAnOutage() {
        String echo = "{\"error\":\"unavailable\",\"patient\":\"" + sentinelNhsNumber + " " + sentinelFamily + "\"}";
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).inScenario("outage")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503).withBody(echo))
                .willSetStateTo("still down"));
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).inScenario("outage")
                .whenScenarioStateIs("still down").willReturn(aResponse().withStatus(503).withBody(echo))
                .willSetStateTo("recovered"));
        TestPartners.server().stubFor(post(urlEqualTo(LINKWORKER_PATH)).atPriority(1).inScenario("outage")
                .whenScenarioStateIs("recovered").willReturn(aResponse().withStatus(201).withBody("{}")));

        String body = Referrals.freshBody()
                .replace("\"Fictional\"", "\"" + sentinelFamily + "\"")
                .replace("9434765919", sentinelNhsNumber)
                .replace("Prefers a phone call in the morning.", sentinelNote);
        Map<String, String> headers = freshIds(Referrals.freshHeaders());
        String referralId = Referrals.referralId(http.processMessage(body, "application/fhir+json", headers));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                Referrals.linkWorkerDelivery(store, referralId).state() == DeliveryState.DELIVERED);
        assertThat(store.attempts(Referrals.linkWorkerDelivery(store, referralId).id())).hasSize(3);
        assertThat(Referrals.linkWorkerDelivery(store, referralId).payload()).as("the sentinels travelled")
                .contains(sentinelFamily, sentinelNhsNumber);

        assertThat(http.processMessage(body, "application/fhir+json", headers).statusCode()).isEqualTo(409);
        TestPartners.reset();
        TestPartners.server().resetScenarios();
        return referralId;
    }

    private void validReferralFixtures() throws IOException {
        for (String scenario : Fixtures.scenarios(VALID)) {
            Path file = Fixtures.bundleFile(VALID, scenario);
            String contentType = Fixtures.contentType(file);
            String body = withFreshSenderIdentifiers(Files.readString(file, StandardCharsets.UTF_8), contentType);
            HttpResponse<String> response = http.processMessage(body, contentType,
                    freshIds(Fixtures.headers(VALID, scenario)));
            assertThat(response.statusCode()).as(scenario + ": " + response.body()).isEqualTo(200);
        }
    }

    private void invalidReferralFixtures() throws IOException {
        for (String scenario : Fixtures.scenarios(INVALID)) {
            Path file = Fixtures.bundleFile(INVALID, scenario);
            HttpResponse<String> response = http.processMessage(Files.readString(file, StandardCharsets.UTF_8),
                    Fixtures.contentType(file), freshIds(Fixtures.headers(INVALID, scenario)));
            assertThat(response.statusCode()).as(scenario).isIn(400, 404, 409, 413, 415, 422);
        }
    }

    /**
     * The sentinel values put where the parser or the profile validator refuses them and quotes them in its message
     * (a URL or URI with a space, a code, a date, a gender, an NHS number, markup in the narrative). The refusal may
     * quote them back to their sender; the log, and the exceptions frameworks log, must not.
     */
    private void sentinelValuesWhereTheyAreRefused() {
        String xhtml = "<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><script>" + sentinelFamily
                + "</script><p onclick=\\\"" + sentinelNote + "\\\">" + sentinelFamily + "</p></div>";
        Map<String, UnaryOperator<String>> variants = new LinkedHashMap<>();
        variants.put("family name in a photo URL with a space", body -> intoPatient(body, "\"photo\": [{\"contentType\": "
                + "\"image/png\", \"url\": \"https://photos.example/" + sentinelFamily + " portrait.png\"}]"));
        variants.put("family name as a marital status code", body -> intoPatient(body, "\"maritalStatus\": {\"coding\": "
                + "[{\"system\": \"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus\", \"code\": \"" + sentinelFamily
                + "\"}]}"));
        variants.put("family name in the narrative's markup", body -> intoPatient(body,
                "\"text\": {\"status\": \"generated\", \"div\": \"" + xhtml + "\"}"));
        variants.put("note in an extension URI with a space", body -> body.replace(
                "\"valueString\": \"face-to-face consultation\"", "\"valueUri\": \"" + sentinelNote + " here\""));
        variants.put("family name as the birth date", body -> body.replace("\"1958-03-14\"", "\"" + sentinelFamily + "\""));
        variants.put("family name as the gender", body -> body.replace("\"female\"", "\"" + sentinelFamily + "\""));
        variants.put("family name as the NHS number", body -> body.replace(sentinelNhsNumber, sentinelFamily));
        // a JSON parser names the token it cannot read: Unrecognized token '...'
        variants.put("family name unquoted", body -> body.replace("\"Fictional\"", sentinelFamily));
        variants.forEach((variant, change) -> {
            String body = change.apply(Referrals.freshBody().replace("9434765919", sentinelNhsNumber));
            HttpResponse<String> response = http.processMessage(body, "application/fhir+json",
                    freshIds(Referrals.freshHeaders()));
            assertThat(response.statusCode()).as(variant + ": " + response.body()).isIn(400, 422);
        });
    }

    private static String intoPatient(String body, String members) {
        String patient = "\"resourceType\": \"Patient\",";
        assertThat(body).contains(patient);
        return body.replace(patient, patient + " " + members + ",");
    }

    private void readsAndOperations(String referralId) throws IOException {
        HttpResponse<String> serviceRequest = http.get("/fhir/ServiceRequest/" + referralId);
        assertThat(serviceRequest.statusCode()).isEqualTo(200);
        String patient = JSON.readTree(serviceRequest.body()).get("subject").get("reference").asText();
        assertThat(http.get("/fhir/" + patient).statusCode()).isEqualTo(200);
        assertThat(http.get("/fhir/" + patient, "application/fhir+xml").statusCode()).isEqualTo(200);
        assertThat(http.get("/fhir/Task?focus=ServiceRequest/" + referralId).statusCode()).isEqualTo(200);
        assertThat(http.get("/ops/deliveries?limit=20", "application/json").statusCode()).isEqualTo(200);
        assertThat(http.get("/ops/rejections?limit=20", "application/json").statusCode()).isEqualTo(200);
    }

    /**
     * Every event fixture: the lifecycle on the sentinel referral (plus an event with a sentinel note, a duplicate
     * and a late one), a decline and a cancellation on referrals of their own, and every invalid event.
     */
    private void platformEvents(String referralId) throws IOException {
        List<Path> valid = eventFixtures(Fixtures.path(EVENTS));
        String declined = Referrals.accept(http);
        String cancelled = Referrals.accept(http);
        await().atMost(Duration.ofSeconds(20)).until(() -> Stream.of(declined, cancelled).allMatch(id ->
                Referrals.linkWorkerDelivery(store, id).state() == DeliveryState.DELIVERED));
        ObjectNode lastApplied = null;
        for (Path file : valid) {
            String name = scenario(file);
            String target = name.equals("referral-declined") ? declined
                    : name.equals("referral-cancelled") ? cancelled : referralId;
            if (name.equals("referral-cancelled")) {
                postEvent(event(Fixtures.path(EVENTS + "/referral-accepted.json"), cancelled));
            }
            ObjectNode event = event(file, target);
            HttpResponse<String> response = postEvent(event);
            assertThat(response.statusCode()).as(name + ": " + response.body()).isIn(200, 422);
            if (name.equals("contact-attempted")) {
                ObjectNode sentinel = event(file, target);
                sentinel.put("note", sentinelEventNote);
                assertThat(postEvent(sentinel).statusCode()).isEqualTo(200);
            }
            if (target.equals(referralId) && response.statusCode() == 200) {
                lastApplied = event;
            }
        }
        assertThat(lastApplied).as("an event was applied").isNotNull();
        postEvent(lastApplied); // a duplicate
        ObjectNode late = lastApplied.deepCopy();
        late.put("eventId", "late-" + UUID.randomUUID()).put("occurredAt", TestConfigurations.NOW.minus(Duration.ofDays(1)).toString());
        postEvent(late);

        String unquoted = "{\"eventId\": \"elw-evt-" + UUID.randomUUID() + "\", \"type\": \"CONTACT_ATTEMPT\", "
                + "\"referral\": {\"id\": \"" + referralId + "\"}, \"note\": " + sentinelFamily + "}";
        assertThat(http.post(EVENTS_ENDPOINT, unquoted, "application/json").statusCode()).isEqualTo(400);
        for (Path file : eventFixtures(Fixtures.path(EVENTS + "/invalid"))) {
            String body = Files.readString(file, StandardCharsets.UTF_8).replace(FIXTURE_REFERRAL_ID, referralId)
                    .replace("\"elw-evt-", "\"elw-evt-" + UUID.randomUUID() + "-");
            HttpResponse<String> response = http.post(EVENTS_ENDPOINT, body, "application/json");
            assertThat(response.statusCode()).as(scenario(file)).isIn(400, 404, 422);
        }
    }

    /** An event fixture for this referral, with a fresh event id and dated before the test clock. */
    private ObjectNode event(Path file, String referralId) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(file.toFile());
        event.put("eventId", "elw-evt-" + UUID.randomUUID());
        ((ObjectNode) event.get("referral")).put("id", referralId);
        event.put("occurredAt", nextEventTime.toString());
        nextEventTime = nextEventTime.plusSeconds(1);
        return event;
    }

    private HttpResponse<String> postEvent(JsonNode event) {
        return http.post(EVENTS_ENDPOINT, event.toString(), "application/json");
    }

    private static List<Path> eventFixtures(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> inFileOrder = files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".expected.json"))
                    .sorted().toList();
            List<Path> ordered = new ArrayList<>();
            LIFECYCLE_ORDER.forEach(name -> inFileOrder.stream().filter(p -> scenario(p).equals(name)).forEach(ordered::add));
            inFileOrder.stream().filter(p -> !ordered.contains(p)).forEach(ordered::add);
            return ordered;
        }
    }

    private static String scenario(Path eventFile) {
        String name = eventFile.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }

    /** New X-Request-ID and X-Correlation-ID, recorded so the log can be checked for them. */
    private Map<String, String> freshIds(Map<String, String> headers) {
        headers.put("X-Request-ID", UUID.randomUUID().toString());
        String correlationId = UUID.randomUUID().toString();
        headers.put("X-Correlation-ID", correlationId);
        correlationIds.add(correlationId);
        return headers;
    }

    /** The sender's ServiceRequest identifiers replaced, so the message is a new referral in the shared store. */
    private static String withFreshSenderIdentifiers(String body, String contentType) {
        Bundle bundle = (Bundle) (contentType.contains("xml") ? FHIR.newXmlParser() : FHIR.newJsonParser())
                .parseResource(body);
        String fresh = body;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof ServiceRequest request) {
                for (Identifier identifier : request.getIdentifier()) {
                    fresh = fresh.replace(identifier.getValue(), "REF-" + UUID.randomUUID());
                }
                // a ServiceRequest without identifiers is keyed by its fullUrl: give it (and references to it) a
                // fresh id too, or the fixture's own copy sent by another test later is a duplicate
                String id = request.getIdElement().getIdPart();
                if (request.getIdentifier().isEmpty() && id != null) {
                    // the id as a whole token: in its fullUrl, in references to it, and as the resource's own id
                    fresh = fresh.replaceAll("(?<=[/\"'])" + java.util.regex.Pattern.quote(id) + "(?=[\"'/<])",
                            id + "-" + UUID.randomUUID());
                }
            }
        }
        return fresh;
    }

    private static boolean isPartner(String logger) {
        return PARTNER_LOGGERS.stream().anyMatch(p -> logger.equals(p) || logger.startsWith(p + "."));
    }

    private static String freshNhsNumber() {
        while (true) {
            String candidate = "9" + String.format("%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
            for (int check = 0; check <= 9; check++) {
                String number = candidate.substring(0, 9) + check;
                if (NhsNumber.isValid(number)) {
                    return number;
                }
            }
        }
    }

    private static String letters(int count) {
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < count; i++) {
            letters.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return letters.toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "…" : text;
    }
}
