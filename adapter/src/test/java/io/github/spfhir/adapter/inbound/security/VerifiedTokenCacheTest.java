package io.github.spfhir.adapter.inbound.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import com.nimbusds.jwt.JWTClaimsSet;

import io.github.spfhir.adapter.support.MovableClock;
import io.github.spfhir.adapter.support.TestIssuer;

/**
 * {@link VerifiedTokenCache} with Spring's real decoder and the tests' issuer (an RSA key published on a loopback
 * JWK Set endpoint): a signature is verified once, the claims are checked on every use, a refused token is never kept.
 */
class VerifiedTokenCacheTest {

    private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final CountingDecoder signatureVerifier = new CountingDecoder(nimbus());

    private static NimbusJwtDecoder nimbus() {
        return NimbusJwtDecoder.withJwkSetUri(TestIssuer.jwkSetUri()).jwsAlgorithm(SignatureAlgorithm.RS256).build();
    }

    private VerifiedTokenCache cache(OAuth2TokenValidator<Jwt> checks, Duration timeToLive) {
        signatureVerifier.nimbus.setJwtValidator(jwt -> OAuth2TokenValidatorResult.success());
        return new VerifiedTokenCache(signatureVerifier, checks, timeToLive, 100, clock);
    }

    private OAuth2TokenValidator<Jwt> issuerChecks() {
        return SecurityConfiguration.validator(TestIssuer.ISSUER, List.of(TestIssuer.AUDIENCE), CLOCK_SKEW, clock);
    }

    private String token(Duration lifetime) {
        return TestIssuer.sign(TestIssuer.claims("client-a", "gp-system", clock.instant(), lifetime, c -> { }).build());
    }

    @Test
    void aTokenIsVerifiedOnceAndItsClaimsCheckedOnEveryUse() {
        AtomicInteger checked = new AtomicInteger();
        OAuth2TokenValidator<Jwt> checks = issuerChecks();
        VerifiedTokenCache cache = cache(jwt -> {
            checked.incrementAndGet();
            return checks.validate(jwt);
        }, Duration.ofMinutes(1));
        String token = token(Duration.ofMinutes(5));

        Jwt first = cache.decode(token);
        Jwt second = cache.decode(token);
        Jwt third = cache.decode(token);

        assertThat(first.getClaimAsString("client_id")).isEqualTo("client-a");
        assertThat(second.getTokenValue()).isEqualTo(token);
        assertThat(third.getClaims()).isEqualTo(first.getClaims());
        assertThat(signatureVerifier.calls).as("signature verified once").hasValue(1);
        assertThat(checked).as("claims checked on every use").hasValue(3);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aKeptTokenThatExpiresIsRefusedAsExpiredAsSpringRefusesIt() {
        VerifiedTokenCache cache = cache(issuerChecks(), Duration.ofMinutes(10));
        String token = token(Duration.ofMinutes(2));
        cache.decode(token);

        clock.advance(Duration.ofMinutes(2).plus(CLOCK_SKEW).plusSeconds(1));

        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageStartingWith("An error occurred while attempting to decode the Jwt: Jwt expired at")
                .satisfies(e -> assertThat(((JwtValidationException) e).getErrors()).extracting(OAuth2Error::getErrorCode)
                        .containsExactly(OAuth2ErrorCodes.INVALID_TOKEN));
        assertThat(signatureVerifier.calls).hasValue(1);
        // the same token refused the same way by Spring's decoder doing both, as it does with the cache turned off
        NimbusJwtDecoder spring = nimbus();
        spring.setJwtValidator(issuerChecks());
        assertThatThrownBy(() -> spring.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessage(catchMessage(() -> cache.decode(token)));
    }

    @Test
    void aTokenAcceptedOnceIsRefusedTheSecondTimeWhenItsIssuerSaysSo() {
        // UniqueTokenValidator's second answer for a jti already seen, with a store that remembers in memory
        java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        OAuth2TokenValidator<Jwt> checks = issuerChecks();
        VerifiedTokenCache cache = cache(jwt -> {
            OAuth2TokenValidatorResult first = checks.validate(jwt);
            if (first.hasErrors() || seen.add(jwt.getId())) {
                return first;
            }
            return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                    UniqueTokenValidator.ALREADY_USED, null));
        }, Duration.ofMinutes(1));
        String token = token(Duration.ofMinutes(5));

        cache.decode(token);

        assertThatThrownBy(() -> cache.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining(UniqueTokenValidator.ALREADY_USED);
    }

    @Test
    void aTokenWhoseSignatureFailsIsNeverKeptAndIsVerifiedAgainEachTime() {
        VerifiedTokenCache cache = cache(issuerChecks(), Duration.ofMinutes(1));
        JWTClaimsSet claims = TestIssuer.claims("client-a", "gp-system", clock.instant(), Duration.ofMinutes(5),
                c -> { }).build();
        String forged = TestIssuer.signWithAnotherKey(claims);

        assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode(forged)).isInstanceOf(BadJwtException.class);

        assertThat(signatureVerifier.calls).hasValue(2);
        assertThat(cache.size()).isZero();
        // and the genuine token with the same claims is a different entry
        cache.decode(TestIssuer.sign(claims));
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aTokenIsVerifiedAgainOnceItsTimeToLiveHasPassed() {
        VerifiedTokenCache cache = cache(issuerChecks(), Duration.ofMinutes(1));
        String token = token(Duration.ofMinutes(30));
        cache.decode(token);

        clock.advance(Duration.ofSeconds(59));
        cache.decode(token);
        assertThat(signatureVerifier.calls).hasValue(1);

        clock.advance(Duration.ofSeconds(2));
        cache.decode(token);
        assertThat(signatureVerifier.calls).as("verified again after a minute").hasValue(2);
    }

    @Test
    void withATimeToLiveOfZeroSpringsDecoderDoesBothOnEveryUse() {
        NimbusJwtDecoder spring = nimbus();
        OAuth2TokenValidator<Jwt> checks = issuerChecks();

        JwtDecoder decoder = SecurityConfiguration.decoder(spring, checks,
                new SecurityProperties.VerifiedTokens(Duration.ZERO, 10), clock);

        assertThat(decoder).isSameAs(spring);
        String token = token(Duration.ofMinutes(2));
        assertThat(decoder.decode(token).getSubject()).isEqualTo("client-a");
        clock.advance(Duration.ofMinutes(4));
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
        assertThat(SecurityConfiguration.decoder(nimbus(), checks, SecurityProperties.VerifiedTokens.DEFAULT, clock))
                .isInstanceOf(VerifiedTokenCache.class);
    }

    @Test
    void aNegativeTimeToLiveOrNoRoomIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new SecurityProperties.VerifiedTokens(Duration.ofSeconds(-1), 10))
                .hasMessageContaining("adapter.security.verified-tokens.time-to-live");
        assertThatThrownBy(() -> new SecurityProperties.VerifiedTokens(Duration.ofMinutes(1), 0))
                .hasMessageContaining("adapter.security.verified-tokens.maximum-size");
    }

    private static String catchMessage(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        throw new AssertionError("no refusal");
    }

    /** Spring's decoder, counting the tokens it is asked to verify. */
    private static final class CountingDecoder implements JwtDecoder {

        final NimbusJwtDecoder nimbus;
        final AtomicInteger calls = new AtomicInteger();

        CountingDecoder(NimbusJwtDecoder nimbus) {
            this.nimbus = nimbus;
        }

        @Override
        public Jwt decode(String token) {
            calls.incrementAndGet();
            return nimbus.decode(token);
        }
    }
}
