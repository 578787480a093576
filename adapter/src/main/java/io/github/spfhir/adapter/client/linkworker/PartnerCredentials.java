package io.github.spfhir.adapter.client.linkworker;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.github.spfhir.adapter.config.PartnerCredentialsProperties;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.ClientAuthentication;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Credentials;
import io.github.spfhir.adapter.config.PartnerCredentialsProperties.Kind;

/**
 * How the adapter authenticates to a partner. The headers: none, an API key in its header, or
 * {@code Authorization: Bearer} with an OAuth 2.0 access token got by the client credentials grant (RFC 6749 §4.4,
 * client authentication {@code client_secret_basic}, or {@code private_key_jwt}: a JWT signed with our RSA key, RS512,
 * as the NHS API platform's signed-JWT authentication asks), cached until shortly before it expires. The transport: for a
 * partner with a {@code key-store} (kind {@code mtls}, or any other kind as well), a TLS context presenting our client
 * certificate (mutual TLS) and trusting the partner's CAs ({@code trust-store}, else the JDK's), read at start-up; the
 * token request of such a partner goes over it too. Used for every delivery
 * ({@code domain/delivery/PartnerDeliveryService}), every poll of an event feed, and every read of a directory source
 * (partner id {@link #directory(String)}).
 *
 * <p>Secrets are never logged nor put in an exception message; a token endpoint's refusal is reported by its status
 * only, and an unreadable key store by its path and the exception's type.
 */
@Component
public class PartnerCredentials {

    /** A token is renewed this long before its expiry, so it does not expire in flight. */
    static final Duration RENEW_BEFORE = Duration.ofSeconds(30);
    /** Assumed lifetime of a token whose response says none. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(10);
    /** A client assertion's lifetime: the NHS API platform takes none that expires more than 5 minutes ahead. */
    static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final Map<String, Credentials> byPartner = new LinkedHashMap<>();
    private final Map<String, SSLContext> tlsByPartner = new LinkedHashMap<>();
    private final Map<String, PrivateKey> signingKeys = new LinkedHashMap<>();
    private final Map<String, HttpClient> tokenClients = new ConcurrentHashMap<>();
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public PartnerCredentials(PartnerCredentialsProperties properties, Clock clock) {
        properties.destinations().forEach((id, p) -> add(id, p));
        properties.gpSystems().forEach((id, p) -> add(id, p));
        properties.dataPlatforms().forEach((id, p) -> add(id, p));
        properties.directories().forEach((id, p) -> add(directory(id), p));
        this.clock = clock;
        this.http = PlatformHttpClient.newHttpClient(PlatformHttpClient.DEFAULT_CONNECT_TIMEOUT,
                HttpClient.Redirect.NEVER, null);
    }

    /** The partner id of the directory source {@code adapter.directories.<sourceId>}. */
    public static String directory(String sourceId) {
        return "directories." + sourceId;
    }

    private void add(String partnerId, PartnerCredentialsProperties.Partner partner) {
        Credentials credentials = partner == null ? null : partner.credentials();
        if (credentials == null || credentials.kind() == null) {
            return;
        }
        String prefix = "credentials of partner '" + partnerId + "'";
        if (credentials.kind() == Kind.MTLS && blank(credentials.keyStore())) {
            throw new IllegalStateException(prefix + ": mtls needs key-store (and key-store-password)");
        }
        if (!blank(credentials.keyStore()) || !blank(credentials.trustStore())) {
            tlsByPartner.put(partnerId, tls(prefix, credentials));
        }
        if (credentials.kind() == Kind.NONE || credentials.kind() == Kind.MTLS) {
            return;
        }
        if (credentials.kind() == Kind.API_KEY && (blank(credentials.apiKey()) || blank(credentials.apiKeyHeader()))) {
            throw new IllegalStateException(prefix + ": api-key needs api-key-header and api-key");
        }
        boolean signedJwt = credentials.clientAuthentication() == ClientAuthentication.PRIVATE_KEY_JWT;
        if (credentials.kind() == Kind.OAUTH2_CLIENT_CREDENTIALS && !signedJwt && (blank(credentials.tokenUrl())
                || blank(credentials.clientId()) || blank(credentials.clientSecret()))) {
            throw new IllegalStateException(prefix + ": oauth2-client-credentials needs token-url, client-id and "
                    + "client-secret");
        }
        if (credentials.kind() == Kind.OAUTH2_CLIENT_CREDENTIALS && signedJwt) {
            if (blank(credentials.tokenUrl()) || blank(credentials.clientId()) || blank(credentials.signingKey())
                    || blank(credentials.signingKeyId())) {
                throw new IllegalStateException(prefix + ": oauth2-client-credentials with private-key-jwt needs "
                        + "token-url, client-id, signing-key and signing-key-id");
            }
            signingKeys.put(partnerId, rsaPrivateKey(prefix + ": signing-key", credentials.signingKey()));
        }
        byPartner.put(partnerId, credentials);
    }

    /**
     * The TLS context to call this partner with: our client certificate and the CAs trusted for it; empty for a
     * partner without {@code key-store} or {@code trust-store} (the JDK's defaults).
     */
    public Optional<SSLContext> sslContext(String partnerId) {
        return Optional.ofNullable(tlsByPartner.get(partnerId));
    }

    /**
     * The TLS context of the stores; a store that cannot be read stops the start-up, named by its setting and path
     * (never its password, nor the JDK's message, which could be anything).
     */
    private static SSLContext tls(String prefix, Credentials credentials) {
        try {
            KeyManagerFactory keys = null;
            if (!blank(credentials.keyStore())) {
                char[] password = password(credentials.keyStorePassword());
                KeyStore store = load(prefix + ": key-store", credentials.keyStore(), credentials.keyStoreType(), password);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
            }
            TrustManagerFactory trust = null;
            if (!blank(credentials.trustStore())) {
                KeyStore store = load(prefix + ": trust-store", credentials.trustStore(), credentials.trustStoreType(),
                        password(credentials.trustStorePassword()));
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(prefix + ": the TLS context cannot be made (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    private static KeyStore load(String what, String file, String type, char[] password) {
        // a path, or a file: URL as server.ssl takes it
        String location = file.trim();
        Path path = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(blank(type) ? "PKCS12" : type.trim());
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // a wrong password is an IOException too; its message is not passed on
            throw new IllegalStateException(what + " " + path + " cannot be read (" + e.getClass().getSimpleName()
                    + "): check the file, its type and its password");
        }
    }

    /** An RSA private key from a PEM file (PKCS#8, {@code BEGIN PRIVATE KEY}); named by its path only when unreadable. */
    private static PrivateKey rsaPrivateKey(String what, String file) {
        Path path = Path.of(file.trim().startsWith("file:") ? file.trim().substring("file:".length()) : file.trim());
        try {
            String pem = Files.readString(path, StandardCharsets.US_ASCII);
            if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalStateException(what + " " + path + " is not a PEM PKCS#8 private key (BEGIN PRIVATE "
                        + "KEY); convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
            }
            String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(what + " " + path + " cannot be read as an RSA private key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static char[] password(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    /**
     * The headers to send to this partner (empty when it takes none).
     *
     * @throws RetryableDeliveryException when the token endpoint cannot be reached, times out, or answers 408, 429 or
     *                                    5xx
     * @throws PermanentDeliveryException when the token endpoint refuses our client (any other status), or its answer
     *                                    holds no access token
     */
    public Map<String, String> headersFor(String partnerId) {
        Credentials credentials = byPartner.get(partnerId);
        if (credentials == null) {
            return Map.of();
        }
        return switch (credentials.kind()) {
            case NONE, MTLS -> Map.of();
            case API_KEY -> Map.of(credentials.apiKeyHeader(), credentials.apiKey());
            case OAUTH2_CLIENT_CREDENTIALS -> Map.of("Authorization", "Bearer " + token(partnerId, credentials));
        };
    }

    /** True when calls to this partner carry a secret header (an API key or an access token). */
    public boolean sendsSecretHeaders(String partnerId) {
        return byPartner.containsKey(partnerId);
    }

    /** Forgets a partner's cached token (after it answered 401), so the next call asks for a new one. */
    public void invalidate(String partnerId) {
        tokens.remove(partnerId);
    }

    private String token(String partnerId, Credentials credentials) {
        Instant now = clock.instant();
        CachedToken cached = tokens.get(partnerId);
        if (cached != null && now.isBefore(cached.expiresAt().minus(RENEW_BEFORE))) {
            return cached.value();
        }
        CachedToken fresh = requestToken(tokenClient(partnerId), credentials, signingKeys.get(partnerId), now);
        tokens.put(partnerId, fresh);
        return fresh.value();
    }

    /** The token endpoint of a partner with mutual TLS is called with its TLS context too. */
    private HttpClient tokenClient(String partnerId) {
        SSLContext tls = tlsByPartner.get(partnerId);
        return tls == null ? http : tokenClients.computeIfAbsent(partnerId, id -> PlatformHttpClient.newHttpClient(
                PlatformHttpClient.DEFAULT_CONNECT_TIMEOUT, HttpClient.Redirect.NEVER, tls));
    }

    private CachedToken requestToken(HttpClient http, Credentials credentials, PrivateKey signingKey, Instant now) {
        URI tokenUrl = URI.create(credentials.tokenUrl().trim());
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (!blank(credentials.scope())) {
            form.append("&scope=").append(URLEncoder.encode(credentials.scope().trim(), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(tokenUrl).timeout(TOKEN_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (signingKey != null) {
            // RFC 7523 §2.2: the client proves itself by a JWT it signs; no secret is sent
            form.append("&client_assertion_type=").append(URLEncoder.encode(ASSERTION_TYPE, StandardCharsets.UTF_8))
                    .append("&client_assertion=").append(clientAssertion(credentials, signingKey, tokenUrl, now));
        } else {
            // RFC 6749 §2.3.1: id and secret form-encoded, then Basic
            String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(credentials.clientId(), StandardCharsets.UTF_8)
                    + ":" + URLEncoder.encode(credentials.clientSecret(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            builder.header("Authorization", "Basic " + basic);
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8))
                .build();
        String target = "token request to " + PlatformHttpClient.withoutQuery(tokenUrl);
        HttpResponse<String> response;
        try {
            response = PlatformHttpClient.exchange(http, request, target, TOKEN_TIMEOUT);
        } catch (RetryableDeliveryException e) {
            // the token endpoint's answer is not kept: it is not ours to store
            throw new RetryableDeliveryException(e.status(), e.getMessage());
        } catch (PermanentDeliveryException e) {
            throw new PermanentDeliveryException(e.status(), e.getMessage());
        }
        try {
            JsonNode answer = json.readTree(response.body());
            String token = answer.path("access_token").asText("");
            if (token.isEmpty()) {
                throw new PermanentDeliveryException(response.statusCode(), target + ": the answer holds no access_token");
            }
            long seconds = answer.path("expires_in").asLong(0);
            return new CachedToken(token, now.plus(seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME));
        } catch (java.io.IOException e) {
            throw new PermanentDeliveryException(response.statusCode(), target + ": the answer is not JSON");
        }
    }

    /**
     * The signed JWT of {@code private_key_jwt} (RFC 7523 §3; the NHS API platform's signed-JWT authentication): RS512
     * with our key's {@code kid}; {@code iss} and {@code sub} our client id, {@code aud} the token endpoint, a fresh
     * {@code jti} each time (the endpoint refuses one it has seen), expiring {@link #ASSERTION_LIFETIME} from now.
     */
    static String clientAssertion(Credentials credentials, PrivateKey signingKey, URI tokenUrl, Instant now) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(credentials.signingKeyId().trim())
                .type(JOSEObjectType.JWT).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(credentials.clientId().trim())
                .subject(credentials.clientId().trim())
                .audience(tokenUrl.toString())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ASSERTION_LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("The client assertion could not be signed (" + e.getClass().getSimpleName()
                    + ")");
        }
        return jwt.serialize();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private record CachedToken(String value, Instant expiresAt) {

        @Override
        public String toString() {
            return "CachedToken[expiresAt=" + expiresAt + "]"; // never the token
        }
    }
}
