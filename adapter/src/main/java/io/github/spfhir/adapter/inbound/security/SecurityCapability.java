package io.github.spfhir.adapter.inbound.security;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.access.Role;

/**
 * What the CapabilityStatement ({@code /fhir/metadata}, open to all) says about security, read from the same settings
 * the security chain uses, so it tells the truth: OAuth bearer JWTs from the trusted issuers, the roles and the claims
 * that give them, client certificates when mutual TLS is in use, the per-client rate limit, tokens accepted once where an issuer requires it, and development mode
 * only when it is on. Never an issuer's keys or a client's own limit (a client id is not for everyone to read).
 */
@Component
public class SecurityCapability {

    /** FHIR's RestfulSecurityService code system (R4 core), code {@code OAuth}. */
    public static final String SERVICE_SYSTEM = "http://terminology.hl7.org/CodeSystem/restful-security-service";
    public static final String OAUTH = "OAuth";

    /** The same code system's code for TLS client certificates (mutual TLS). */
    public static final String CERTIFICATES = "Certificates";

    private final SecurityProperties security;
    private final RateLimitProperties rateLimit;
    private final boolean certificates;

    @Autowired
    public SecurityCapability(SecurityProperties security, RateLimitProperties rateLimit,
            ClientCertificates certificates) {
        this(security, rateLimit, certificates.inUse());
    }

    SecurityCapability(SecurityProperties security, RateLimitProperties rateLimit, boolean certificatesInUse) {
        this.security = security;
        this.rateLimit = rateLimit;
        this.certificates = certificatesInUse;
    }

    /** Sets {@code rest.security}. */
    public void describe(CapabilityStatementRestComponent rest) {
        CapabilityStatementRestSecurityComponent component = rest.getSecurity();
        component.setCors(false);
        component.addService().addCoding().setSystem(SERVICE_SYSTEM).setCode(OAUTH).setDisplay("OAuth");
        if (certificates) {
            component.addService().addCoding().setSystem(SERVICE_SYSTEM).setCode(CERTIFICATES)
                    .setDisplay("Certificates");
        }
        component.setDescription(description());
    }

    String description() {
        StringBuilder text = new StringBuilder();
        text.append("Every request but GET /fhir/metadata carries an OAuth 2.0 bearer token (Authorization: Bearer):"
                + " a JWT signed by a trusted issuer (keys from its JWKS), with this adapter's audience, an expiry and"
                + " exactly one role; else 401 (no token, or one not accepted) or 403 (a role that may not do this).");
        text.append(" Roles, from the token's '").append(security.claims().role()).append("' claim: ")
                .append(List.of(Role.values()).stream()
                        .map(r -> r.id() + " (" + String.join(" or ", security.roles().of(r)) + ")")
                        .collect(Collectors.joining(", ")))
                .append("; a gp-system token names its practice's ODS code ('").append(security.claims().organisation())
                .append("'), a link-worker-platform token its platform ('").append(security.claims().platform())
                .append("'); the client is '").append(security.claims().clientId()).append("' or 'sub'.");
        if (certificates) {
            text.append(" A mapped TLS client certificate (mutual TLS) also identifies a client; with a bearer token"
                    + " too, the token's client must be the certificate's.");
        }
        boolean onceEach = security.issuers().values().stream()
                .anyMatch(i -> i.isSet() && i.requireUniqueJti());
        if (onceEach) {
            text.append(" Some issuers' tokens are accepted once each: they carry a jti, and a token used again is"
                    + " refused 401.");
        }
        if (rateLimit.enabled()) {
            String period = rateLimit.period().toString().substring(2).toLowerCase(Locale.ROOT);
            text.append(" Rate limit per client, per ").append(period).append(" (unless agreed otherwise): ")
                    .append(List.of(Role.values()).stream().map(r -> r.id() + " " + rateLimit.ofRole(r))
                            .collect(Collectors.joining(", ")))
                    .append(" requests; beyond it 429 with Retry-After (seconds).");
        }
        if (security.devMode().enabled()) {
            text.append(" DEVELOPMENT MODE IS ON: this adapter issues tokens itself to anyone (POST /dev/token); not"
                    + " for patient data.");
        }
        return text.toString();
    }
}
