package io.github.spfhir.adapter.inbound.security;

import java.time.Duration;
import java.time.Instant;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;

import io.github.spfhir.adapter.store.SeenTokenStore;

/**
 * Each token of an issuer accepted once ({@code adapter.security.issuers.<name>.require-unique-jti}), as the NHS API
 * platform's signed-JWT authentication has it: a token must carry a {@code jti}, and a jti already seen from the same
 * issuer within the token's lifetime is a replay. Runs after the other checks pass (signature, issuer, audience,
 * times), so a token refused for another reason does not use up its jti; the jti is then recorded in the store
 * shared by all instances ({@link SeenTokenStore}) until the token expires (plus the clock skew, during which it
 * would still be accepted).
 */
public class UniqueTokenValidator implements OAuth2TokenValidator<Jwt> {

    /** Fixed words of the refusals, read by {@link SecurityRefusals} (never the token or its claims). */
    static final String ALREADY_USED = "replayed token: already used";
    static final String NO_JTI = "replayed token check: no jti";

    private final OAuth2TokenValidator<Jwt> checksFirst;
    private final SeenTokenStore seen;
    private final Duration clockSkew;

    public UniqueTokenValidator(OAuth2TokenValidator<Jwt> checksFirst, SeenTokenStore seen, Duration clockSkew) {
        this.checksFirst = checksFirst;
        this.seen = seen;
        this.clockSkew = clockSkew;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        OAuth2TokenValidatorResult first = checksFirst.validate(token);
        if (first.hasErrors()) {
            return first;
        }
        String jti = token.getId();
        if (jti == null || jti.isBlank()) {
            return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, NO_JTI, null));
        }
        // the other checks require an expiry; the skew is how long after it the token is still accepted
        Instant keepUntil = token.getExpiresAt().plus(clockSkew);
        if (!seen.recordFirstUse(String.valueOf(token.getClaimAsString(JwtClaimNames.ISS)), jti, keepUntil)) {
            return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, ALREADY_USED,
                    null));
        }
        return OAuth2TokenValidatorResult.success();
    }
}
