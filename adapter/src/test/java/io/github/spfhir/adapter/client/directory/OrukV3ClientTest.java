package io.github.spfhir.adapter.client.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.support.TestPartners;

/** The ORUK v3 client against a WireMock feed: the page envelope, error answers, timeouts. */
class OrukV3ClientTest {

    private static final String FEED = "/oruk-client-test";
    private OrukV3Client client;

    @BeforeEach
    void setUp() {
        TestPartners.reset();
        client = new OrukV3Client(URI.create(TestPartners.baseUrl() + FEED), Duration.ofSeconds(5), 2);
    }

    @AfterEach
    void tearDown() {
        TestPartners.reset();
    }

    @Test
    void readsOnePageOfTheV3Envelope() {
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=1&per_page=2")).willReturn(okJson("""
                {"total_items":3,"total_pages":2,"page_number":1,"size":2,"first_page":true,"last_page":false,
                 "empty":false,"contents":[{"id":"s1"},{"id":"s2"}]}""")));
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=2&per_page=2")).willReturn(okJson("""
                {"total_items":3,"total_pages":2,"page_number":2,"size":2,"first_page":false,"last_page":true,
                 "empty":false,"contents":[{"id":"s3"}]}""")));

        OrukPage first = client.servicesPage(1);
        OrukPage second = client.servicesPage(2);

        assertThat(first.lastPage()).isFalse();
        assertThat(first.totalItems()).isEqualTo(3);
        assertThat(first.contents()).extracting(n -> n.get("id").asText()).containsExactly("s1", "s2");
        assertThat(second.lastPage()).isTrue();
        assertThat(second.contents()).extracting(n -> n.get("id").asText()).containsExactly("s3");
    }

    @Test
    void asksOnlyForWhatChangedWithModifiedAfterAsAnIsoInstantToTheSecond() {
        // the cursor's fraction of a second is dropped (rounded down), so nothing modified in that second is missed
        TestPartners.server().stubFor(get(urlPathEqualTo(FEED + "/services")).withQueryParam("page", equalTo("1"))
                .withQueryParam("modified_after", equalTo("2026-11-21T10:00:00Z"))
                .willReturn(okJson("{\"last_page\":true,\"contents\":[{\"id\":\"changed\"}]}")));

        OrukPage page = client.servicesPage(1, Instant.parse("2026-11-21T10:00:00.987Z"));

        assertThat(client.supportsModifiedAfter()).isTrue();
        assertThat(page.contents()).extracting(n -> n.get("id").asText()).containsExactly("changed");
        TestPartners.server().verify(getRequestedFor(urlPathEqualTo(FEED + "/services"))
                .withQueryParam("modified_after", equalTo("2026-11-21T10:00:00Z")));
    }

    @Test
    void anEmptyPageIsTheLast() {
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=1&per_page=2"))
                .willReturn(okJson("{\"contents\":[]}")));

        assertThat(client.servicesPage(1).lastPage()).isTrue();
    }

    @Test
    void aServerErrorIsASourceFailureWithItsStatusOnly() {
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=1&per_page=2"))
                .willReturn(aResponse().withStatus(500).withBody("stack trace with secrets")));

        assertThatThrownBy(() -> client.servicesPage(1)).isInstanceOfSatisfying(DirectorySourceException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(500);
            assertThat(e.getMessage()).isEqualTo("HTTP 500");
        });
    }

    @Test
    void aSlowSourceTimesOut() {
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=1&per_page=2"))
                .willReturn(okJson("{\"contents\":[]}").withFixedDelay(3000)));
        OrukV3Client impatient = new OrukV3Client(URI.create(TestPartners.baseUrl() + FEED), Duration.ofMillis(300), 2);

        assertThatThrownBy(() -> impatient.servicesPage(1)).isInstanceOf(DirectorySourceException.class)
                .hasMessageContaining("Timed out");
    }

    @Test
    void aBodyThatIsNotAPageEnvelopeIsASourceFailure() {
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=1&per_page=2"))
                .willReturn(okJson("{\"content\":[]}")));
        assertThatThrownBy(() -> client.servicesPage(1)).isInstanceOf(DirectorySourceException.class)
                .hasMessageContaining("envelope");

        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=1&per_page=2"))
                .willReturn(okJson("{\"contents\": [")));
        assertThatThrownBy(() -> client.servicesPage(1)).isInstanceOf(DirectorySourceException.class)
                .hasMessageContaining("Unreadable");
    }

    // ---- /services/{id}: an ORUK v3 list has one-to-one fields only ---------------------------------------------

    private static void listPage(String contents) {
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=1&per_page=2")).willReturn(okJson(
                "{\"total_items\":2,\"total_pages\":1,\"page_number\":1,\"last_page\":true,\"contents\":["
                        + contents + "]}")));
    }

    @Test
    void aServiceListedWithOneToOneFieldsOnlyIsReadWholeFromItsOwnEndpoint() {
        listPage("""
                {"id":"s1","name":"Walking group","status":"active"},
                {"id":"s2","name":"Choir","status":"active","service_at_locations":[{"id":"sal2","location":{"id":"l2"}}]}""");
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services/s1")).willReturn(okJson("""
                {"id":"s1","name":"Walking group","status":"active",
                 "service_at_locations":[{"id":"sal1","location":{"id":"l1","name":"Park"}}],
                 "attributes":[{"id":"a1","taxonomy_term":{"id":"t1","name":"Physical activity"}}]}""")));

        OrukPage page = client.servicesPage(1);

        assertThat(page.contents()).hasSize(2);
        assertThat(page.contents().get(0).at("/service_at_locations/0/location/name").asText()).isEqualTo("Park");
        assertThat(page.contents().get(0).at("/attributes/0/taxonomy_term/id").asText()).isEqualTo("t1");
        // the nested one is taken as listed: no request for it
        assertThat(page.contents().get(1).at("/service_at_locations/0/location/id").asText()).isEqualTo("l2");
        TestPartners.server().verify(0, getRequestedFor(urlEqualTo(FEED + "/services/s2")));
        TestPartners.server().verify(1, getRequestedFor(urlEqualTo(FEED + "/services/s1")));
    }

    @Test
    void aServiceListedButUnknownByIdIsKeptAsListed() {
        listPage("{\"id\":\"gone\",\"name\":\"Lunch club\"}");
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services/gone")).willReturn(aResponse().withStatus(404)));

        OrukPage page = client.servicesPage(1);

        assertThat(page.contents()).singleElement().satisfies(record -> {
            assertThat(record.get("name").asText()).isEqualTo("Lunch club");
            assertThat(record.has("service_at_locations")).isFalse();
        });
    }

    @Test
    void aServiceEndpointThatFailsFailsThePageLikeTheList() {
        listPage("{\"id\":\"s1\"},{\"id\":\"s 2/x\"}");
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services/s1")).willReturn(okJson("{\"id\":\"s1\"}")));
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services/s%202%2Fx"))
                .willReturn(aResponse().withStatus(503).withBody("secret detail")));

        assertThatThrownBy(() -> client.servicesPage(1)).isInstanceOfSatisfying(DirectorySourceException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.getMessage()).isEqualTo("HTTP 503");
        });
    }

    @Test
    void serviceDetailsCanBeAlwaysOrNeverRead() {
        listPage("{\"id\":\"s1\",\"name\":\"Listed\",\"attributes\":[]}");
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services/s1")).willReturn(okJson(
                "{\"id\":\"s1\",\"name\":\"Whole\"}")));
        URI feed = URI.create(TestPartners.baseUrl() + FEED);

        OrukPage always = new OrukV3Client(feed, Duration.ofSeconds(5), 2, null, null,
                io.github.spfhir.adapter.config.AdapterProperties.ServiceDetails.ALWAYS).servicesPage(1);
        OrukPage never = new OrukV3Client(feed, Duration.ofSeconds(5), 2, null, null,
                io.github.spfhir.adapter.config.AdapterProperties.ServiceDetails.NEVER).servicesPage(1);
        OrukPage auto = client.servicesPage(1); // it has a nested collection (empty): taken as listed

        assertThat(always.contents().get(0).get("name").asText()).isEqualTo("Whole");
        assertThat(never.contents().get(0).get("name").asText()).isEqualTo("Listed");
        assertThat(auto.contents().get(0).get("name").asText()).isEqualTo("Listed");
        TestPartners.server().verify(1, getRequestedFor(urlEqualTo(FEED + "/services/s1")));
    }
}
