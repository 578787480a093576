package io.github.spfhir.adapter.client.linkworker;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.github.spfhir.adapter.config.PartnerCredentialsProperties;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.ClientAuthentication;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Credentials;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Kind;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Partner;
import io.github.spfhir.adapter.support.TestConfigurations;

/**
 * The NHS API platform's signed-JWT client authentication ({@code private_key_jwt}, RFC 7523) for the token request:
 * the token endpoint gets a client assertion it can verify against the client's published JWK (RS512, its kid), with
 * iss and sub the client id, aud the token endpoint, a unique jti and an expiry at most 5 minutes ahead; and no secret.
 */
class PrivateKeyJwtTest {

    @RegisterExtension
    static final WireMockExtension identityProvider = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    private static final String KID = "test-1";
    private static final String CLIENT_ID = "test-only-nhs-api-key";

    @Test
    void theTokenRequestCarriesAClientAssertionTheEndpointVerifiesWithOurJwk(@TempDir Path dir) throws Exception {
        identityProvider.stubFor(post(urlEqualTo("/oauth2/token")).willReturn(okJson(
                "{\"access_token\":\"nhs-token\",\"expires_in\":599}")));
        KeyPair keys = rsa();
        // what the client publishes for the platform (its JWKS), and what the platform verifies with
        JWKSet published = new JWKSet(new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID(KID).build());
        PartnerCredentials credentials = credentials(signedJwt(pem(dir, keys)));

        assertThat(credentials.headersFor("nhs")).containsEntry("Authorization", "Bearer nhs-token");
        credentials.invalidate("nhs");
        credentials.headersFor("nhs"); // a second request: a second assertion

        List<LoggedRequest> requests = identityProvider.findAll(postRequestedFor(urlEqualTo("/oauth2/token")));
        assertThat(requests).hasSize(2);
        String tokenUrl = identityProvider.baseUrl() + "/oauth2/token";
        String firstJti = null;
        for (LoggedRequest request : requests) {
            Map<String, String> form = form(request.getBodyAsString());
            assertThat(form).containsEntry("grant_type", "client_credentials")
                    .containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                    .doesNotContainKey("client_secret");
            assertThat(request.containsHeader("Authorization")).as("no Basic secret").isFalse();

            SignedJWT assertion = SignedJWT.parse(form.get("client_assertion"));
            RSAKey key = (RSAKey) published.getKeyByKeyId(assertion.getHeader().getKeyID());
            assertThat(key).as("kid names the published key").isNotNull();
            assertThat(assertion.verify(new RSASSAVerifier(key))).isTrue();
            assertThat(assertion.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS512);
            JWTClaimsSet claims = assertion.getJWTClaimsSet();
            assertThat(claims.getIssuer()).isEqualTo(CLIENT_ID);
            assertThat(claims.getSubject()).isEqualTo(CLIENT_ID);
            assertThat(claims.getAudience()).containsExactly(tokenUrl);
            assertThat(claims.getJWTID()).isNotBlank().isNotEqualTo(firstJti);
            firstJti = claims.getJWTID();
            assertThat(claims.getIssueTime().toInstant()).isEqualTo(TestConfigurations.NOW);
            assertThat(Duration.between(TestConfigurations.NOW, claims.getExpirationTime().toInstant()))
                    .isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
        }
        // a JWK of another key does not verify it
        RSAKey another = new RSAKey.Builder((RSAPublicKey) rsa().getPublic()).keyID(KID).build();
        assertThat(SignedJWT.parse(form(requests.get(0).getBodyAsString()).get("client_assertion"))
                .verify(new RSASSAVerifier(another))).isFalse();
    }

    @Test
    void anIncompleteOrUnreadableSigningKeyStopsTheStartUp(@TempDir Path dir) throws Exception {
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n");
        assertThatThrownBy(() -> credentials(signedJwt(notAKey.toString()))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("signing-key").hasMessageContaining("PKCS#8").hasMessageNotContaining("AAAA");
        assertThatThrownBy(() -> credentials(new Credentials(Kind.OAUTH2_CLIENT_CREDENTIALS, null, null,
                identityProvider.baseUrl() + "/oauth2/token", CLIENT_ID, null, null, null, null, "PKCS12", null, null,
                "PKCS12", ClientAuthentication.PRIVATE_KEY_JWT, pem(dir, rsa()), null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("signing-key-id");
    }

    private static Credentials signedJwt(String signingKey) {
        return new Credentials(Kind.OAUTH2_CLIENT_CREDENTIALS, null, null, identityProvider.baseUrl() + "/oauth2/token",
                CLIENT_ID, null, null, null, null, "PKCS12", null, null, "PKCS12", ClientAuthentication.PRIVATE_KEY_JWT,
                signingKey, KID);
    }

    /** The private key as PEM PKCS#8, as {@code openssl genpkey -algorithm RSA} writes it. */
    private static String pem(Path dir, KeyPair keys) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded());
        return Files.writeString(dir.resolve("signing-key-" + System.nanoTime() + ".pem"),
                "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n").toString();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] parts = pair.split("=", 2);
            form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    private static PartnerCredentials credentials(Credentials credentials) {
        return new PartnerCredentials(new PartnerCredentialsProperties(Map.of("nhs", new Partner(credentials)), null,
                null, null), TestConfigurations.fixedClock());
    }
}
