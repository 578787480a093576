package io.github.spfhir.adapter.inbound.http;

import static io.github.spfhir.adapter.support.SearchBundles.names;
import static io.github.spfhir.adapter.support.SearchBundles.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
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

import io.github.spfhir.adapter.domain.directory.DirectorySync;
import io.github.spfhir.adapter.store.SyncRun;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.DirectoryTables;
import io.github.spfhir.adapter.support.AdapterIntegrationTest;
import io.github.spfhir.adapter.support.OrukFeeds;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Location and distance search over real HTTP, after a sync of the fixtures with positions and postcodes
 * ({@code test-fixtures/directory-sync/oruk-v3/}: a library 0.19 km from the point searched, a harbour hall 2.75 km
 * and a hill farm 23.98 km away; the walks meet at the hall and the farm). {@code Location?near=} and
 * {@code address-postalcode=}, and their chains from HealthcareService; malformed values refused precisely.
 */
@AdapterIntegrationTest
class DirectoryLocationSearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The point searched near, and the same in a query. */
    private static final String POINT = "52.4153|-4.0829";

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
                OrukFeeds.record("farm-volunteering-service")));
        assertThat(sync.sync(OrukFeeds.SOURCE).state()).isEqualTo(SyncRun.SUCCEEDED);
        http = new AdapterHttp(port);
    }

    @AfterEach
    void tearDown() {
        TestPartners.reset();
    }

    /** Each entry's distance extension, as "value code" (the value without trailing zeros: JSON numbers lose them). */
    private static List<String> distances(JsonNode bundle) {
        List<String> distances = new ArrayList<>();
        bundle.path("entry").forEach(e -> {
            JsonNode extension = e.get("search").get("extension").get(0);
            assertThat(extension.get("url").asText()).isEqualTo("http://hl7.org/fhir/StructureDefinition/location-distance");
            JsonNode distance = extension.get("valueDistance");
            assertThat(distance.get("system").asText()).isEqualTo("http://unitsofmeasure.org");
            distances.add(new BigDecimal(distance.get("value").asText()).stripTrailingZeros().toPlainString() + " "
                    + distance.get("code").asText());
        });
        return distances;
    }

    private static String link(JsonNode bundle, String relation) {
        for (JsonNode link : bundle.path("link")) {
            if (relation.equals(link.get("relation").asText())) {
                return link.get("url").asText().substring("http://localhost:8080".length());
            }
        }
        return null;
    }

    @Test
    void locationsNearAPointComeNearestFirstWithTheirDistance() throws Exception {
        JsonNode bundle = http.getOk("/fhir/Location?near=" + q(POINT + "|5|km"));

        assertThat(bundle.get("type").asText()).isEqualTo("searchset");
        assertThat(bundle.get("total").asInt()).isEqualTo(2);
        assertThat(names(bundle)).containsExactly("Sample Town Library", "Sample Harbour Hall");
        assertThat(distances(bundle)).containsExactly("0.194 km", "2.754 km");
        assertThat(bundle.get("entry").get(0).get("search").get("mode").asText()).isEqualTo("match");
        assertThat(bundle.get("entry").get(0).get("resource").get("position").get("latitude").asDouble()).isEqualTo(52.414);
    }

    @Test
    void pagesOfANearSearchKeepTheDistanceOrder() throws Exception {
        JsonNode first = http.getOk("/fhir/Location?near=" + q(POINT + "|30|km") + "&_count=2");

        assertThat(first.get("total").asInt()).isEqualTo(3);
        assertThat(names(first)).containsExactly("Sample Town Library", "Sample Harbour Hall");
        assertThat(link(first, "next")).isEqualTo("/fhir/Location?near=" + q(POINT + "|30|km") + "&_count=2&_offset=2");
        JsonNode second = http.getOk(link(first, "next"));
        assertThat(names(second)).containsExactly("Sample Hill Farm");
        assertThat(distances(second)).containsExactly("23.98 km");
        assertThat(link(second, "next")).isNull();
    }

    @Test
    void unitsAreUcumAndDefaultToKilometresAndTheDistanceToTen() throws Exception {
        assertThat(distances(http.getOk("/fhir/Location?near=" + q(POINT + "|3000|m")))).containsExactly("194 m", "2754 m");
        // 2 international miles is 3.22 km
        assertThat(distances(http.getOk("/fhir/Location?near=" + q(POINT + "|2|[mi_i]")))).containsExactly("0.12 [mi_i]",
                "1.711 [mi_i]");
        assertThat(names(http.getOk("/fhir/Location?near=" + q(POINT + "|3")))).containsExactly("Sample Town Library",
                "Sample Harbour Hall");
        // no distance: 10 km
        assertThat(distances(http.getOk("/fhir/Location?near=" + q(POINT)))).containsExactly("0.194 km", "2.754 km");
    }

    @Test
    void servicesNearAPointComeInTheOrderOfTheirNearestLocation() throws Exception {
        JsonNode first = http.getOk("/fhir/HealthcareService?location.near=" + q(POINT + "|30|km") + "&_count=2");

        assertThat(first.get("total").asInt()).isEqualTo(3);
        // the walks are 2.754 km away at the harbour hall, though they also meet at the farm
        assertThat(names(first)).containsExactly("Sample Reading Group", "Sample Coastal Walks");
        assertThat(distances(first)).containsExactly("0.194 km", "2.754 km");
        JsonNode second = http.getOk(link(first, "next"));
        assertThat(names(second)).containsExactly("Sample Farm Volunteering");
        assertThat(distances(second)).containsExactly("23.98 km");

        assertThat(names(http.getOk("/fhir/HealthcareService?location.near=" + q(POINT + "|5|km"))))
                .containsExactly("Sample Reading Group", "Sample Coastal Walks");
        // with the other parameters: AND
        assertThat(names(http.getOk("/fhir/HealthcareService?location.near=" + q(POINT + "|30|km") + "&name=sample%20f")))
                .containsExactly("Sample Farm Volunteering");
        assertThat(names(http.getOk("/fhir/HealthcareService?location.near=" + q(POINT + "|30|km")
                + "&service-category=outdoors&_include=HealthcareService:location")))
                .containsExactly("Sample Coastal Walks", "Sample Farm Volunteering", "Sample Harbour Hall",
                        "Sample Hill Farm");
    }

    @Test
    void postalCodesMatchFromTheStartIgnoringCaseAndSpaces() throws Exception {
        JsonNode district = http.getOk("/fhir/Location?address-postalcode=zz98");
        assertThat(district.get("total").asInt()).isEqualTo(2);
        assertThat(names(district)).containsExactly("Sample Harbour Hall", "Sample Town Library");
        assertThat(district.get("entry").get(0).get("search").has("extension")).isFalse();

        assertThat(names(http.getOk("/fhir/Location?address-postalcode=ZZ981AA"))).containsExactly("Sample Town Library");
        assertThat(names(http.getOk("/fhir/Location?address-postalcode=" + q("zz98 1a")))).containsExactly("Sample Town Library");
        assertThat(names(http.getOk("/fhir/Location?near=" + q(POINT + "|30|km") + "&address-postalcode=ZZ97")))
                .containsExactly("Sample Hill Farm");
        assertThat(http.getOk("/fhir/Location?address-postalcode=ZZ96").get("total").asInt()).isZero();

        assertThat(names(http.getOk("/fhir/HealthcareService?location.address-postalcode=" + q("ZZ97 3CC"))))
                .containsExactly("Sample Coastal Walks", "Sample Farm Volunteering");
        assertThat(names(http.getOk("/fhir/HealthcareService?location.address-postalcode=ZZ981")))
                .containsExactly("Sample Reading Group");
    }

    @Test
    void malformedNearValuesAreRefusedWithAPreciseOperationOutcome() throws Exception {
        assertRefused("/fhir/Location?near=" + q("91|0|5|km"), "invalid", "near: the latitude must be between -90 and 90 degrees");
        assertRefused("/fhir/Location?near=" + q("-90.5|0"), "invalid", "near: the latitude must be between -90 and 90 degrees");
        assertRefused("/fhir/Location?near=" + q("52|181"), "invalid", "near: the longitude must be between -180 and 180 degrees");
        assertRefused("/fhir/Location?near=" + q("north|0"), "invalid", "near: the latitude must be a decimal number");
        assertRefused("/fhir/Location?near=" + q("NaN|0"), "invalid", "near: the latitude must be a decimal number");
        assertRefused("/fhir/Location?near=" + q("52|1e3"), "invalid", "near: the longitude must be a decimal number");
        assertRefused("/fhir/Location?near=" + q("|-4|5|km"), "invalid", "near: the latitude is missing");
        assertRefused("/fhir/Location?near=" + q("52|-4|0|km"), "invalid", "near: the distance must be more than 0");
        assertRefused("/fhir/Location?near=" + q("52|-4|-2|km"), "invalid", "near: the distance must be more than 0");
        assertRefused("/fhir/Location?near=" + q("52|-4|1001|km"), "invalid", "near: the distance must be at most 1000 km");
        assertRefused("/fhir/Location?near=" + q("52|-4|5|furlong"), "invalid",
                "near: the units must be km, m or [mi_i] (UCUM codes); without units the distance is in km");
        assertRefused("/fhir/Location?near=52", "invalid", "(2 to 4 parts separated by |)");
        assertRefused("/fhir/Location?near=" + q("52|-4|5|km|x"), "invalid", "it has 5");
        assertRefused("/fhir/HealthcareService?location.near=" + q("91|0"), "invalid",
                "location.near: the latitude must be between -90 and 90 degrees");
        assertRefused("/fhir/HealthcareService?location.address-postalcode=" + q("ZZ99 3CZ ZZ99 3CZ ZZ99 3CZ"), "invalid",
                "location.address-postalcode must be a postal code or its start, at most 20 characters besides spaces");

        // the point asked about is never quoted back: it may be where someone lives
        HttpResponse<String> tooFar = http.get("/fhir/Location?near=" + q("52.4153|-4.0829|5000|km"));
        assertThat(tooFar.body()).doesNotContain("52.4153").doesNotContain("4.0829");

        assertRefused("/fhir/Location?name=Sample", "not-supported", "Unsupported search parameter(s) [name]");
        assertRefused("/fhir/Location?near=" + q(POINT) + "&near=" + q(POINT), "not-supported", "[near]");
        assertRefused("/fhir/HealthcareService?near=" + q(POINT), "not-supported", "Unsupported search parameter(s) [near]");
        assertRefused("/fhir/Location?near=" + q(POINT) + "&_sort=near", "not-supported", "[_sort]");
    }

    private void assertRefused(String path, String code, String diagnostics) throws Exception {
        HttpResponse<String> response = http.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).as(path).isEqualTo(code);
        assertThat(issue.get("diagnostics").asText()).as(path).contains(diagnostics);
    }

    @Test
    void theCapabilityStatementSaysWhatIsSearchable() throws Exception {
        JsonNode rest = http.getOk("/fhir/metadata").get("rest").get(0);
        JsonNode location = null;
        JsonNode service = null;
        for (JsonNode resource : rest.get("resource")) {
            if (resource.get("type").asText().equals("Location")) {
                location = resource;
            } else if (resource.get("type").asText().equals("HealthcareService")) {
                service = resource;
            }
        }
        assertThat(location.get("interaction")).extracting(i -> i.get("code").asText()).containsExactly("read", "search-type");
        assertThat(location.get("searchParam")).extracting(p -> p.get("name").asText() + " " + p.get("type").asText()
                + " " + p.path("definition").asText("(ours, no definition)")).containsExactly(
                        "near special http://hl7.org/fhir/SearchParameter/Location-near",
                        "near-postcode special (ours, no definition)",
                        "address-postalcode string http://hl7.org/fhir/SearchParameter/Location-address-postalcode");
        JsonNode locationParameter = null;
        for (JsonNode parameter : service.get("searchParam")) {
            if (parameter.get("name").asText().equals("location")) {
                locationParameter = parameter;
            }
        }
        assertThat(locationParameter.get("documentation").asText()).contains("location.near=latitude|longitude|distance|units")
                .contains("location.address-postalcode=");
    }
}
