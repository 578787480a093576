package io.github.spfhir.adapter.inbound.http;

import static io.github.spfhir.adapter.support.SearchBundles.names;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Reference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.domain.directory.DirectoryIds;
import io.github.spfhir.adapter.domain.directory.DirectorySync;
import io.github.spfhir.adapter.domain.directory.Translations;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.SyncRun;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.DirectoryTables;
import io.github.spfhir.adapter.support.AdapterIntegrationTest;
import io.github.spfhir.adapter.support.OrukFeeds;
import io.github.spfhir.adapter.support.TestPartners;

/** Reading and searching the directory's HealthcareServices over real HTTP, after a sync from a WireMock feed. */
@AdapterIntegrationTest
class HealthcareServiceEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = "Organization/" + DirectoryIds.of("Organization", OrukFeeds.SOURCE,
            OrukFeeds.ORGANISATION);

    @LocalServerPort
    int port;

    @Autowired
    DirectorySync sync;

    @Autowired
    DirectoryStore directoryStore;

    @Autowired
    JdbcClient jdbc;

    AdapterHttp http;

    @BeforeEach
    void setUp() {
        TestPartners.reset();
        DirectoryTables.clearResources(jdbc);
        OrukFeeds.serve(List.of(OrukFeeds.record("full-service"), OrukFeeds.record("minimal-service"),
                OrukFeeds.record("closed-service")));
        assertThat(sync.sync("example-oruk").state()).isEqualTo(SyncRun.SUCCEEDED);
        http = new AdapterHttp(port);
    }

    @AfterEach
    void tearDown() {
        TestPartners.reset();
    }

    private JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void readsAServiceByIdWithItsVersion() throws Exception {
        String id = DirectoryIds.of("HealthcareService", "example-oruk", OrukFeeds.FULL);

        HttpResponse<String> response = http.get("/fhir/HealthcareService/" + id);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).isPresent();
        JsonNode service = json(response);
        assertThat(service.get("name").asText()).isEqualTo("Example Walking Group");
        assertThat(service.get("meta").get("versionId").asText()).isNotBlank();

        HttpResponse<String> unknown = http.get("/fhir/HealthcareService/no-such-service");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("issue").get(0).get("code").asText()).isEqualTo("not-found");
    }

    @Test
    void searchesByNamePrefixAndActiveInNameOrder() throws Exception {
        JsonNode bundle = json(http.get("/fhir/HealthcareService?name=example&active=true&organization=" + ORG.substring(13)
                + "&_count=50"));

        assertThat(bundle.get("type").asText()).isEqualTo("searchset");
        assertThat(bundle.get("total").asInt()).isEqualTo(1);
        assertThat(names(bundle)).containsExactly("Example Walking Group");
        assertThat(bundle.get("entry").get(0).get("search").get("mode").asText()).isEqualTo("match");

        JsonNode both = json(http.get("/fhir/HealthcareService?name=Example%20&active=true"));
        assertThat(names(both)).containsSubsequence("Example Befriending Calls", "Example Walking Group")
                .doesNotContain("Example Lunch Club");
    }

    @Test
    void pagesWithANextLink() throws Exception {
        JsonNode first = json(http.get("/fhir/HealthcareService?name=example&_count=1"));

        assertThat(first.get("total").asInt()).isEqualTo(3);
        assertThat(names(first)).containsExactly("Example Befriending Calls");
        String next = linkUrl(first, "next");
        assertThat(next).isEqualTo("http://localhost:8080/fhir/HealthcareService?name=example&_count=1&_offset=1");

        JsonNode second = json(http.get(next.substring("http://localhost:8080".length())));
        assertThat(names(second)).containsExactly("Example Lunch Club");
        JsonNode third = json(http.get(linkUrl(second, "next").substring("http://localhost:8080".length())));
        assertThat(names(third)).containsExactly("Example Walking Group");
        assertThat(linkUrl(third, "next")).isNull();
    }

    @Test
    void searchesByCategoryTypeAndInactive() throws Exception {
        String system = DirectoryIds.taxonomySystem("example-oruk", "Example Taxonomy");
        assertThat(names(json(http.get("/fhir/HealthcareService?service-category=activities")))).containsExactly("Example Walking Group");
        assertThat(names(json(http.get("/fhir/HealthcareService?service-category=" + system + "%7Cactivities"))))
                .containsExactly("Example Walking Group");
        assertThat(names(json(http.get("/fhir/HealthcareService?service-type=walking")))).containsExactly("Example Walking Group");
        assertThat(names(json(http.get("/fhir/HealthcareService?active=false&organization=" + ORG))))
                .containsExactly("Example Lunch Club");
    }

    @Test
    void unsupportedOrInvalidParametersAreRefusedWithAnOperationOutcome() throws Exception {
        HttpResponse<String> revinclude = http.get("/fhir/HealthcareService?_revinclude=Endpoint:organization");
        assertThat(revinclude.statusCode()).isEqualTo(400);
        assertThat(json(revinclude).get("issue").get(0).get("code").asText()).isEqualTo("not-supported");
        assertThat(json(revinclude).get("issue").get(0).get("diagnostics").asText()).contains("_revinclude");
        HttpResponse<String> include = http.get("/fhir/HealthcareService?_include=HealthcareService:endpoint");
        assertThat(include.statusCode()).isEqualTo(400);
        assertThat(json(include).get("issue").get(0).get("diagnostics").asText()).contains("HealthcareService:endpoint");

        HttpResponse<String> active = http.get("/fhir/HealthcareService?active=maybe");
        assertThat(active.statusCode()).isEqualTo(400);
        assertThat(json(active).get("issue").get(0).get("code").asText()).isEqualTo("invalid");

        assertThat(http.get("/fhir/HealthcareService?_count=0").statusCode()).isEqualTo(400);
        assertThat(http.get("/fhir/HealthcareService?name=a&name=b").statusCode()).isEqualTo(400);
    }

    private static String linkUrl(JsonNode bundle, String relation) {
        for (JsonNode link : bundle.path("link")) {
            if (relation.equals(link.get("relation").asText())) {
                return link.get("url").asText();
            }
        }
        return null;
    }

    @Test
    void acceptLanguageWelshGivesTheWelshNameWhereOneIsHeld() throws Exception {
        HealthcareService service = new HealthcareService();
        service.setId(DirectoryIds.of("HealthcareService", "welsh-test", "w1"));
        service.addIdentifier().setSystem(DirectoryIds.identifierSystem("welsh-test")).setValue("w1");
        service.setActive(true);
        service.setProvidedBy(new Reference("Organization/welsh-test-org"));
        service.setName("Test Choir");
        Translations.add(service.getNameElement(), Translations.WELSH, "Côr Prawf");
        long run = directoryStore.startRun("welsh-test", SyncRun.FULL);
        directoryStore.upsert("welsh-test", run, List.of(service));
        String path = "/fhir/HealthcareService/" + service.getIdElement().getIdPart();

        HttpResponse<String> welsh = http.get(path, "application/fhir+json", Map.of("Accept-Language", "cy-GB, en;q=0.5"));
        HttpResponse<String> english = http.get(path, "application/fhir+json", Map.of("Accept-Language", "en, cy;q=0.5"));
        HttpResponse<String> none = http.get(path);

        assertThat(json(welsh).get("name").asText()).isEqualTo("Côr Prawf");
        assertThat(welsh.headers().firstValue("Content-Language")).contains("cy");
        assertThat(json(welsh).get("_name").toString()).contains("Test Choir").contains("\"en\"");
        assertThat(json(english).get("name").asText()).isEqualTo("Test Choir");
        assertThat(json(none).get("name").asText()).isEqualTo("Test Choir");
        assertThat(json(none).get("_name").toString()).contains("Côr Prawf");
        assertThat(none.headers().firstValue("Content-Language")).isEmpty();

        JsonNode search = json(http.get("/fhir/HealthcareService?name=test%20choir", "application/fhir+json",
                Map.of("Accept-Language", "cy")));
        assertThat(names(search)).containsExactly("Côr Prawf");
        // a service without Welsh keeps its English name
        assertThat(names(json(http.get("/fhir/HealthcareService?name=example%20walking", "application/fhir+json",
                Map.of("Accept-Language", "cy"))))).containsExactly("Example Walking Group");
    }

    @Test
    void includesTheOrganizationAndLocationsOfThePageOnce() throws Exception {
        JsonNode bundle = json(http.get("/fhir/HealthcareService?name=example&organization=" + ORG
                + "&_include=HealthcareService:organization&_include=HealthcareService:location&_count=1"));

        assertThat(bundle.get("total").asInt()).isEqualTo(2);
        List<String> entries = new java.util.ArrayList<>();
        bundle.get("entry").forEach(e -> entries.add(e.get("search").get("mode").asText() + " "
                + e.get("resource").get("resourceType").asText()));
        // page 1 in name order is the Lunch Club: its organisation and its (virtual) location
        assertThat(entries).containsExactly("match HealthcareService", "include Organization", "include Location");
        assertThat(linkUrl(bundle, "next")).contains("_include=HealthcareService%3Alocation")
                .contains("_include=HealthcareService%3Aorganization");
        String organizationUrl = bundle.get("entry").get(1).get("fullUrl").asText();
        assertThat(organizationUrl).isEqualTo("http://localhost:8080/fhir/" + ORG);

        HttpResponse<String> organization = http.get("/fhir/" + ORG);
        assertThat(organization.statusCode()).isEqualTo(200);
        assertThat(json(organization).get("name").asText()).isEqualTo("Example Community Trust");
        String location = bundle.get("entry").get(2).get("resource").get("id").asText();
        assertThat(http.get("/fhir/Location/" + location).statusCode()).isEqualTo(200);
        assertThat(http.get("/fhir/Location/no-such-location").statusCode()).isEqualTo(404);
    }
}
