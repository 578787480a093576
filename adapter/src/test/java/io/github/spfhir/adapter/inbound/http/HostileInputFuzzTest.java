package io.github.spfhir.adapter.inbound.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestContextManager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.AdapterIntegrationTest;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestIssuer;
import io.github.spfhir.adapter.support.TestPartners;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * A property-based fuzz test of hostile input (issue #6), with jqwik: valid referral messages (JSON and XML) and
 * events (the platform's JSON events, a FHIR Task update, a FHIR Observation) are mutated (fields dropped, duplicated,
 * replaced by other types or by long, odd or marked-up text, deep nesting, huge arrays, truncation, random bytes) and
 * posted over real HTTP to the adapter (the shared integration-test application context, reached through Spring's
 * {@link TestContextManager} since jqwik does not run JUnit Jupiter extensions). Whatever is posted: never a 5xx;
 * every refusal a well-formed FHIR OperationOutcome with an issue whose code fits the HTTP status; a refusal leaves
 * the store's referral, resource, event and delivery rows as they were; an acceptance stores the whole of it.
 *
 * <p>Bounded: a fixed number of tries per property (the class runs in well under a minute). jqwik prints the seed of a
 * failing run, and a failing sample is tried first on the next run.
 */
@AdapterIntegrationTest
class HostileInputFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String PLATFORM = "example-linkworker";
    private static final String FHIR_PLATFORM = "example-fhir-platform";
    private static final String FIXTURE_REFERRAL = "f5734bcf-1914-34e7-804e-97a914692ac3";
    private static final String FIXTURE_PATIENT = "f730adc3-17ab-343b-abb5-5395b79e34f0";
    private static final String XML_REFERRAL = "referral-to-link-worker/valid/xml-referral-to-fhir-platform.bundle.xml";
    private static final String XML_IDENTIFIER = "REF-2026-000456";
    private static final String OBSERVATION = "events-from-link-worker/fhir/observation/wemwbs-baseline.observation.json";
    private static final String DEEP = "__fuzz_deep__";
    private static final String HUGE = "__fuzz_huge__";
    /** The tables a request writes: a refusal leaves them as they were. */
    private static final List<String> WRITTEN = List.of("inbound_message", "fhir_resource", "fhir_resource_history",
            "delivery", "platform_event");
    /** The issue codes that fit each refusal status (FHIR's IssueType hierarchy: invalid, processing, security...). */
    private static final Map<Integer, Set<String>> FITTING = Map.ofEntries(
            Map.entry(400, Set.of("invalid", "structure", "required", "value", "invariant", "code-invalid",
                    "business-rule", "not-supported", "too-long", "extension", "processing")),
            Map.entry(401, Set.of("login", "expired", "security", "unknown")),
            Map.entry(403, Set.of("forbidden", "security", "suppressed")),
            Map.entry(404, Set.of("not-found", "deleted")),
            Map.entry(405, Set.of("not-supported")),
            Map.entry(406, Set.of("not-supported")),
            Map.entry(409, Set.of("duplicate", "conflict", "business-rule")),
            Map.entry(412, Set.of("conflict")),
            Map.entry(413, Set.of("too-long", "too-costly")),
            Map.entry(415, Set.of("not-supported")),
            Map.entry(422, Set.of("invalid", "structure", "required", "value", "invariant", "code-invalid",
                    "business-rule", "not-supported", "processing", "extension", "not-found")),
            Map.entry(429, Set.of("throttled")));
    /** Text a hostile or broken sender might put anywhere. */
    private static final List<String> ODD_TEXT = List.of("", " ", "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>", "'; drop table fhir_resource; --", "${jndi:ldap://x.invalid/a}",
            "../../../../etc/passwd", "\u0000", "\r\nX-Injected: yes", "\uFEFF", "\uD800", "9999999999",
            "0000000000", "2999-01-01", "1800-02-30", "-1", "NaN", "1e999", "urn:uuid:", "Patient/", "#",
            "http://snomed.info/sct", "&amp;&lt;", "]]>", "\u202Eevil", "null", "true");

    private static TestContextManager spring;
    private static String linkWorkerReferral;
    private static String fhirPlatformReferral;
    private static String fhirPlatformPatient;
    private static String fhirPlatformTask;
    /** The referrals accepted from mutated messages: each must then be delivered, like any other. */
    private static final List<String> ACCEPTED = java.util.Collections.synchronizedList(new ArrayList<>());
    private static MessageStore acceptedStore;

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private MessageStore store;
    @Autowired
    private JdbcClient jdbc;

    private AdapterHttp http;
    /** The mutations of the sample being tried, named in a failure (jqwik's own report may be cut short in CI). */
    private static volatile String sample = "";

    @BeforeProperty
    void joinTheSharedApplicationContext() throws Exception {
        synchronized (HostileInputFuzzTest.class) {
            if (spring == null) {
                spring = new TestContextManager(HostileInputFuzzTest.class);
                spring.prepareTestInstance(this);
                TestPartners.reset();
            } else {
                spring.prepareTestInstance(this);
            }
        }
        http = new AdapterHttp(port);
        acceptedStore = store;
        seedReferrals();
    }

    /**
     * What was accepted, however odd, is delivered: the adapter emits valid output from it (a FAILED delivery would
     * also be left for the other tests of the shared context to trip over).
     */
    @AfterContainer
    static void everyAcceptedReferralIsDelivered() {
        if (acceptedStore == null || ACCEPTED.isEmpty()) {
            return;
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(ACCEPTED).allSatisfy(id ->
                assertThat(acceptedStore.deliveriesForReferral(id)).as(id)
                        .allSatisfy(d -> assertThat(d.state()).isEqualTo(DeliveryState.DELIVERED))));
    }

    // ---- referrals ------------------------------------------------------------------------------------------------

    @Property(tries = 150, shrinking = ShrinkingMode.OFF)
    void aMutatedJsonReferralIsAcceptedWhollyOrRefusedPrecisely(@ForAll("mutations") List<Mutation> mutations) {
        sample = describe(mutations);
        String body = mutateJson(Referrals.freshBody(), mutations);
        Map<String, String> headers = Referrals.freshHeaders();
        Map<String, Integer> before = counts();
        HttpResponse<String> answer = http.processMessage(body, "application/fhir+json", headers);
        assertReferralAnswer(answer, before, headers.get("X-Request-ID"));
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void aMutatedXmlReferralIsAcceptedWhollyOrRefusedPrecisely(@ForAll("mutations") List<Mutation> mutations) {
        sample = describe(mutations);
        String fresh = Fixtures.read(XML_REFERRAL).replace(XML_IDENTIFIER, "REF-" + UUID.randomUUID());
        String body = mutateText(fresh, mutations, true);
        Map<String, String> headers = new LinkedHashMap<>(Fixtures.headers("referral-to-link-worker/valid",
                "xml-referral-to-fhir-platform"));
        headers.putAll(Referrals.freshHeaders());
        Map<String, Integer> before = counts();
        HttpResponse<String> answer = http.processMessage(body, "application/fhir+xml", headers);
        assertReferralAnswer(answer, before, headers.get("X-Request-ID"));
    }

    private void assertReferralAnswer(HttpResponse<String> answer, Map<String, Integer> before, String requestId) {
        if (!isSuccess(answer)) {
            assertRefusal(answer, before);
            return;
        }
        // a whole referral: the message, its ServiceRequest, Task and Patient, and its delivery
        Bundle response = (Bundle) parse(answer);
        String referralId = ((MessageHeader) response.getEntryFirstRep().getResource()).getFocusFirstRep()
                .getReferenceElement().getIdPart();
        assertThat(store.isKnownRequestId(requestId)).isTrue();
        assertThat(store.readResource("ServiceRequest", referralId)).as(referralId).isPresent();
        assertThat(store.deliveriesForReferral(referralId)).isNotEmpty();
        assertThat(counts().get("fhir_resource") - before.get("fhir_resource")).isGreaterThanOrEqualTo(3);
        assertThat(counts().get("inbound_message")).isEqualTo(before.get("inbound_message") + 1);
        ACCEPTED.add(referralId);
    }

    // ---- events ---------------------------------------------------------------------------------------------------

    @Property(tries = 120, shrinking = ShrinkingMode.OFF)
    void aMutatedPlatformEventIsAppliedWhollyOrRefusedPrecisely(@ForAll("platformEvents") String event,
            @ForAll("mutations") List<Mutation> mutations) throws Exception {
        sample = describe(mutations);
        ObjectNode fresh = (ObjectNode) JSON.readTree(event.replace(FIXTURE_REFERRAL, linkWorkerReferral));
        fresh.put("eventId", "fuzz-" + UUID.randomUUID());
        String body = mutateJson(fresh.toString(), mutations);
        Map<String, Integer> before = counts();
        HttpResponse<String> answer = http.post("/platforms/" + PLATFORM + "/events", body, "application/json");
        if (!isSuccess(answer)) {
            assertRefusal(answer, before);
            return;
        }
        // what was posted, as the server received it: the body goes out as UTF-8, which has no lone surrogates
        JsonNode posted = JSON.readTree(new String(body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8));
        List<String> eventIds = new ArrayList<>();
        (posted.isArray() ? posted : JSON.createArrayNode().add(posted)).forEach(e -> eventIds.add(e.path("eventId")
                .asText()));
        assertThat(eventIds).allSatisfy(id -> assertThat(store.findEvent(PLATFORM, id)).as(id).isPresent());
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void aMutatedTaskUpdateIsAppliedWhollyOrRefusedPrecisely(@ForAll("mutations") List<Mutation> mutations)
            throws Exception {
        sample = describe(mutations);
        ObjectNode task = (ObjectNode) JSON.readTree(http.get("/fhir/Task/" + fhirPlatformTask, "application/fhir+json",
                platformToken()).body());
        task.put("status", "accepted");
        String body = mutateJson(task.toString(), mutations);
        String requestId = UUID.randomUUID().toString();
        Map<String, String> headers = new HashMap<>(platformToken());
        headers.put("X-Request-ID", requestId);
        Map<String, Integer> before = counts();
        HttpResponse<String> answer = http.put("/fhir/Task/" + fhirPlatformTask, body, "application/fhir+json",
                headers);
        if (!isSuccess(answer)) {
            assertRefusal(answer, before);
            return;
        }
        Resource updated = parse(answer);
        assertThat(updated.getIdElement().getIdPart()).isEqualTo(fhirPlatformTask);
        assertThat(String.valueOf(store.readResource("Task", fhirPlatformTask).orElseThrow().versionId()))
                .isEqualTo(updated.getMeta().getVersionId());
    }

    @Property(tries = 100, shrinking = ShrinkingMode.OFF)
    void aMutatedObservationIsRecordedWhollyOrRefusedPrecisely(@ForAll("mutations") List<Mutation> mutations) {
        sample = describe(mutations);
        String fresh = Fixtures.read(OBSERVATION).replace(FIXTURE_REFERRAL, fhirPlatformReferral)
                .replace(FIXTURE_PATIENT, fhirPlatformPatient);
        String body = mutateJson(fresh, mutations);
        String requestId = UUID.randomUUID().toString();
        Map<String, String> headers = new HashMap<>(platformToken());
        headers.put("X-Request-ID", requestId);
        Map<String, Integer> before = counts();
        HttpResponse<String> answer = http.post("/fhir/Observation", body, "application/fhir+json", headers);
        if (!isSuccess(answer)) {
            assertRefusal(answer, before);
            return;
        }
        Resource created = parse(answer);
        assertThat(store.readResource("Observation", created.getIdElement().getIdPart())).isPresent();
        assertThat(store.findEvent(FHIR_PLATFORM, requestId)).isPresent();
    }

    // ---- what every answer must be --------------------------------------------------------------------------------

    private static boolean isSuccess(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as("never a server error: " + abbreviated(answer.body()) + " from mutations "
                + sample).isLessThan(500);
        return answer.statusCode() < 300;
    }

    private void assertRefusal(HttpResponse<String> answer, Map<String, Integer> before) {
        OperationOutcome outcome = (OperationOutcome) parse(answer);
        Set<String> fitting = FITTING.get(answer.statusCode());
        assertThat(fitting).as("an expected refusal status: " + answer.statusCode() + " " + abbreviated(answer.body()))
                .isNotNull();
        assertThat(outcome.getIssue()).as(abbreviated(answer.body()))
                .anySatisfy(issue -> assertThat(fitting).contains(issue.getCode().toCode()));
        assertThat(counts()).as("a refusal writes nothing but its own record").isEqualTo(before);
    }

    /** The answer, parsed strictly as FHIR in the format it says it is. */
    private static Resource parse(HttpResponse<String> answer) {
        String type = answer.headers().firstValue("Content-Type").orElse("");
        assertThat(type).as(abbreviated(answer.body())).containsAnyOf("fhir+json", "fhir+xml");
        IParser parser = type.contains("xml") ? FHIR.newXmlParser() : FHIR.newJsonParser();
        parser.setParserErrorHandler(new StrictErrorHandler());
        return (Resource) parser.parseResource(answer.body());
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        WRITTEN.forEach(t -> counts.put(t, jdbc.sql("select count(*) from " + t).query(Integer.class).single()));
        return counts;
    }

    private static String describe(List<Mutation> mutations) {
        return mutations.stream().map(m -> m.kind() + "@" + m.where() + ":" + (m.text().length() > 80
                ? "\"" + ascii(m.text().substring(0, 20)) + "\"... (" + m.text().length() + " chars)"
                : "\"" + ascii(m.text()) + "\"")).toList().toString();
    }

    /** Text with everything outside printable ASCII escaped: a lone surrogate or NUL would cut a report short. */
    private static String ascii(String text) {
        StringBuilder escaped = new StringBuilder();
        text.chars().forEach(c -> escaped.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : String.format("\\u%04x", c)));
        return escaped.toString();
    }

    private static String abbreviated(String body) {
        return body == null || body.length() < 600 ? body : body.substring(0, 600) + "...";
    }

    // ---- seeds ----------------------------------------------------------------------------------------------------

    private void seedReferrals() throws Exception {
        synchronized (HostileInputFuzzTest.class) {
            if (linkWorkerReferral != null) {
                return;
            }
            // the first referral of a fresh context waits for the validator to load: give it time
            warmUp();
            linkWorkerReferral = Referrals.accept(http);
            Map<String, String> headers = Referrals.freshHeaders();
            headers.put("NHSD-Target-Identifier", Fixtures.targetIdentifier("https://fhir.nhs.uk/Id/dos-service-id",
                    "2000099001"));
            String referral = Referrals.referralId(http.processMessage(Referrals.freshBody(), "application/fhir+json",
                    headers));
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    Referrals.linkWorkerDelivery(store, referral).state() == DeliveryState.DELIVERED
                            && Referrals.linkWorkerDelivery(store, linkWorkerReferral).state() == DeliveryState.DELIVERED);
            JsonNode serviceRequest = JSON.readTree(http.get("/fhir/ServiceRequest/" + referral).body());
            fhirPlatformPatient = serviceRequest.get("subject").get("reference").asText().substring("Patient/".length());
            fhirPlatformTask = JSON.readTree(http.get("/fhir/Task?focus=ServiceRequest/" + referral).body())
                    .get("entry").get(0).get("resource").get("id").asText();
            fhirPlatformReferral = referral;
        }
    }

    private void warmUp() {
        for (int attempt = 1; ; attempt++) {
            try {
                http.processMessage(Referrals.freshBody(), "application/fhir+json", Referrals.freshHeaders());
                return;
            } catch (java.io.UncheckedIOException timedOut) {
                if (attempt == 4) {
                    throw timedOut;
                }
            }
        }
    }

    private static Map<String, String> platformToken() {
        return Map.of("Authorization", AdapterHttp.bearer(TestIssuer.linkWorkerPlatform(FHIR_PLATFORM)));
    }

    @Provide
    Arbitrary<String> platformEvents() {
        return Arbitraries.of(Fixtures.scenarios("events-from-link-worker/" + PLATFORM, ".json").stream()
                .filter(s -> !s.endsWith(".expected"))
                .map(s -> Fixtures.read("events-from-link-worker/" + PLATFORM + "/" + s + ".json")).toList());
    }

    // ---- mutations ------------------------------------------------------------------------------------------------

    enum Kind { DROP, DUPLICATE, REPLACE_WITH_TEXT, WRONG_TYPE, DEEP_NESTING, HUGE_ARRAY, TRUNCATE, RANDOM_BYTES }

    /** One change: what, where (an index into the places it can be made, modulo their number), and what text. */
    record Mutation(Kind kind, int where, String text) {
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(ODD_TEXT)),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1_000, 300_000)
                        .map(n -> "x".repeat(n))));
        Arbitrary<Mutation> one = Combinators.combine(Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, Integer.MAX_VALUE), text).as(Mutation::new);
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    /** Mutates a JSON document: tree changes on its fields and array items, or changes to its text. */
    static String mutateJson(String json, List<Mutation> mutations) {
        String text = json;
        for (Mutation mutation : mutations) {
            if (text.length() > 2_000_000) {
                return text; // far beyond the body limit already: refused 413 as it is
            }
            if (mutation.kind() == Kind.TRUNCATE || mutation.kind() == Kind.RANDOM_BYTES) {
                text = mutateText(text, List.of(mutation), false);
                continue;
            }
            JsonNode root;
            try {
                root = JSON.readTree(text);
            } catch (Exception notJsonAnyMore) {
                text = mutateText(text, List.of(mutation), false);
                continue;
            }
            if (root == null || !root.isContainerNode()) {
                continue;
            }
            List<Slot> slots = new ArrayList<>();
            collect(root, slots);
            if (slots.isEmpty()) {
                continue;
            }
            slots.get(mutation.where() % slots.size()).apply(mutation);
            text = root.toString()
                    .replace("\"" + DEEP + "\"", "[".repeat(5_000) + "]".repeat(5_000))
                    .replace("\"" + HUGE + "\"", "[" + "{\"a\":1},".repeat(15_000) + "{}]");
        }
        return text;
    }

    /** A place in a JSON tree: a field of an object or an item of an array. */
    private record Slot(JsonNode parent, String field, int index) {

        void apply(Mutation mutation) {
            JsonNode current = field != null ? parent.get(field) : parent.get(index);
            JsonNode replacement = switch (mutation.kind()) {
                case DROP -> null;
                case DUPLICATE -> current;
                case REPLACE_WITH_TEXT -> TextNode.valueOf(mutation.text());
                case WRONG_TYPE -> wrongType(current, mutation.where());
                case DEEP_NESTING -> TextNode.valueOf(DEEP);
                case HUGE_ARRAY -> TextNode.valueOf(HUGE);
                default -> current;
            };
            if (parent instanceof ObjectNode object) {
                if (mutation.kind() == Kind.DROP) {
                    object.remove(field);
                } else if (mutation.kind() == Kind.DUPLICATE) {
                    object.set(field, JSON.createArrayNode().add(current.deepCopy()).add(current.deepCopy()));
                } else {
                    object.set(field, replacement);
                }
            } else if (parent instanceof ArrayNode array) {
                if (mutation.kind() == Kind.DROP) {
                    array.remove(index);
                } else if (mutation.kind() == Kind.DUPLICATE) {
                    array.insert(index, current.deepCopy());
                } else {
                    array.set(index, replacement);
                }
            }
        }

        private static JsonNode wrongType(JsonNode current, int pick) {
            List<JsonNode> others = List.of(IntNode.valueOf(-1), DecimalNode.valueOf(new java.math.BigDecimal(
                    "123456789012345678901234567890.5")), BooleanNode.TRUE, NullNode.instance,
                    JSON.createArrayNode(), JSON.createObjectNode(), TextNode.valueOf("12"));
            List<JsonNode> different = others.stream().filter(o -> o.getNodeType() != current.getNodeType()).toList();
            return different.get(Math.floorMod(pick, different.size()));
        }
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> slots.add(new Slot(object, name, -1)));
            object.elements().forEachRemaining(child -> collect(child, slots));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }

    /** Mutates a document as text (XML, or JSON no longer parseable): lines, attribute values, bytes. */
    static String mutateText(String text, List<Mutation> mutations, boolean xml) {
        String result = text;
        for (Mutation mutation : mutations) {
            if (result.isEmpty() || result.length() > 2_000_000) {
                return result; // far beyond the body limit already: refused 413 as it is
            }
            List<String> lines = new ArrayList<>(List.of(result.split("\n", -1)));
            int line = mutation.where() % lines.size();
            int at = mutation.where() % result.length();
            Random random = new Random(mutation.where());
            switch (mutation.kind()) {
                case DROP -> lines.remove(line);
                case DUPLICATE -> lines.add(line, lines.get(line));
                case REPLACE_WITH_TEXT, WRONG_TYPE -> {
                    String replacement = mutation.kind() == Kind.WRONG_TYPE ? "true"
                            : xml && random.nextBoolean() ? escapeXml(mutation.text()) : mutation.text();
                    lines.set(line, lines.get(line).replaceFirst(xml ? "value=\"[^\"]*\"" : ":\\s*\"[^\"]*\"",
                            java.util.regex.Matcher.quoteReplacement(xml ? "value=\"" + replacement + "\""
                                    : ": \"" + replacement.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")));
                }
                case DEEP_NESTING -> lines.add(line, xml ? "<extension>".repeat(3_000) + "</extension>".repeat(3_000)
                        : "[".repeat(3_000) + "]".repeat(3_000) + ",");
                case HUGE_ARRAY -> {
                    // a line repeated: at most 100 characters of it (JSON text is one long line), so at most ~300 kB
                    String repeated = lines.get(line);
                    repeated = repeated.substring(0, Math.min(100, repeated.length()));
                    lines.add(line, (repeated + "\n").repeat(3_000));
                }
                case TRUNCATE -> {
                    return result.substring(0, at);
                }
                case RANDOM_BYTES -> {
                    StringBuilder noise = new StringBuilder();
                    for (int i = 0; i < 1 + random.nextInt(64); i++) {
                        noise.append((char) random.nextInt(0x10000));
                    }
                    result = result.substring(0, at) + noise + result.substring(at);
                    continue;
                }
                default -> { }
            }
            result = String.join("\n", lines);
        }
        return result;
    }

    private static String escapeXml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
