package io.github.spfhir.adapter.domain.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.client.directory.PostcodePosition;
import io.github.spfhir.adapter.config.PostcodeLookupProperties;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * The postcode lookup against a WireMock postcodes.io: one postcode and in bulk, unknown postcodes, failures
 * (which quote no postcode), the cache, and bulk batches of at most 100; and the {@code near-postcode} value.
 */
class PostcodeLookupTest {

    private static final String API = "/postcodes-lookup-test";

    private PostcodeLookup lookup;

    @BeforeEach
    void setUp() {
        TestPartners.reset();
        lookup = new PostcodeLookup(new PostcodeLookupProperties(true, URI.create(TestPartners.baseUrl() + API),
                Duration.ofMillis(500), 1000, Duration.ofHours(1)));
    }

    @AfterEach
    void tearDown() {
        TestPartners.reset();
    }

    private static void known(String postcode, double latitude, double longitude) {
        TestPartners.server().stubFor(get(urlPathEqualTo(API + "/postcodes/" + postcode)).willReturn(okJson(
                "{\"status\":200,\"result\":{\"postcode\":\"x\",\"latitude\":" + latitude + ",\"longitude\":" + longitude + "}}")));
    }

    @Test
    void findsAPostcodeAndRemembersIt() {
        known("ZZ994PC", 52.4153, -4.0829);

        assertThat(lookup.position("ZZ994PC")).contains(new PostcodePosition(52.4153, -4.0829));
        assertThat(lookup.position("ZZ994PC")).contains(new PostcodePosition(52.4153, -4.0829));

        TestPartners.server().verify(exactly(1), getRequestedFor(urlPathEqualTo(API + "/postcodes/ZZ994PC")));
    }

    @Test
    void aPostcodeAnsweredWith404OrWithoutAPositionIsUnknownAndRememberedAsSuch() {
        TestPartners.server().stubFor(get(urlPathEqualTo(API + "/postcodes/ZZ995XY")).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":404,\"error\":\"Postcode not found\"}")));
        TestPartners.server().stubFor(get(urlPathEqualTo(API + "/postcodes/ZZ996NP")).willReturn(okJson(
                "{\"status\":200,\"result\":{\"postcode\":\"ZZ99 6NP\",\"latitude\":null,\"longitude\":null}}")));

        assertThat(lookup.position("ZZ995XY")).isEmpty();
        assertThat(lookup.position("ZZ995XY")).isEmpty();
        assertThat(lookup.position("ZZ996NP")).isEmpty();

        TestPartners.server().verify(exactly(1), getRequestedFor(urlPathEqualTo(API + "/postcodes/ZZ995XY")));
    }

    @Test
    void failuresAreUnavailableQuoteNoPostcodeAndAreNotRemembered() {
        TestPartners.server().stubFor(get(urlPathEqualTo(API + "/postcodes/ZZ997AB")).willReturn(aResponse().withStatus(500)));
        TestPartners.server().stubFor(get(urlPathEqualTo(API + "/postcodes/ZZ998CD"))
                .willReturn(okJson("{\"status\":200}").withFixedDelay(2000)));

        assertThatThrownBy(() -> lookup.position("ZZ997AB")).isInstanceOf(PostcodeLookup.Unavailable.class)
                .hasMessage("HTTP 500");
        assertThatThrownBy(() -> lookup.position("ZZ998CD")).isInstanceOf(PostcodeLookup.Unavailable.class)
                .hasMessage("Timed out after 500 ms");

        known("ZZ997AB", 51.5, -3.2);
        assertThat(lookup.position("ZZ997AB")).contains(new PostcodePosition(51.5, -3.2));
    }

    @Test
    void looksUpManyInBulkBatchesOfAtMost100AndOnlyThoseNotCached() {
        known("ZZ990AA", 51.0, -3.0);
        assertThat(lookup.position("ZZ990AA")).isPresent();
        List<String> postcodes = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            postcodes.add(String.format("ZZ%02d%dAA", 10 + i / 10, i % 10));
        }
        TestPartners.server().stubFor(post(urlPathEqualTo(API + "/postcodes")).willReturn(okJson("""
                {"status":200,"result":[{"query":"ZZ100AA","result":{"latitude":51.1,"longitude":-3.1}},
                                        {"query":"ZZ101AA","result":null}]}""")));
        List<String> asked = new ArrayList<>(postcodes);
        asked.add("ZZ990AA");

        Map<String, PostcodePosition> found = lookup.positions(asked);

        assertThat(found).containsOnly(Map.entry("ZZ100AA", new PostcodePosition(51.1, -3.1)),
                Map.entry("ZZ990AA", new PostcodePosition(51.0, -3.0)));
        TestPartners.server().verify(exactly(2), postRequestedFor(urlPathEqualTo(API + "/postcodes")));
        TestPartners.server().verify(postRequestedFor(urlPathEqualTo(API + "/postcodes"))
                .withRequestBody(equalToJson("{\"postcodes\":" + toJson(postcodes.subList(0, 100)) + "}")));
        TestPartners.server().verify(postRequestedFor(urlPathEqualTo(API + "/postcodes"))
                .withRequestBody(equalToJson("{\"postcodes\":" + toJson(postcodes.subList(100, 150)) + "}")));

        lookup.positions(postcodes.subList(0, 5)); // all remembered, found or not: no request
        TestPartners.server().verify(exactly(2), postRequestedFor(urlPathEqualTo(API + "/postcodes")));
    }

    @Test
    void theCacheIsBounded() {
        PostcodeLookup small = new PostcodeLookup(new PostcodeLookupProperties(true,
                URI.create(TestPartners.baseUrl() + API), Duration.ofMillis(500), 1, Duration.ofHours(1)));
        known("ZZ990AA", 51.0, -3.0);
        known("ZZ991AA", 51.1, -3.1);

        small.position("ZZ990AA");
        small.position("ZZ991AA");
        small.position("ZZ990AA");
        small.position("ZZ991AA");

        // one postcode remembered at most: at least one of them was asked for again
        assertThat(TestPartners.server().findAll(getRequestedFor(urlPathEqualTo(API + "/postcodes/ZZ990AA"))).size()
                + TestPartners.server().findAll(getRequestedFor(urlPathEqualTo(API + "/postcodes/ZZ991AA"))).size())
                .isGreaterThan(2);
    }

    @Test
    void aBulkLookupThatFailsIsUnavailable() {
        TestPartners.server().stubFor(post(urlPathEqualTo(API + "/postcodes")).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> lookup.positions(List.of("ZZ993CZ"))).isInstanceOf(PostcodeLookup.Unavailable.class)
                .hasMessage("HTTP 503");
    }

    @Test
    void aDisabledLookupLooksNothingUp() {
        PostcodeLookup disabled = new PostcodeLookup(PostcodeLookupProperties.disabled());

        assertThat(disabled.enabled()).isFalse();
        assertThatThrownBy(() -> disabled.position("ZZ993CZ")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readsNearPostcodeValues() {
        PostcodeNear near = PostcodeNear.parse("near-postcode", " zz99 4pc |2|[mi_i]");
        assertThat(near.postcode()).isEqualTo("ZZ994PC");
        NearSearch search = near.at("near-postcode", new PostcodePosition(52.4153, -0.00001));
        assertThat(search.latitude()).isEqualTo(52.4153);
        assertThat(search.longitude()).isEqualTo(-0.00001);
        assertThat(search.distanceKm()).isEqualTo(2 * 1.609344);
        assertThat(search.units()).isEqualTo("[mi_i]");
        assertThat(PostcodeNear.parse("p", "GIR 0AA").at("p", new PostcodePosition(51.5, -0.1)).distanceKm())
                .isEqualTo(NearSearch.DEFAULT_DISTANCE_KM);
        assertThat(Optional.of(PostcodeNear.parse("p", "ZZ99 4PC|5").at("p", new PostcodePosition(0, 0)).units()))
                .contains("km");

        assertThatThrownBy(() -> PostcodeNear.parse("near-postcode", "SW1A")).hasMessage(
                "near-postcode: the postcode must be a full UK postcode, e.g. CF10 1AA");
        assertThatThrownBy(() -> PostcodeNear.parse("near-postcode", "ZZ99 4PC|-1")).hasMessage(
                "near-postcode: the distance must be more than 0");
        assertThatThrownBy(() -> PostcodeNear.parse("near-postcode", "ZZ99 4PC|2000|km")).hasMessage(
                "near-postcode: the distance must be at most 1000 km");
        assertThatThrownBy(() -> PostcodeNear.parse("x", "ZZ99 4PC|1|km|more")).hasMessageStartingWith(
                "x must be postcode|distance|units");
    }

    private static String toJson(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
