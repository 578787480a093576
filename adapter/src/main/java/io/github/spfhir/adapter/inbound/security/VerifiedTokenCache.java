package io.github.spfhir.adapter.inbound.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A bearer token's signature verified once, its claims checked on every use
 * ({@code adapter.security.verified-tokens}).
 *
 * <p>Why: a client sends the same token with every request until it expires (an OAuth 2.0 access token typically
 * lives for minutes), and verifying its signature (RSA or ECDSA) and parsing it again each time was about 2 % of the
 * adapter's CPU per referral (docs/benchmarks.md, sixteenth session). Verification is deterministic: the same bytes
 * checked against the same keys give the same answer, so the answer is kept, for at most {@code time-to-live}.
 *
 * <p>What is kept and what is not:
 * <ul>
 * <li>Only tokens whose signature verified are kept, under the exact token text; a refused token is verified again
 *     each time it is sent.</li>
 * <li>Every check on the claims (issuer, audience, expiry and not-before with the clock skew and, for an issuer that
 *     requires it, that the token was not used before) runs on every use, cached or not: a token that expires while
 *     kept is refused as expired, and a token accepted once is refused the second time.</li>
 * <li>A key the issuer withdraws from its JWK Set stops verifying new tokens once the JWK Set is fetched again; a
 *     token it signed that is already kept is accepted until {@code time-to-live} after its first use, or its expiry,
 *     whichever is sooner. Keep {@code time-to-live} short (default one minute); zero turns the cache off.</li>
 * </ul>
 *
 * <p>Refusals are thrown exactly as Spring's {@code NimbusJwtDecoder} throws them (a {@link JwtValidationException}
 * carrying the failed checks' errors), so {@link SecurityRefusals} words them the same.
 */
final class VerifiedTokenCache implements JwtDecoder {

    /** Spring's {@code NimbusJwtDecoder} words a failed check so; kept the same for the callers' logs. */
    private static final String REFUSAL = "An error occurred while attempting to decode the Jwt: %s";

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> checks;
    private final Cache<String, Jwt> verified;

    /**
     * @param verifier   verifies the signature and parses the claims, and checks nothing else
     * @param checks     the checks on the claims, run on every use
     * @param timeToLive how long a verified token is kept after its first use (positive)
     * @param maximumSize how many verified tokens are kept at most (the least used go first)
     * @param clock      the adapter's clock, which times the keeping too
     */
    VerifiedTokenCache(JwtDecoder verifier, OAuth2TokenValidator<Jwt> checks, Duration timeToLive, long maximumSize,
            Clock clock) {
        this.verifier = verifier;
        this.checks = checks;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(timeToLive)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run) // evictions on the caller's thread: no work left to a shared pool
                .build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = verified.get(token, verifier::decode); // a refusal is thrown as it is and nothing is kept
        OAuth2TokenValidatorResult result = checks.validate(jwt);
        if (result.hasErrors()) {
            throw new JwtValidationException(message(result.getErrors()), result.getErrors());
        }
        return jwt;
    }

    /** How many verified tokens are kept now (for tests). */
    long size() {
        verified.cleanUp();
        return verified.estimatedSize();
    }

    private static String message(Collection<OAuth2Error> errors) {
        return errors.stream().map(OAuth2Error::getDescription).filter(d -> d != null && !d.isEmpty()).findFirst()
                .map(d -> String.format(REFUSAL, d)).orElse("Unable to validate Jwt");
    }
}
