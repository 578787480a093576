package io.github.spfhir.adapter.client.linkworker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import io.github.spfhir.adapter.support.MovableClock;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Credentials;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Kind;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Partner;

/** The adapter authenticates to partners with an API key or an OAuth 2.0 client-credentials token; secrets stay secret. */
class PartnerCredentialsTest {

    @RegisterExtension
    static final WireMockExtension identityProvider = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private static final String TOKEN_PATH = "/oauth2/token";
    private static final String SECRET = "s3cret-value-for-tests";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-21T10:00:00Z"));

    @Test
    void anApiKeyGoesInItsHeaderAndPartnersWithoutCredentialsGetNone() {
        PartnerCredentials credentials = credentials(Map.of("platform-a",
                new Credentials(Kind.API_KEY, "X-Partner-Key", SECRET, null, null, null, null, null, null, "PKCS12", null, null, "PKCS12", null, null, null)));

        assertThat(credentials.headersFor("platform-a")).containsExactly(Map.entry("X-Partner-Key", SECRET));
        assertThat(credentials.headersFor("unconfigured")).isEmpty();
    }

    @Test
    void aClientCredentialsTokenIsAskedForOnceAndUsedUntilShortlyBeforeItExpires() {
        identityProvider.stubFor(post(TOKEN_PATH).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"token-one\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        PartnerCredentials credentials = credentials(Map.of("gp-system-a", oauth2("referrals.write")));

        assertThat(credentials.headersFor("gp-system-a")).containsExactly(Map.entry("Authorization", "Bearer token-one"));
        clock.advance(Duration.ofSeconds(200));
        assertThat(credentials.headersFor("gp-system-a")).containsExactly(Map.entry("Authorization", "Bearer token-one"));
        identityProvider.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH))
                .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString(
                        ("adapter-client:" + SECRET).getBytes(StandardCharsets.UTF_8))))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(equalTo("grant_type=client_credentials&scope=referrals.write")));

        // within RENEW_BEFORE of expiry a new token is asked for
        identityProvider.stubFor(post(TOKEN_PATH).willReturn(aResponse().withStatus(200)
                .withBody("{\"access_token\":\"token-two\",\"expires_in\":300}")));
        clock.advance(Duration.ofSeconds(80));
        assertThat(credentials.headersFor("gp-system-a")).containsExactly(Map.entry("Authorization", "Bearer token-two"));
        // and after a partner's 401, at the next call
        credentials.invalidate("gp-system-a");
        credentials.headersFor("gp-system-a");
        identityProvider.verify(3, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    @Test
    void aTokenEndpointThatRefusesFailsTheAttemptForGoodAndOneThatIsDownForNowWithoutQuotingAnything() {
        identityProvider.stubFor(post(TOKEN_PATH).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":\"invalid_client\",\"echo\":\"" + SECRET + "\"}")));
        PartnerCredentials credentials = credentials(Map.of("p", oauth2(null)));

        assertThatThrownBy(() -> credentials.headersFor("p"))
                .isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("token request").doesNotContain(SECRET);
                    assertThat(e.responseBody()).isEmpty();
                });

        identityProvider.stubFor(post(TOKEN_PATH).willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> credentials.headersFor("p")).isInstanceOf(RetryableDeliveryException.class);
    }

    @Test
    void incompleteCredentialsAreRefusedAtStartUpAndSecretsAreNeverPrinted() {
        assertThatThrownBy(() -> credentials(Map.of("p", new Credentials(Kind.API_KEY, "X-API-Key", "", null, null, null,
                null, null, null, "PKCS12", null, null, "PKCS12", null, null, null)))).isInstanceOf(IllegalStateException.class).hasMessageContaining("api-key");
        assertThatThrownBy(() -> credentials(Map.of("p", new Credentials(Kind.OAUTH2_CLIENT_CREDENTIALS, null, null,
                null, "id", SECRET, null, null, null, "PKCS12", null, null, "PKCS12", null, null, null)))).isInstanceOf(IllegalStateException.class).hasMessageContaining("token-url")
                .hasMessageNotContaining(SECRET);

        Credentials configured = oauth2("scope");
        assertThat(configured.toString()).doesNotContain(SECRET).contains("clientSecret=(set)");
        assertThat(new Credentials(Kind.API_KEY, "X-API-Key", SECRET, null, null, null, null, null, null, "PKCS12", null, null, "PKCS12", null, null, null).toString())
                .doesNotContain(SECRET).contains("apiKey=(set)");
        assertThat(new PartnerCredentialsProperties(Map.of("p", new Partner(configured)), null, null, null).toString())
                .doesNotContain(SECRET);
    }

    private Credentials oauth2(String scope) {
        return new Credentials(Kind.OAUTH2_CLIENT_CREDENTIALS, null, null, identityProvider.baseUrl() + TOKEN_PATH,
                "adapter-client", SECRET, scope, null, null, "PKCS12", null, null, "PKCS12", null, null, null);
    }

    private PartnerCredentials credentials(Map<String, Credentials> byPartner) {
        Map<String, Partner> partners = new java.util.LinkedHashMap<>();
        byPartner.forEach((id, c) -> partners.put(id, new Partner(c)));
        return new PartnerCredentials(new PartnerCredentialsProperties(partners, null, null, null), clock);
    }
}
