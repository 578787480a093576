package io.github.spfhir.adapter.inbound.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.spfhir.adapter.support.SearchBundles.names;
import static io.github.spfhir.adapter.support.SearchBundles.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.github.spfhir.adapter.domain.directory.DirectoryIds;
import io.github.spfhir.adapter.domain.directory.DirectorySync;
import io.github.spfhir.adapter.store.SyncRun;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.DirectoryTables;
import io.github.spfhir.adapter.support.AdapterIntegrationTest;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.OrukFeeds;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Postcode and distance search over real HTTP, through the postcode lookup's stubs ({@code test-fixtures/wiremock},
 * {@code example-postcodes-*}: ZZ99 4PC is at 52.4153, -4.0829, the point {@link DirectoryLocationSearchTest}
 * searches near, so the distances are the same). Each test syncs the located fixtures and a service whose location
 * has only a postcode ({@code test-fixtures/directory-sync/postcodes/}), which the sync places at its postcode.
 */
@AdapterIntegrationTest
class DirectoryPostcodeSearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POSTCODE_ONLY = Fixtures.read("directory-sync/postcodes/postcode-only-service.service.json");
    private static final String POSTCODE_ONLY_LOCATION = "8e2f3a41-5b6c-4d7e-9f0a-1b2c3d4e5f71";

    @LocalServerPort
    int port;

    @Autowired
    DirectorySync sync;

    @Autowired
    JdbcClient jdbc;

    AdapterHttp http;

    @BeforeEach
    void setUp() {
        TestPartners.reset();
        DirectoryTables.clearResources(jdbc);
        OrukFeeds.serve(List.of(OrukFeeds.record("reading-group-service"), OrukFeeds.record("coastal-walks-service"),
                OrukFeeds.record("farm-volunteering-service"), POSTCODE_ONLY));
        assertThat(sync.sync(OrukFeeds.SOURCE).state()).isEqualTo(SyncRun.SUCCEEDED);
        http = new AdapterHttp(port);
    }

    @AfterEach
    void tearDown() {
        TestPartners.reset();
    }

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = http.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static List<String> distancesKm(JsonNode bundle) {
        List<String> distances = new ArrayList<>();
        bundle.path("entry").forEach(e -> distances.add(new java.math.BigDecimal(e.get("search").get("extension").get(0)
                .get("valueDistance").get("value").asText()).stripTrailingZeros().toPlainString()));
        return distances;
    }

    private String locationId() {
        return DirectoryIds.of("Location", OrukFeeds.SOURCE, POSTCODE_ONLY_LOCATION);
    }

    @Test
    void theSyncPlacesALocationThatHasOnlyAPostcodeAtThatPostcode() throws Exception {
        JsonNode location = get("/fhir/Location/" + locationId(), 200);

        assertThat(location.get("position").get("latitude").asDouble()).isEqualTo(52.4153);
        assertThat(location.get("position").get("longitude").asDouble()).isEqualTo(-4.0829);
        assertThat(location.get("address").get("postalCode").asText()).isEqualTo("ZZ99 4PC");
    }

    @Test
    void locationsNearAPostcodeComeNearestFirstWithTheirDistance() throws Exception {
        JsonNode bundle = get("/fhir/Location?near-postcode=" + q("ZZ99 4PC|5|km"), 200);

        assertThat(bundle.get("total").asInt()).isEqualTo(3);
        assertThat(names(bundle)).containsExactly("Sample Postcode Hall", "Sample Town Library", "Sample Harbour Hall");
        assertThat(distancesKm(bundle)).containsExactly("0", "0.194", "2.754");
        assertThat(TestPartners.server().findAll(WireMock.getRequestedFor(WireMock.urlPathMatching(
                "/example-postcodes/postcodes/.*")))).hasSizeLessThanOrEqualTo(1); // then from the cache
    }

    @Test
    void servicesNearAPostcodeAreChainedThroughTheirLocationsAndTheNextLinkKeepsTheParameter() throws Exception {
        JsonNode bundle = get("/fhir/HealthcareService?location.near-postcode=" + q("zz994pc|5000|m") + "&_count=2", 200);

        assertThat(bundle.get("total").asInt()).isEqualTo(3);
        assertThat(names(bundle)).containsExactly("Sample Postcode Lunch Club", "Sample Reading Group");
        assertThat(distancesKm(bundle)).containsExactly("0", "194");
        String next = null;
        for (JsonNode link : bundle.get("link")) {
            if (link.get("relation").asText().equals("next")) {
                next = link.get("url").asText().substring("http://localhost:8080".length());
            }
        }
        assertThat(names(get(next, 200))).containsExactly("Sample Coastal Walks");
    }

    @Test
    void aPostcodeTheLookupDoesNotKnowIsA400ThatDoesNotQuoteIt() throws Exception {
        HttpResponse<String> response = http.get("/fhir/Location?near-postcode=" + q("ZZ99 5XY|5|km"));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).isEqualTo("invalid");
        assertThat(issue.get("diagnostics").asText()).contains("near-postcode: the postcode is not known");
        assertThat(response.body()).doesNotContain("ZZ99 5XY").doesNotContain("ZZ995XY");
    }

    @Test
    void aLookupThatCannotAnswerIsA503TransientNeverA500() throws Exception {
        TestPartners.server().stubFor(WireMock.get(urlPathEqualTo("/example-postcodes/postcodes/ZZ996PC")).atPriority(0)
                .willReturn(aResponse().withStatus(502)));

        HttpResponse<String> response = http.get("/fhir/HealthcareService?location.near-postcode=" + q("ZZ99 6PC"));

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).isEqualTo("transient");
        assertThat(issue.get("diagnostics").asText()).contains("the postcode lookup cannot answer now (HTTP 502)");
        assertThat(response.body()).doesNotContain("ZZ99 6PC").doesNotContain("ZZ996PC");
    }

    @Test
    void malformedValuesAreRefusedBeforeAnyLookupWithoutQuotingThem() throws Exception {
        TestPartners.server().resetRequests();
        for (String value : List.of("nowhere", "ZZ99 4PC|0|km", "ZZ99 4PC|5|furlong", "ZZ99 4PC|5|km|extra", "ZZ99|5|km",
                "|5|km")) {
            HttpResponse<String> response = http.get("/fhir/Location?near-postcode=" + q(value));
            assertThat(response.statusCode()).as(value).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("issue").get(0).get("diagnostics").asText()).as(value)
                    .startsWith("near-postcode").doesNotContain("nowhere").doesNotContain("furlong");
        }
        assertThat(get("/fhir/Location?near=" + q("52.4|-4.1|5|km") + "&near-postcode=" + q("ZZ99 4PC"), 400)
                .get("issue").get(0).get("diagnostics").asText()).isEqualTo("Give near or near-postcode, not both");
        assertThat(TestPartners.server().findAll(WireMock.getRequestedFor(WireMock.urlPathMatching(
                "/example-postcodes/.*")))).isEmpty();
    }

    @Test
    void aLookupThatFailsDuringASyncLeavesTheLocationWithoutAPositionAndTheSyncSucceeds() throws Exception {
        TestPartners.server().stubFor(post(urlPathEqualTo("/example-postcodes/postcodes")).atPriority(0)
                .willReturn(aResponse().withStatus(500)));
        // the same location now at a postcode not looked up before (ZZ99 4PC is remembered by the cache)
        OrukFeeds.serve(List.of(POSTCODE_ONLY.replace("ZZ99 4PC", "ZZ99 7PC")));

        assertThat(sync.sync(OrukFeeds.SOURCE).state()).isEqualTo(SyncRun.SUCCEEDED);

        TestPartners.server().verify(postRequestedFor(urlPathEqualTo("/example-postcodes/postcodes")));
        JsonNode location = get("/fhir/Location/" + locationId(), 200);
        assertThat(location.get("address").get("postalCode").asText()).isEqualTo("ZZ99 7PC");
        assertThat(location.has("position")).isFalse();
    }

    @Test
    void theCapabilityStatementListsThePostcodeSearches() throws Exception {
        JsonNode metadata = get("/fhir/metadata", 200);
        List<String> locationParameters = new ArrayList<>();
        String serviceLocationDocumentation = "";
        for (JsonNode resource : metadata.get("rest").get(0).get("resource")) {
            if (resource.get("type").asText().equals("Location")) {
                resource.get("searchParam").forEach(p -> locationParameters.add(p.get("name").asText()));
            }
            if (resource.get("type").asText().equals("HealthcareService")) {
                for (JsonNode p : resource.get("searchParam")) {
                    if (p.get("name").asText().equals("location")) {
                        serviceLocationDocumentation = p.get("documentation").asText();
                    }
                }
            }
        }
        assertThat(locationParameters).contains("near", "near-postcode", "address-postalcode");
        assertThat(serviceLocationDocumentation).contains("location.near-postcode=postcode|distance|units");
    }
}
