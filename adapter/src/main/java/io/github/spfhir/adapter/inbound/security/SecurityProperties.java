package io.github.spfhir.adapter.inbound.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.github.spfhir.adapter.domain.access.Role;

/**
 * Who may call the adapter and how callers are recognised: {@code adapter.security.*} in {@code application.yml},
 * each key in the operations guide (docs/operations.md, "Security"). Bound on its own, beside {@code AdapterProperties}.
 *
 * @param issuers           the token issuers trusted, by a name of the operator's choosing; an issuer whose
 *                          {@code issuer-uri} is blank is not used
 * @param claims            which token claims say who the caller is
 * @param roles             which values of the role claim give each role
 * @param dataPlatformReads the referral resource types a data platform may read (all of them, every referral);
 *                          empty: none
 * @param clockSkew         how far a token's times may be off the adapter's clock
 * @param devMode           the development issuer of the embedded run
 * @param verifiedTokens    how long a token whose signature verified is kept, so it is not verified again on each
 *                          use ({@link VerifiedTokenCache}); its claims are checked on every use
 */
@ConfigurationProperties("adapter.security")
public record SecurityProperties(
        Map<String, Issuer> issuers,
        @DefaultValue Claims claims,
        @DefaultValue RoleValues roles,
        List<String> dataPlatformReads,
        @DefaultValue("60s") Duration clockSkew,
        @DefaultValue DevMode devMode,
        @DefaultValue VerifiedTokens verifiedTokens) {

    public SecurityProperties {
        issuers = issuers == null ? Map.of() : Map.copyOf(issuers);
        verifiedTokens = verifiedTokens == null ? VerifiedTokens.DEFAULT : verifiedTokens;
        dataPlatformReads = dataPlatformReads == null ? List.of()
                : dataPlatformReads.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * One trusted issuer of bearer JWTs.
     *
     * @param issuerUri the {@code iss} its tokens carry, exactly
     * @param jwkSetUri where its public keys are published (JWKS); fetched and cached, never from the token
     * @param audiences the {@code aud} values accepted (at least one must be in the token)
     * @param requireUniqueJti each token is accepted once: it must carry a {@code jti}, and one already seen (by any
     *                  instance) within the token's lifetime is a replay, refused 401 ({@link UniqueTokenValidator})
     */
    public record Issuer(String issuerUri, URI jwkSetUri, List<String> audiences,
            @DefaultValue("false") boolean requireUniqueJti) {

        public Issuer {
            audiences = audiences == null ? List.of()
                    : audiences.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        boolean isSet() {
            return issuerUri != null && !issuerUri.isBlank();
        }
    }

    /**
     * The claims read from a token.
     *
     * @param clientId     the client's id (falls back to {@code sub} when absent)
     * @param role         the role claim: a string (several values separated by spaces or commas) or an array
     * @param organisation the client organisation's ODS code (required for a GP system: the practice it sends for)
     * @param platform     the link-worker platform's destination id (required for a link-worker platform)
     */
    public record Claims(
            @DefaultValue("client_id") String clientId,
            @DefaultValue("roles") String role,
            @DefaultValue("ods_code") String organisation,
            @DefaultValue("platform_id") String platform) {
    }

    /** For each role, the values of the role claim that give it (comma-separated). */
    public record RoleValues(
            @DefaultValue("gp-system") List<String> gpSystem,
            @DefaultValue("link-worker-platform") List<String> linkWorkerPlatform,
            @DefaultValue("data-platform") List<String> dataPlatform,
            @DefaultValue("operator") List<String> operator) {

        /** The claim values of one role. */
        public List<String> of(Role role) {
            List<String> values = switch (role) {
                case GP_SYSTEM -> gpSystem;
                case LINK_WORKER_PLATFORM -> linkWorkerPlatform;
                case DATA_PLATFORM -> dataPlatform;
                case OPERATOR -> operator;
            };
            return values == null ? List.of() : values.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }

    /**
     * The development issuer: a key pair made at start-up, a token endpoint ({@code POST /dev/token}) and its JWKS
     * ({@code GET /dev/jwks}). Only with the simulator on ({@code DevModeSafetyCheck}).
     *
     * @param enabled       accept tokens minted by the adapter itself
     * @param tokenLifetime how long a minted token is valid
     */
    public record DevMode(@DefaultValue("false") boolean enabled, @DefaultValue("1h") Duration tokenLifetime) {
    }

    /**
     * Tokens whose signature verified, kept so that a client's next request with the same token is not verified
     * again ({@link VerifiedTokenCache}).
     *
     * @param timeToLive  how long after its first use a token is kept (never beyond its expiry, which is checked on
     *                    every use); zero: none kept, every use verified
     * @param maximumSize how many tokens are kept at most
     */
    public record VerifiedTokens(@DefaultValue("1m") Duration timeToLive, @DefaultValue("10000") long maximumSize) {

        static final VerifiedTokens DEFAULT = new VerifiedTokens(Duration.ofMinutes(1), 10_000);

        public VerifiedTokens {
            if (timeToLive == null || timeToLive.isNegative()) {
                throw new IllegalArgumentException("adapter.security.verified-tokens.time-to-live must be zero or "
                        + "positive, not " + timeToLive);
            }
            if (maximumSize < 1) {
                throw new IllegalArgumentException("adapter.security.verified-tokens.maximum-size must be at least "
                        + "1, not " + maximumSize);
            }
        }

        boolean kept() {
            return !timeToLive.isZero();
        }
    }
}
