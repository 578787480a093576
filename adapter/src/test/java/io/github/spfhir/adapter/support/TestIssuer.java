package io.github.spfhir.adapter.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * The token issuer of the tests: an RSA key made once per JVM, its JWK Set published on a loopback HTTP server
 * (as a real identity provider publishes it), and tokens signed with it, dated by the tests' fixed clock. Integration
 * tests trust it through the production path, {@code adapter.security.issuers.test} ({@link TestClockConfiguration}),
 * not through the development mode. Claims are the defaults of {@code adapter.security.claims}.
 */
public final class TestIssuer {

    public static final String ISSUER = "https://issuer.test.invalid";
    public static final String AUDIENCE = "sp-fhir-adapter";
    /**
     * A second issuer with the same key, trusted with {@code require-unique-jti} (each token accepted once):
     * sign {@link #claims} with this {@code iss}.
     */
    public static final String UNIQUE_JTI_ISSUER = "https://unique-jti.issuer.test.invalid";
    /** A client whose rate limit the integration tests set low ({@link AdapterIntegrationTest}). */
    public static final String RATE_LIMITED_CLIENT = "test-rate-limited-client";
    /** The practice of the fixtures' referrals. */
    public static final String FIXTURE_PRACTICE = "A81001";

    private static RSAKey key;
    private static HttpServer server;
    /** What tokens are dated by: the tests' fixed clock, unless a driver on the real clock says otherwise. */
    private static volatile Clock clock = TestConfigurations.fixedClock();

    private TestIssuer() {
    }

    /** Dates the tokens made from now on by this clock (benchmarks run the adapter on the real clock). */
    public static void dateTokensBy(Clock tokenClock) {
        clock = tokenClock;
    }

    /** Where the JWK Set is published. */
    public static synchronized String jwkSetUri() {
        if (server == null) {
            try {
                key = new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).generate();
                byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/jwks", exchange -> {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, jwks.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(jwks);
                    }
                });
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    public static String gpSystem(String practice) {
        return token("test-gp-" + practice, "gp-system", c -> c.claim("ods_code", practice));
    }

    public static String linkWorkerPlatform(String platformId) {
        return token("test-platform-" + platformId, "link-worker-platform", c -> c.claim("platform_id", platformId));
    }

    public static String dataPlatform() {
        return token("test-data-platform", "data-platform", c -> { });
    }

    public static String operator() {
        return token("test-operator", "operator", c -> { });
    }

    /** A token of this client and role, valid for an hour from the tests' clock, with more claims as given. */
    public static String token(String clientId, String role, Consumer<JWTClaimsSet.Builder> more) {
        return sign(key(), claims(clientId, role, clock.instant(), Duration.ofHours(1), more).build());
    }

    /** The claims of a token as {@link #token} makes them, for a test to change before signing. */
    public static JWTClaimsSet.Builder claims(String clientId, String role, Instant issuedAt, Duration lifetime,
            Consumer<JWTClaimsSet.Builder> more) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(List.of(AUDIENCE))
                .subject(clientId).claim("client_id", clientId).claim("roles", List.of(role))
                .issueTime(Date.from(issuedAt)).expirationTime(Date.from(issuedAt.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        more.accept(claims);
        return claims;
    }

    /** Signed with the issuer's published key. */
    public static String sign(JWTClaimsSet claims) {
        return sign(key(), claims);
    }

    /** Signed with another key (not published): a forged token. */
    public static String signWithAnotherKey(JWTClaimsSet claims) {
        try {
            return sign(new RSAKeyGenerator(2048).keyID(key().getKeyID()).generate(), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey key() {
        jwkSetUri();
        return key;
    }

    private static String sign(RSAKey signingKey, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
