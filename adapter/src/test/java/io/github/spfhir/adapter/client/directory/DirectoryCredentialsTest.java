package io.github.spfhir.adapter.client.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.client.linkworker.PartnerCredentials;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Credentials;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Kind;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Partner;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * A directory source behind a gateway gets the partners' credentials ({@code adapter.directories.<id>.credentials}),
 * by the same {@link PartnerCredentials}: an API key, or an OAuth 2.0 token; without them the gateway's refusal fails
 * the page, naming no secret; and a source with a secret header does not follow a redirect elsewhere.
 */
class DirectoryCredentialsTest {

    private static final String FEED = "/guarded-oruk";
    private static final String KEY = "test-only-directory-key-3e8a";
    private static final String PAGE = """
            {"total_items":1,"total_pages":1,"page_number":1,"last_page":true,"contents":[{"id":"s1"}]}""";

    @AfterEach
    void reset() {
        TestPartners.reset();
    }

    @Test
    void anOrukSourceWithAnApiKeySendsItAndOneWithoutIsRefused() {
        TestPartners.server().stubFor(get(urlPathEqualTo(FEED + "/services")).willReturn(aResponse().withStatus(401)));
        TestPartners.server().stubFor(get(urlPathEqualTo(FEED + "/services")).withHeader("X-Directory-Key", equalTo(KEY))
                .willReturn(okJson(PAGE)));
        PartnerCredentials credentials = credentials("guarded", new Credentials(Kind.API_KEY, "X-Directory-Key", KEY,
                null, null, null, null, null, null, "PKCS12", null, null, "PKCS12", null, null, null));

        OrukPage page = new OrukV3Client(feed(), Duration.ofSeconds(5), 10, credentials,
                PartnerCredentials.directory("guarded")).servicesPage(1);
        assertThat(page.contents()).extracting(n -> n.get("id").asText()).containsExactly("s1");

        // another source id has no credentials: the gateway refuses, and the message names the status only
        OrukV1Client open = new OrukV1Client(feed(), Duration.ofSeconds(5), 10, credentials,
                PartnerCredentials.directory("other"));
        assertThatThrownBy(() -> open.servicesPage(1)).isInstanceOfSatisfying(DirectorySourceException.class,
                e -> assertThat(e.getMessage()).isEqualTo("HTTP 401").doesNotContain(KEY));
    }

    @Test
    void anOrukSourceWithClientCredentialsSendsTheAccessToken() {
        TestPartners.server().stubFor(post(urlEqualTo("/directory-idp/token")).willReturn(okJson(
                "{\"access_token\":\"directory-token\",\"expires_in\":300}")));
        TestPartners.server().stubFor(get(urlPathEqualTo(FEED + "/services"))
                .withHeader("Authorization", equalTo("Bearer directory-token")).willReturn(okJson(PAGE)));
        PartnerCredentials credentials = credentials("guarded", new Credentials(Kind.OAUTH2_CLIENT_CREDENTIALS, null,
                null, TestPartners.baseUrl() + "/directory-idp/token", "adapter", "test-only-directory-secret", null,
                null, null, "PKCS12", null, null, "PKCS12", null, null, null));

        assertThat(new OrukV3Client(feed(), Duration.ofSeconds(5), 10, credentials,
                PartnerCredentials.directory("guarded")).servicesPage(1).contents()).hasSize(1);
    }

    @Test
    void aSourceWithASecretHeaderDoesNotFollowARedirect() {
        TestPartners.server().stubFor(get(urlPathEqualTo(FEED + "/services")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", TestPartners.baseUrl() + "/elsewhere/services")));
        TestPartners.server().stubFor(get(urlPathEqualTo("/elsewhere/services")).willReturn(okJson(PAGE)));
        PartnerCredentials credentials = credentials("guarded", new Credentials(Kind.API_KEY, "X-Directory-Key", KEY,
                null, null, null, null, null, null, "PKCS12", null, null, "PKCS12", null, null, null));

        assertThatThrownBy(() -> new OrukV3Client(feed(), Duration.ofSeconds(5), 10, credentials,
                PartnerCredentials.directory("guarded")).servicesPage(1)).isInstanceOf(DirectorySourceException.class)
                .hasMessage("HTTP 302");
        TestPartners.server().verify(0, getRequestedFor(urlPathEqualTo("/elsewhere/services")));
    }

    private static URI feed() {
        return URI.create(TestPartners.baseUrl() + FEED);
    }

    private static PartnerCredentials credentials(String sourceId, Credentials credentials) {
        return new PartnerCredentials(new PartnerCredentialsProperties(null, null, null,
                Map.of(sourceId, new Partner(credentials))), TestConfigurations.fixedClock());
    }
}
