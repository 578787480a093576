package io.github.spfhir.adapter.inbound.http;

import static io.github.spfhir.adapter.support.SearchBundles.names;
import static io.github.spfhir.adapter.support.SearchBundles.q;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;
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
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.SyncRun;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.DirectoryTables;
import io.github.spfhir.adapter.support.AdapterIntegrationTest;
import io.github.spfhir.adapter.support.OrukFeeds;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * {@code GET /fhir/Organization?name=&identifier=&_count=&_offset=} over real HTTP: three organisations of a source
 * of this test's own ("Org Search Test A/B/C"), stored before each test, and the synced ORUK fixture's organisation;
 * paging links; refusals of what is not supported; the CapabilityStatement.
 */
@AdapterIntegrationTest
class DirectoryOrganizationSearchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SOURCE = "org-search-test";

    @LocalServerPort
    int port;

    @Autowired
    DirectoryStore store;

    @Autowired
    DirectorySync sync;

    @Autowired
    JdbcClient jdbc;

    AdapterHttp http;

    @BeforeEach
    void setUp() {
        TestPartners.reset();
        DirectoryTables.clearResources(jdbc);
        List<Resource> organisations = new ArrayList<>();
        for (String letter : List.of("C", "A", "B")) {
            Organization organisation = new Organization();
            organisation.setId(DirectoryIds.of("Organization", SOURCE, letter.toLowerCase()));
            organisation.addIdentifier().setSystem(DirectoryIds.identifierSystem(SOURCE)).setValue("org-" + letter);
            organisation.setActive(true);
            organisation.setName("Org Search Test " + letter);
            organisations.add(organisation);
        }
        store.upsert(SOURCE, store.startRun(SOURCE, SyncRun.FULL), organisations);
        OrukFeeds.serve(List.of(OrukFeeds.record("full-service")));
        assertThat(sync.sync(OrukFeeds.SOURCE).state()).isEqualTo(SyncRun.SUCCEEDED);
        http = new AdapterHttp(port);
    }

    @AfterEach
    void tearDown() {
        TestPartners.reset();
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
    void searchesByNamePrefixInNameOrderWithNextLinks() throws Exception {
        JsonNode first = http.getOk("/fhir/Organization?name=" + q("org search TEST") + "&_count=2");

        assertThat(first.get("type").asText()).isEqualTo("searchset");
        assertThat(first.get("total").asInt()).isEqualTo(3);
        assertThat(names(first)).containsExactly("Org Search Test A", "Org Search Test B");
        assertThat(first.get("entry").get(0).get("search").get("mode").asText()).isEqualTo("match");
        assertThat(first.get("entry").get(0).get("fullUrl").asText())
                .isEqualTo("http://localhost:8080/fhir/Organization/" + DirectoryIds.of("Organization", SOURCE, "a"));
        assertThat(link(first, "self")).isEqualTo("/fhir/Organization?name=org+search+TEST&_count=2");
        assertThat(link(first, "next")).isEqualTo("/fhir/Organization?name=org+search+TEST&_count=2&_offset=2");

        JsonNode second = http.getOk(link(first, "next"));
        assertThat(names(second)).containsExactly("Org Search Test C");
        assertThat(second.get("total").asInt()).isEqualTo(3);
        assertThat(link(second, "next")).isNull();
        assertThat(http.getOk("/fhir/Organization?name=" + q("Org Search Test") + "&_offset=5").get("total").asInt()).isEqualTo(3);
    }

    @Test
    void searchesByIdentifierWithOrWithoutItsSystemAndTogetherWithTheName() throws Exception {
        String system = DirectoryIds.identifierSystem(SOURCE);

        assertThat(names(http.getOk("/fhir/Organization?identifier=" + q(system + "|org-B")))).containsExactly("Org Search Test B");
        assertThat(names(http.getOk("/fhir/Organization?identifier=org-B"))).containsExactly("Org Search Test B");
        assertThat(names(http.getOk("/fhir/Organization?identifier=org-B&name=" + q("org search test b"))))
                .containsExactly("Org Search Test B");
        assertThat(http.getOk("/fhir/Organization?identifier=org-B&name=other").get("total").asInt()).isZero();
        assertThat(http.getOk("/fhir/Organization?identifier=" + q("https://example.org/other|org-B")).get("total").asInt()).isZero();
    }

    @Test
    void findsASyncedOrganisationByTheSourcesIdForIt() throws Exception {
        JsonNode bundle = http.getOk("/fhir/Organization?identifier="
                + q(DirectoryIds.identifierSystem(OrukFeeds.SOURCE) + "|" + OrukFeeds.ORGANISATION));

        assertThat(names(bundle)).containsExactly("Example Community Trust");
        assertThat(bundle.get("entry").get(0).get("resource").get("id").asText())
                .isEqualTo(DirectoryIds.of("Organization", OrukFeeds.SOURCE, OrukFeeds.ORGANISATION));
    }

    @Test
    void refusesWhatItDoesNotSupportWithAnOperationOutcome() throws Exception {
        assertRefused("/fhir/Organization?_sort=name", "not-supported", "Unsupported search parameter(s) [_sort];"
                + " Organization supports [identifier, name], _count and _offset");
        assertRefused("/fhir/Organization?name:exact=Org", "not-supported", "Unsupported search parameter(s) [name:exact];"
                + " Organization supports [identifier, name], _count and _offset");
        assertRefused("/fhir/Organization?name=a&name=b", "not-supported",
                "Repeated search parameter(s) [name] are not supported; give each once");
        assertRefused("/fhir/Organization?_count=0", "invalid", "_count must be at least 1 and _offset at least 0");
        assertRefused("/fhir/Organization?_offset=x", "invalid", "_count and _offset must be whole numbers");
    }

    private void assertRefused(String path, String code, String diagnostics) throws Exception {
        HttpResponse<String> response = http.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        JsonNode issue = JSON.readTree(response.body()).get("issue").get(0);
        assertThat(issue.get("code").asText()).as(path).isEqualTo(code);
        assertThat(issue.get("diagnostics").asText()).as(path).isEqualTo(diagnostics);
    }

    @Test
    void theCapabilityStatementListsOrganizationSearch() throws Exception {
        JsonNode organization = null;
        for (JsonNode resource : http.getOk("/fhir/metadata").get("rest").get(0).get("resource")) {
            if (resource.get("type").asText().equals("Organization")) {
                organization = resource;
            }
        }
        assertThat(organization.get("interaction")).extracting(i -> i.get("code").asText())
                .containsExactly("read", "search-type");
        assertThat(organization.get("searchParam")).extracting(p -> p.get("name").asText() + " " + p.get("type").asText())
                .containsExactly("name string", "identifier token");
    }
}
