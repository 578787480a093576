package io.github.spfhir.adapter.client.linkworker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import io.github.spfhir.adapter.config.PartnerCredentialsProperties;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Credentials;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Kind;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Partner;
import io.github.spfhir.adapter.support.TestCertificates;
import io.github.spfhir.adapter.support.TestConfigurations;

/**
 * Mutual TLS towards partners: the adapter presents its client certificate (and sends its header as well) to a
 * partner that requires one, for deliveries and for the OAuth 2.0 token request; without it the call fails at once,
 * permanently, in words that name no secret; unreadable stores stop the start-up without printing a password.
 */
class PartnerMutualTlsTest {

    private static final String PASSWORD = "test-only-keystore-password-41d2";
    private static final String CLIENT_SECRET = "test-only-client-secret-0b7e";
    private static final Path DIR;
    private static final TestCertificates AUTHORITY = TestCertificates.authority("CN=Partner CA,O=Tests");

    static {
        try {
            DIR = Files.createTempDirectory("partner-mtls");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        AUTHORITY.issue("CN=localhost", "DNS:localhost", "IP:127.0.0.1").keyStore(DIR.resolve("server.p12"), PASSWORD);
        AUTHORITY.trustStore(DIR.resolve("ca.p12"), PASSWORD);
        AUTHORITY.issue("CN=sp-fhir-adapter,O=Tests").keyStore(DIR.resolve("client.p12"), PASSWORD);
    }

    @RegisterExtension
    static final WireMockExtension partner = WireMockExtension.newInstance()
            .options(wireMockConfig().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                    .keystorePath(DIR.resolve("server.p12").toString()).keystorePassword(PASSWORD)
                    .keyManagerPassword(PASSWORD).keystoreType("PKCS12").needClientAuth(true)
                    .trustStorePath(DIR.resolve("ca.p12").toString()).trustStorePassword(PASSWORD)
                    .trustStoreType("PKCS12"))
            .build();

    private final PlatformHttpClient http = new PlatformHttpClient(Duration.ofSeconds(5));

    @Test
    void aDeliveryCarriesOurClientCertificateAndTheHeaderBesideIt() {
        partner.stubFor(post(urlEqualTo("/referrals")).withHeader("X-API-Key", equalTo("test-only-key"))
                .willReturn(aResponse().withStatus(201)));
        PartnerCredentials credentials = credentials(new Credentials(Kind.API_KEY, "X-API-Key", "test-only-key", null,
                null, null, null, DIR.resolve("client.p12").toString(), PASSWORD, "PKCS12",
                "file:" + DIR.resolve("ca.p12"), PASSWORD, "PKCS12", null, null, null));

        DeliveryResponse answer = http.post(endpoint("/referrals"), "application/json", "{}",
                credentials.headersFor("p"), Duration.ofSeconds(5), credentials.sslContext("p").orElseThrow());

        assertThat(answer.status()).isEqualTo(201);
    }

    @Test
    void withoutOurCertificateTheCallFailsAtOnceAndPermanentlyNamingNoSecret() {
        partner.stubFor(post(urlEqualTo("/referrals")).willReturn(aResponse().withStatus(201)));
        // the partner's CA is trusted, but there is no client certificate to present
        PartnerCredentials credentials = credentials(new Credentials(Kind.API_KEY, "X-API-Key", "test-only-key", null,
                null, null, null, null, null, "PKCS12", DIR.resolve("ca.p12").toString(), PASSWORD, "PKCS12", null, null, null));

        assertThatThrownBy(() -> http.post(endpoint("/referrals"), "application/json", "{}", credentials.headersFor("p"),
                Duration.ofSeconds(5), credentials.sslContext("p").orElseThrow()))
                .isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
                    assertThat(e.hasResponse()).isFalse();
                    assertThat(e.getMessage()).contains("TLS refused").doesNotContain("test-only-key")
                            .doesNotContain(PASSWORD);
                });
        partner.verify(0, postRequestedFor(urlEqualTo("/referrals")));
    }

    @Test
    void theTokenRequestOfAnMtlsPartnerGoesOverItsTlsContextToo() {
        partner.stubFor(post(urlEqualTo("/token")).willReturn(okJson(
                "{\"access_token\":\"test-token\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        PartnerCredentials credentials = credentials(new Credentials(Kind.OAUTH2_CLIENT_CREDENTIALS, null, null,
                partner.baseUrl() + "/token", "adapter", CLIENT_SECRET, null, DIR.resolve("client.p12").toString(),
                PASSWORD, "PKCS12", DIR.resolve("ca.p12").toString(), PASSWORD, "PKCS12", null, null, null));

        assertThat(credentials.headersFor("p")).containsEntry("Authorization", "Bearer test-token");
    }

    @Test
    void kindMtlsSendsNoHeaderAndNeedsAKeyStore() {
        PartnerCredentials credentials = credentials(mtls(DIR.resolve("client.p12").toString(), PASSWORD));
        assertThat(credentials.headersFor("p")).isEmpty();
        assertThat(credentials.sendsSecretHeaders("p")).isFalse();
        assertThat(credentials.sslContext("p")).isPresent();
        assertThat(credentials.sslContext("another")).isEmpty();

        assertThatThrownBy(() -> credentials(mtls(null, PASSWORD))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mtls needs key-store");
    }

    @Test
    void anUnreadableStoreStopsTheStartUpWithoutPrintingItsPassword() {
        String wrong = "test-only-wrong-password-5c";
        assertThatThrownBy(() -> credentials(mtls(DIR.resolve("client.p12").toString(), wrong)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("partner 'p'").hasMessageContaining("key-store")
                .hasMessageContaining("client.p12").hasMessageNotContaining(wrong).hasNoCause();
        assertThatThrownBy(() -> credentials(mtls(DIR.resolve("missing.p12").toString(), PASSWORD)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing.p12")
                .hasMessageNotContaining(PASSWORD);
        assertThat(mtls(DIR.resolve("client.p12").toString(), PASSWORD).toString()).doesNotContain(PASSWORD)
                .contains("keyStorePassword=(set)");
    }

    private static Credentials mtls(String keyStore, String password) {
        return new Credentials(Kind.MTLS, null, null, null, null, null, null, keyStore, password, "PKCS12",
                DIR.resolve("ca.p12").toString(), PASSWORD, "PKCS12", null, null, null);
    }

    private static URI endpoint(String path) {
        return URI.create("https://localhost:" + partner.getHttpsPort() + path);
    }

    private static PartnerCredentials credentials(Credentials credentials) {
        return new PartnerCredentials(new PartnerCredentialsProperties(Map.of("p", new Partner(credentials)), null,
                null, null), TestConfigurations.fixedClock());
    }
}
