package io.github.spfhir.adapter.inbound.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.github.spfhir.adapter.domain.access.Role;

/**
 * DEVELOPMENT MODE ONLY: the adapter's own token issuer, so the embedded run can be tried without an identity
 * provider. A fresh key pair is made at each start (tokens do not survive a restart); tokens are signed with it
 * and accepted like any trusted issuer's, with the same claims ({@code adapter.security.claims}). Exists only with
 * {@code adapter.security.dev-mode.enabled=true}, which {@link DevModeSafetyCheck} refuses unless the simulator is on.
 */
@Component
@ConditionalOnProperty(prefix = "adapter.security.dev-mode", name = "enabled", havingValue = "true")
public class DevTokenIssuer {

    /** The {@code iss} of dev tokens: a reserved {@code .invalid} name, so it can never be a real issuer's. */
    public static final String ISSUER = "https://dev-issuer.sp-fhir-adapter.invalid";
    /** The {@code aud} of dev tokens. */
    public static final String AUDIENCE = "sp-fhir-adapter";

    private static final Logger LOG = LoggerFactory.getLogger(DevTokenIssuer.class);

    private final ECKey key;
    private final SecurityProperties.Claims claims;
    private final SecurityProperties.RoleValues roles;
    private final Duration lifetime;
    private final Clock clock;

    /** @param safetyCheck taken so the check has refused dev mode without the simulator before a key is made */
    public DevTokenIssuer(SecurityProperties properties, Clock clock, DevModeSafetyCheck safetyCheck) {
        try {
            // P-256 (ES256), not RSA: a 2048-bit RSA pair cost about half a second of every embedded start-up
            this.key = new ECKeyGenerator(Curve.P_256).keyID("dev-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not make the development issuer's key pair", e);
        }
        this.claims = properties.claims();
        this.roles = properties.roles();
        this.lifetime = properties.devMode().tokenLifetime();
        this.clock = clock;
        LOG.warn("DEVELOPMENT MODE: the adapter issues its own bearer tokens (POST /dev/token, issuer {}) and accepts "
                + "them for every role. Anyone who can reach it can get one. Never run it on live data: set "
                + "ADAPTER_SECURITY_DEV_MODE=false (it is refused unless the simulator is on).", ISSUER);
    }

    /** A signed token for this client, role, organisation and platform, valid for the configured lifetime. */
    public String mint(String clientId, Role role, String organisation, String platformId) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claimsSet = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(List.of(AUDIENCE))
                .subject(clientId)
                .claim(claims.clientId(), clientId)
                .claim(claims.role(), List.of(roles.of(role).isEmpty() ? role.id() : roles.of(role).get(0)))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        if (organisation != null) {
            claimsSet.claim(claims.organisation(), organisation);
        }
        if (platformId != null) {
            claimsSet.claim(claims.platform(), platformId);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claimsSet.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a development token", e);
        }
        return jwt.serialize();
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** The public key as a JWK Set, for the adapter's own token decoder. */
    JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    /** The public key as a JWK Set (what a real issuer publishes). */
    public Map<String, Object> jwks() {
        return publicKeys().toJSONObject();
    }
}
