package io.github.spfhir.adapter.client.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.support.TestPartners;

/** The ORUK v1 client against a WireMock feed: the totalElements/content envelope. */
class OrukV1ClientTest {

    private static final String FEED = "/oruk-v1-client-test";
    private OrukV1Client client;

    @BeforeEach
    void setUp() {
        TestPartners.reset();
        client = new OrukV1Client(URI.create(TestPartners.baseUrl() + FEED), Duration.ofSeconds(5), 2);
    }

    @AfterEach
    void tearDown() {
        TestPartners.reset();
    }

    @Test
    void readsTheV1EnvelopeWhateverItsPageNumbering() {
        // this feed counts "number" from 0: the client keeps its own count
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=1&per_page=2")).willReturn(okJson("""
                {"totalElements":3,"totalPages":2,"number":0,"size":2,"first":true,"last":false,
                 "content":[{"id":"s1"},{"id":"s2"}]}""")));
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=2&per_page=2")).willReturn(okJson("""
                {"totalElements":3,"totalPages":2,"number":1,"size":2,"first":false,"last":true,
                 "content":[{"id":"s3"}]}""")));

        OrukPage first = client.servicesPage(1);
        OrukPage second = client.servicesPage(2);

        assertThat(first.lastPage()).isFalse();
        assertThat(first.pageNumber()).isEqualTo(1);
        assertThat(first.totalItems()).isEqualTo(3);
        assertThat(first.contents()).extracting(n -> n.get("id").asText()).containsExactly("s1", "s2");
        assertThat(second.lastPage()).isTrue();
        assertThat(second.contents()).extracting(n -> n.get("id").asText()).containsExactly("s3");
    }

    @Test
    void aV3EnvelopeIsNotAV1One() {
        TestPartners.server().stubFor(get(urlEqualTo(FEED + "/services?page=1&per_page=2"))
                .willReturn(okJson("{\"contents\":[]}")));

        assertThatThrownBy(() -> client.servicesPage(1)).isInstanceOf(DirectorySourceException.class)
                .hasMessageContaining("v1 page envelope");
    }
}
