package io.github.spfhir.adapter.inbound.security;

import static io.github.spfhir.adapter.support.AdapterHttp.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.github.spfhir.adapter.domain.retention.RetentionService;
import io.github.spfhir.adapter.store.AuditStore;
import io.github.spfhir.adapter.store.SeenTokenStore;
import io.github.spfhir.adapter.support.EndToEndTest;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestIssuer;

/**
 * The limits on what one client may do (issue #6): a per-client rate limit (429 with Retry-After, decided before the
 * body is read, audited), and tokens of an issuer that requires it accepted once each (a replay is 401), across
 * instances sharing the database. Expired tokens are {@code SecurityEndToEndTest}'s.
 */
class SecurityLimitsEndToEndTest extends EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEARCH = "/fhir/ServiceRequest?_count=1";

    @Autowired
    private AuditStore audit;
    @Autowired
    private SeenTokenStore seenTokens;
    @Autowired
    private RetentionService retention;
    @Autowired
    private JdbcClient jdbc;

    @Test
    void aClientBeyondItsRateLimitIs429WithRetryAfterBeforeItsBodyIsReadAndAudited() throws Exception {
        // the client's override is 3 requests a minute (AdapterIntegrationTest); its role's default is far higher
        String limited = TestIssuer.token(TestIssuer.RATE_LIMITED_CLIENT, "gp-system",
                c -> c.claim("ods_code", TestIssuer.FIXTURE_PRACTICE));
        for (int i = 0; i < 3; i++) {
            assertThat(http.get(SEARCH, "application/fhir+json", Map.of("Authorization", bearer(limited))).statusCode())
                    .isEqualTo(200);
        }
        HttpResponse<String> refused = http.get(SEARCH, "application/fhir+json",
                Map.of("Authorization", bearer(limited)));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        // one request comes back every 20 s of a 3-a-minute allowance
        assertThat(retryAfter).isBetween(1L, 20L);
        JsonNode issue = outcomeIssue(refused, "throttled");
        assertThat(issue.get("diagnostics").asText()).contains("3 requests").contains("retry after " + retryAfter);
        assertThat(refused.body()).doesNotContain(limited);

        // a referral posted now is refused 429 before it is read: a body that is not even JSON gets no 400, and
        // nothing is stored, not even as a rejected message
        int inbound = count("inbound_message");
        int rejected = count("rejected_message");
        HttpResponse<String> post = http.processMessage("{not json", "application/fhir+json",
                Map.of("Authorization", bearer(limited), "X-Request-ID", UUID.randomUUID().toString(),
                        "X-Correlation-ID", UUID.randomUUID().toString()));
        assertThat(post.statusCode()).as(post.body()).isEqualTo(429);
        outcomeIssue(post, "throttled");
        assertThat(count("inbound_message")).isEqualTo(inbound);
        assertThat(count("rejected_message")).isEqualTo(rejected);

        // the audit entry is written once the answer is sent
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                audit.list(TestIssuer.RATE_LIMITED_CLIENT, null, null, 10)).filteredOn(e -> e.httpStatus() == 429)
                .hasSize(2)
                .allSatisfy(e -> {
                    assertThat(e.outcome()).isEqualTo("rate limit: more than 3 requests per PT1M");
                    assertThat(e.role()).isEqualTo("gp-system");
                    assertThat(e.organisation()).isEqualTo(TestIssuer.FIXTURE_PRACTICE);
                }));

        // the limit is the client's own: another client of the same practice and role is served
        String other = TestIssuer.token("test-gp-another-client", "gp-system",
                c -> c.claim("ods_code", TestIssuer.FIXTURE_PRACTICE));
        assertThat(http.get(SEARCH, "application/fhir+json", Map.of("Authorization", bearer(other))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aTokenOfAnIssuerRequiringUniqueJtiIsAcceptedOnceAndItsReplayIs401() throws Exception {
        String token = TestIssuer.sign(uniqueJtiClaims("test-gp-once", c -> { }));
        assertThat(http.get(SEARCH, "application/fhir+json", Map.of("Authorization", bearer(token))).statusCode())
                .isEqualTo(200);

        HttpResponse<String> replay = http.get(SEARCH, "application/fhir+json", Map.of("Authorization", bearer(token)));
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(401);
        assertThat(replay.headers().firstValue("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        JsonNode issue = outcomeIssue(replay, "security");
        assertThat(issue.get("diagnostics").asText()).contains("already used");
        assertThat(replay.body()).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        // the replay is refused before the token's client is read: the client's one entry is its first use
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audit.list(null, null, null, 20))
                .anySatisfy(e -> {
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.outcome()).isEqualTo("token not accepted: it was already used (this issuer's tokens"
                            + " are accepted once each)");
                }));
        assertThat(audit.list("test-gp-once", null, null, 10)).singleElement()
                .satisfies(e -> assertThat(e.httpStatus()).isEqualTo(200));

        // the ordinary issuer does not require it: its token may be used again within its lifetime
        String reusable = TestIssuer.gpSystem(TestIssuer.FIXTURE_PRACTICE);
        for (int i = 0; i < 2; i++) {
            assertThat(http.get(SEARCH, "application/fhir+json", Map.of("Authorization", bearer(reusable)))
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aTokenWithoutJtiOfAnIssuerRequiringItIs401() throws Exception {
        String token = TestIssuer.sign(uniqueJtiClaims("test-gp-no-jti", c -> c.jwtID(null)));
        HttpResponse<String> refused = http.get(SEARCH, "application/fhir+json", Map.of("Authorization", bearer(token)));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(outcomeIssue(refused, "security").get("diagnostics").asText()).contains("no jti");
    }

    @Test
    void aTokenRefusedForAnotherReasonDoesNotUseUpItsJti() throws Exception {
        JWTClaimsSet wrongAudience = uniqueJtiClaims("test-gp-wrong-audience", c -> c.audience("another-service"));
        HttpResponse<String> refused = http.get(SEARCH, "application/fhir+json",
                Map.of("Authorization", bearer(TestIssuer.sign(wrongAudience))));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(outcomeIssue(refused, "security").get("diagnostics").asText()).contains("audience");
        assertThat(seenTokens.recordFirstUse(TestIssuer.UNIQUE_JTI_ISSUER, wrongAudience.getJWTID(),
                TestConfigurations.fixedClock().instant().plusSeconds(60))).isTrue();
    }

    /** Instances sharing the database share the jti seen: of simultaneous uses of one token, one is accepted. */
    @Test
    void simultaneousUsesOfOneTokenAreAcceptedOnceAndAnotherInstanceRefusesItToo() throws Exception {
        String token = TestIssuer.sign(uniqueJtiClaims("test-gp-raced", c -> { }));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Callable<Integer>> uses = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                uses.add(() -> http.get(SEARCH, "application/fhir+json", Map.of("Authorization", bearer(token)))
                        .statusCode());
            }
            for (Future<Integer> use : pool.invokeAll(uses)) {
                statuses.add(use.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).containsOnlyOnce(200).containsOnly(200, 401);

        // another instance is another validator over the same database
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        Jwt jwt = Jwt.withTokenValue(token).headers(h -> h.put("alg", "RS256"))
                .claims(c -> c.putAll(claims.toJSONObject()))
                .claim("exp", claims.getExpirationTime().toInstant())
                .claim("iat", claims.getIssueTime().toInstant()).build();
        UniqueTokenValidator anotherInstance = new UniqueTokenValidator(t -> OAuth2TokenValidatorResult.success(),
                seenTokens, Duration.ofSeconds(60));
        assertThat(anotherInstance.validate(jwt).getErrors()).singleElement()
                .satisfies(e -> assertThat(e.getDescription()).isEqualTo(UniqueTokenValidator.ALREADY_USED));
    }

    @Test
    void usedTokenIdsAreForgottenByRetentionOnceTheirTokensHaveExpired() {
        Instant now = TestConfigurations.fixedClock().instant();
        String expiredJti = "retention-" + UUID.randomUUID();
        String liveJti = "retention-" + UUID.randomUUID();
        assertThat(seenTokens.recordFirstUse(TestIssuer.UNIQUE_JTI_ISSUER, expiredJti, now.minusSeconds(1))).isTrue();
        assertThat(seenTokens.recordFirstUse(TestIssuer.UNIQUE_JTI_ISSUER, liveJti, now.plusSeconds(3600))).isTrue();

        retention.prune();

        assertThat(seenTokens.recordFirstUse(TestIssuer.UNIQUE_JTI_ISSUER, liveJti, now.plusSeconds(3600))).isFalse();
        assertThat(seenTokens.recordFirstUse(TestIssuer.UNIQUE_JTI_ISSUER, expiredJti, now.plusSeconds(3600)))
                .as("pruned, so recorded anew").isTrue();
    }

    @Test
    void theCapabilityStatementSaysHowCallersAuthenticateAndTheirLimits() throws Exception {
        HttpResponse<String> metadata = http.anonymous().get("/fhir/metadata");
        assertThat(metadata.statusCode()).isEqualTo(200);
        JsonNode security = JSON.readTree(metadata.body()).get("rest").get(0).get("security");
        JsonNode service = security.get("service").get(0).get("coding").get(0);
        assertThat(service.get("system").asText())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/restful-security-service");
        assertThat(service.get("code").asText()).isEqualTo("OAuth");
        assertThat(security.get("service")).hasSize(1);
        String description = security.get("description").asText();
        assertThat(description).contains("bearer token", "JWT", "gp-system", "link-worker-platform", "data-platform",
                "operator", "gp-system 3000", "per 1m", "429 with Retry-After", "accepted once each");
        assertThat(description).as("development mode is off in this context").doesNotContain("DEVELOPMENT MODE")
                .doesNotContain(TestIssuer.RATE_LIMITED_CLIENT);
    }

    private static JWTClaimsSet uniqueJtiClaims(String clientId, Consumer<JWTClaimsSet.Builder> more) {
        return TestIssuer.claims(clientId, "gp-system", TestConfigurations.fixedClock().instant(), Duration.ofHours(1),
                c -> {
                    c.issuer(TestIssuer.UNIQUE_JTI_ISSUER).claim("ods_code", TestIssuer.FIXTURE_PRACTICE);
                    more.accept(c);
                }).build();
    }

    private int count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Integer.class).single();
    }

    private static JsonNode outcomeIssue(HttpResponse<String> answer, String issueCode) throws Exception {
        JsonNode outcome = JSON.readTree(answer.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        JsonNode issue = outcome.get("issue").get(0);
        assertThat(issue.get("code").asText()).as(answer.body()).isEqualTo(issueCode);
        return issue;
    }
}
