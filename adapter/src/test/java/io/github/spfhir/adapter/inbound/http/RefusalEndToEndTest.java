package io.github.spfhir.adapter.inbound.http;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.FhirResponses;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.GoldenFiles;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Every bad input gets its precise OperationOutcome and HTTP status, is stored as a refusal, and nothing reaches
 * a link-worker platform. The invalid messages are files in {@code test-fixtures/referral-to-link-worker/invalid}
 * with the expected answer beside each ({@code <scenario>.expected.json}: status and OperationOutcome).
 */
class RefusalEndToEndTest extends EndToEndTest {

    private static final String INVALID = "referral-to-link-worker/invalid";
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<String> invalidScenarios() {
        return Fixtures.scenarios(INVALID);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidScenarios")
    void invalidMessageGetsItsExpectedOperationOutcomeAndNothingIsDelivered(String scenario) throws Exception {
        Path bundleFile = Fixtures.bundleFile(INVALID, scenario);

        HttpResponse<String> response = http.processMessage(Files.readString(bundleFile),
                Fixtures.contentType(bundleFile), Fixtures.headers(INVALID, scenario));

        ObjectNode actual = JSON.createObjectNode();
        actual.put("status", response.statusCode());
        actual.set("outcome", FhirResponses.asJson(response));
        assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                .startsWith(Fixtures.contentType(bundleFile)); // answered in the encoding it was sent in
        GoldenFiles.assertMatches(bundleFile.resolveSibling(scenario + ".expected.json"), actual.toString());
        assertThat(response.statusCode()).isIn(400, 404, 409, 413, 415, 422);
        // nothing was delivered anywhere (the event poller's GETs of the platform's feed are not deliveries)
        assertThat(TestPartners.server().findAll(postRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void missingAndMalformedBarsHeadersAre400WithOneIssueEach() {
        Map<String, String> headers = Map.of("X-Correlation-ID", "not-a-uuid");

        HttpResponse<String> response = http.processMessage(Fixtures.read(Referrals.FULL_REFERRAL), "application/fhir+json", headers);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode issues = ReferralEndToEndTest.bodyAsJson(response).get("issue");
        assertThat(issues).hasSize(2);
        assertThat(issues.findValuesAsText("diagnostics")).containsExactly(
                "The X-Request-ID header is required (a UUID)", "The X-Correlation-ID header must be a UUID");
        assertThat(issues).extracting(issue -> issue.get("code").asText()).containsExactly("required", "value");
        assertThat(response.headers().firstValue("X-Correlation-ID")).isEmpty();
    }

    @Test
    void targetIdentifierThatIsNotBase64JsonIs400() {
        Map<String, String> headers = Referrals.freshHeaders();
        headers.put("NHSD-Target-Identifier", "%%%not-base64");

        HttpResponse<String> response = http.processMessage(Fixtures.read(Referrals.FULL_REFERRAL), "application/fhir+json", headers);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ReferralEndToEndTest.bodyAsJson(response).get("issue").get(0).get("diagnostics").asText())
                .isEqualTo("The NHSD-Target-Identifier header is not Base64-encoded JSON");
    }

    @Test
    void targetIdentifierNamingAnUnknownServiceIs404() {
        Map<String, String> headers = Referrals.freshHeaders();
        headers.put("NHSD-Target-Identifier", Fixtures.targetIdentifier("https://fhir.nhs.uk/Id/dos-service-id", "123"));

        HttpResponse<String> response = http.processMessage(Fixtures.read(Referrals.FULL_REFERRAL), "application/fhir+json", headers);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(ReferralEndToEndTest.bodyAsJson(response).get("issue").get(0).get("code").asText()).isEqualTo("not-found");
    }

    @Test
    void unsupportedMediaTypeIs415() {
        int before = store.countRejected(RejectionReason.UNSUPPORTED_MEDIA_TYPE);

        HttpResponse<String> response = http.processMessage(Fixtures.read(Referrals.FULL_REFERRAL), "text/plain", Referrals.freshHeaders());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(ReferralEndToEndTest.bodyAsJson(response).get("issue").get(0).get("code").asText()).isEqualTo("not-supported");
        assertThat(store.countRejected(RejectionReason.UNSUPPORTED_MEDIA_TYPE)).isEqualTo(before + 1);
    }

    @Test
    void versionedFhirMediaTypesAreAccepted() {
        String body = Referrals.freshBody();

        HttpResponse<String> response = http.processMessage(body, "application/fhir+json; version=1.0.0; charset=utf-8",
                Referrals.freshHeaders());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void bodyOverTheLimitIs413() {
        String huge = Fixtures.read(Referrals.FULL_REFERRAL).replace("\"Prefers a phone call in the morning.\"",
                "\"" + "x".repeat(250_000) + "\"");

        HttpResponse<String> response = http.processMessage(huge, "application/fhir+json", Referrals.freshHeaders());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(ReferralEndToEndTest.bodyAsJson(response).get("issue").get(0).get("code").asText()).isEqualTo("too-costly");
    }

    @Test
    void getOnProcessMessageIs405WithAnOperationOutcome() {
        HttpResponse<String> response = http.get("/fhir/$process-message");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(ReferralEndToEndTest.bodyAsJson(response).get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(response.headers().firstValue("Allow")).contains("POST");
    }

    @Test
    void unsupportedTaskSearchParameterIsRefusedNotIgnored() {
        HttpResponse<String> response = http.get("/fhir/Task?requester=RX9LW");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(ReferralEndToEndTest.bodyAsJson(response).get("issue").get(0).get("diagnostics").asText())
                .contains("[requester]");
    }
}
