package io.github.spfhir.adapter.inbound.http;

import static io.github.spfhir.adapter.support.AdapterHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestIssuer;

/**
 * The hostile and broken input of issue #6 not covered elsewhere (malformed JSON and XML, DOCTYPE and external
 * entities, invalid NHS numbers, future birth dates, a MessageHeader focus pointing nowhere are
 * {@code RefusalEndToEndTest}'s fixtures; out-of-range and unknown scores and codes are the event and Observation
 * tests'; size and media type limits {@code RefusalEndToEndTest}'s): deep nesting and huge arrays, header injection,
 * markup in free text, references that point nowhere, a malformed ODS code, a code outside its value set. Each is
 * answered with an OperationOutcome and the right status, writes nothing, and the adapter keeps serving.
 */
class HostileInputEndToEndTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> WRITTEN = List.of("inbound_message", "fhir_resource", "fhir_resource_history",
            "delivery", "platform_event");
    private static final String MARKUP = "<script>alert('x')</script><b onmouseover=\"steal()\">Call</b> & \"quote\"";

    @Autowired
    private JdbcClient jdbc;

    /** What a test set off reaches its partners before the next test resets their stubs. */
    @AfterEach
    void deliveriesSettle() {
        await().atMost(Duration.ofSeconds(30)).until(() -> store.countDeliveries(DeliveryState.PENDING) == 0);
    }

    @Test
    void deeplyNestedJsonIs400WithoutAWriteAndTheAdapterKeepsServing() throws Exception {
        String nested = "[".repeat(20_000) + "]".repeat(20_000);
        ObjectNode referral = freshReferral();
        String body = referral.toString().replace("\"Prefers a phone call in the morning.\"", nested);
        assertRefused(() -> http.processMessage(body, "application/fhir+json", Referrals.freshHeaders()), 400,
                "structure");

        String event = Fixtures.read("events-from-link-worker/example-linkworker/referral-accepted.json")
                .replace("\"LW-0042\"", "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000));
        assertRefused(() -> http.post("/platforms/example-linkworker/events", event, "application/json"), 400,
                "structure");

        assertKeepsServing();
    }

    /**
     * Huge arrays within the body limit (beyond it is 413, {@code RefusalEndToEndTest}): answered in time, never a
     * 500, and all or nothing. 30,000 empty Bundle entries carry nothing and are dropped by the FHIR parser (a
     * referral is read from the entries that are there); an array of numbers is not an event.
     */
    @Test
    void hugeArraysAreAnsweredInTimeWholeOrNothingNeverA500() throws Exception {
        ObjectNode referral = freshReferral();
        ArrayNode entries = (ArrayNode) referral.get("entry");
        for (int i = 0; i < 30_000; i++) {
            entries.addObject();
        }
        Map<String, Integer> before = counts();
        HttpResponse<String> answer = http.processMessage(referral.toString(), "application/fhir+json",
                Referrals.freshHeaders());
        assertThat(answer.statusCode()).as(abbreviated(answer.body())).isLessThan(500);
        if (answer.statusCode() == 200) {
            String referralId = Referrals.referralId(answer);
            assertThat(store.readResource("ServiceRequest", referralId)).isPresent();
            assertThat(store.deliveriesForReferral(referralId)).isNotEmpty();
        } else {
            assertThat(issueCodes(answer)).isNotEmpty();
            assertThat(counts()).isEqualTo(before);
        }

        String numbers = "[" + "0,".repeat(60_000) + "0]";
        assertRefused(() -> http.post("/platforms/example-linkworker/events", numbers, "application/json"), 400,
                "structure", "invalid", "value", "required");
        // 400 events in one post, all the same: one is applied or refused, the rest are its duplicates
        String event = Fixtures.read("events-from-link-worker/example-linkworker/referral-accepted.json")
                .replaceAll("\\s+", "");
        String many = "[" + (event + ",").repeat(400).replaceAll(",$", "") + "]";
        HttpResponse<String> manyEvents = http.post("/platforms/example-linkworker/events", many, "application/json");
        assertThat(manyEvents.statusCode()).as(abbreviated(manyEvents.body())).isLessThan(500);

        assertKeepsServing();
    }

    @Test
    void headerValuesThatAreTooLongOrNotIdsAreRefusedAndNeverEchoed() throws Exception {
        Map<String, Integer> before = counts();
        Map<String, String> overlong = Referrals.freshHeaders();
        overlong.put("X-Correlation-ID", "a".repeat(4_000));
        HttpResponse<String> tooLong = http.processMessage(Referrals.freshBody(), "application/fhir+json", overlong);
        assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
        assertThat(issueCodes(tooLong)).isNotEmpty();
        assertThat(diagnostics(tooLong)).contains("X-Correlation-ID").doesNotContain("aaaaaaaaaa");
        assertThat(tooLong.headers().map().values()).noneSatisfy(v -> assertThat(v.toString()).contains("aaaaaaaaaa"));

        Map<String, String> markup = Referrals.freshHeaders();
        markup.put("X-Request-ID", "<script>alert(1)</script>");
        HttpResponse<String> notAnId = http.processMessage(Referrals.freshBody(), "application/fhir+json", markup);
        assertThat(notAnId.statusCode()).as(notAnId.body()).isEqualTo(400);
        assertThat(notAnId.body()).doesNotContain("<script>");
        assertThat(notAnId.headers().map().values()).noneSatisfy(v -> assertThat(v.toString()).contains("script"));
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anEventWithAnOverlongOrMalformedRequestIdIsRefused400NeverA503() throws Exception {
        String referral = Referrals.accept(http);
        String event = Fixtures.read("events-from-link-worker/example-linkworker/referral-accepted.json")
                .replace("f5734bcf-1914-34e7-804e-97a914692ac3", referral);
        Map<String, Integer> before = counts();
        for (String requestId : List.of("b".repeat(4_000), "<script>alert(1)</script>")) {
            HttpResponse<String> answer = http.post("/platforms/example-linkworker/events", event, "application/json",
                    Map.of("X-Request-ID", requestId));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
            assertThat(diagnostics(answer)).contains("X-Request-ID").doesNotContain("bbbbbbbbbb")
                    .doesNotContain("<script>");
        }
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aReferralWithAnOverlongContentTypeIsTakenNeverA503() {
        HttpResponse<String> answer = http.processMessage(Referrals.freshBody(),
                "application/fhir+json; charset=utf-8; x-padding=" + "p".repeat(400), Referrals.freshHeaders());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /** A CR/LF smuggled into a header (sent raw: HTTP clients refuse to) does not add a header to the answer. */
    @Test
    void aHeaderWithAnInjectedLineBreakDoesNotSplitTheAnswer() throws Exception {
        String body = Referrals.freshBody();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String request = "POST /fhir/$process-message HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Authorization: " + bearer(TestIssuer.gpSystem(TestIssuer.FIXTURE_PRACTICE)) + "\r\n"
                + "Content-Type: application/fhir+json\r\n"
                + "X-Request-ID: " + UUID.randomUUID() + "\r\n"
                + "X-Correlation-ID: " + UUID.randomUUID() + "\rSet-Cookie: injected=1\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + "Connection: close\r\n\r\n";
        String answer;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            in.transferTo(read);
            answer = read.toString(StandardCharsets.UTF_8);
        }
        String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n")));
        assertThat(head).startsWith("HTTP/1.1 400");
        assertThat(head.toLowerCase(java.util.Locale.ROOT)).doesNotContain("set-cookie").doesNotContain("injected")
                .contains("content-type: application/fhir+json");
        // refused by the web server before the adapter read it, still as an OperationOutcome (never its HTML page)
        JsonNode outcome = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(outcome.get("issue").get(0).get("code").asText()).isEqualTo("invalid");
        assertKeepsServing();
    }

    @Test
    void markupInFreeTextIsStoredAsTextAndReturnedEscapedNeverAsHtml() throws Exception {
        ObjectNode referral = freshReferral();
        ((ObjectNode) serviceRequest(referral).get("note").get(0)).put("text", MARKUP);
        HttpResponse<String> accepted = http.processMessage(referral.toString(), "application/fhir+json",
                Referrals.freshHeaders());
        String referralId = Referrals.referralId(accepted);

        HttpResponse<String> asJson = http.get("/fhir/ServiceRequest/" + referralId, "application/fhir+json");
        assertThat(asJson.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
        assertThat(asJson.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(JSON.readTree(asJson.body()).get("note").get(0).get("text").asText()).isEqualTo(MARKUP);
        // in JSON the quotes are escaped; the text is a string value, never markup of the answer
        assertThat(asJson.body()).contains("\\\"quote\\\"");

        HttpResponse<String> asXml = http.get("/fhir/ServiceRequest/" + referralId, "application/fhir+xml");
        assertThat(asXml.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+xml");
        // XML-escaped: in an attribute value, so no element of the answer
        assertThat(asXml.body()).doesNotContain("<script>").contains("&lt;script");

        HttpResponse<String> asHtml = http.get("/fhir/ServiceRequest/" + referralId, "text/html");
        assertThat(asHtml.headers().firstValue("Content-Type").orElse("")).doesNotContain("html");
    }

    @Test
    void referencesThatPointNowhereAreRefusedWithoutAWrite() throws Exception {
        ObjectNode toNowhere = freshReferral();
        ((ObjectNode) serviceRequest(toNowhere).get("subject")).put("reference",
                "urn:uuid:" + UUID.randomUUID());
        assertRefused(() -> http.processMessage(toNowhere.toString(), "application/fhir+json",
                Referrals.freshHeaders()), 422, "invalid", "required", "not-found", "structure", "processing");

        ObjectNode requesterNowhere = freshReferral();
        ((ObjectNode) serviceRequest(requesterNowhere).get("requester")).put("reference", "PractitionerRole/absent");
        assertRefused(() -> http.processMessage(requesterNowhere.toString(), "application/fhir+json",
                Referrals.freshHeaders()), 422, "invalid", "required", "not-found", "structure", "processing");

        // an outcome measure about a referral not held
        String observation = Fixtures.read("events-from-link-worker/fhir/observation/wemwbs-baseline.observation.json")
                .replace("f5734bcf-1914-34e7-804e-97a914692ac3", UUID.randomUUID().toString());
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Request-ID", UUID.randomUUID().toString());
        headers.put("Authorization", bearer(TestIssuer.linkWorkerPlatform("example-fhir-platform")));
        assertRefused(() -> http.post("/fhir/Observation", observation, "application/fhir+json", headers), 404,
                "not-found");
    }

    @Test
    void aMalformedOdsCodeIsRefusedWithoutAWrite() throws Exception {
        for (String malformed : List.of("A8100!", "A81001A81001A81001", "a81001'--")) {
            String body = Referrals.freshBody().replace(TestIssuer.FIXTURE_PRACTICE, malformed);
            Map<String, String> headers = Referrals.freshHeaders();
            // the sender's own token names the same (malformed) code, so the refusal is about the code itself
            headers.put("Authorization", bearer(TestIssuer.gpSystem(malformed)));
            assertRefused(() -> http.processMessage(body, "application/fhir+json", headers), 422, "invalid", "value",
                    "code-invalid", "business-rule", "structure");
        }
    }

    @Test
    void aCodeOutsideItsValueSetIsRefusedWithoutAWrite() throws Exception {
        ObjectNode referral = freshReferral();
        serviceRequest(referral).put("priority", "super-urgent");
        assertRefused(() -> http.processMessage(referral.toString(), "application/fhir+json",
                Referrals.freshHeaders()), 400, "structure", "value", "code-invalid", "invalid");
    }

    // ----------------------------------------------------------------------------------------------------------------

    private interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** Refused with this status (a 400 and 422 are told apart by the adapter: either is precise) and nothing kept. */
    private void assertRefused(Call call, int status, String... issueCodes) throws Exception {
        Map<String, Integer> before = counts();
        HttpResponse<String> answer = call.send();
        assertThat(answer.statusCode()).as(abbreviated(answer.body())).isIn(status, status == 400 ? 422 : 400);
        assertThat(issueCodes(answer)).as(abbreviated(answer.body())).containsAnyOf(issueCodes);
        assertThat(counts()).as("nothing written").isEqualTo(before);
    }

    private void assertKeepsServing() {
        Referrals.accept(http);
    }

    private static ObjectNode freshReferral() throws Exception {
        return (ObjectNode) JSON.readTree(Referrals.freshBody());
    }

    private static ObjectNode serviceRequest(ObjectNode bundle) {
        for (JsonNode entry : bundle.get("entry")) {
            if (entry.path("resource").path("resourceType").asText().equals("ServiceRequest")) {
                return (ObjectNode) entry.get("resource");
            }
        }
        throw new AssertionError("no ServiceRequest in the fixture");
    }

    private static List<String> issueCodes(HttpResponse<String> answer) throws Exception {
        JsonNode outcome = JSON.readTree(answer.body());
        assertThat(outcome.path("resourceType").asText()).as(abbreviated(answer.body())).isEqualTo("OperationOutcome");
        return outcome.get("issue").findValuesAsText("code").stream().filter(c -> !c.contains("_")).toList();
    }

    private static String diagnostics(HttpResponse<String> answer) throws Exception {
        return JSON.readTree(answer.body()).get("issue").findValuesAsText("diagnostics").toString();
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        WRITTEN.forEach(t -> counts.put(t, jdbc.sql("select count(*) from " + t).query(Integer.class).single()));
        return counts;
    }

    private static String abbreviated(String body) {
        return body == null || body.length() < 800 ? body : body.substring(0, 800) + "...";
    }
}
