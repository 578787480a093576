package io.github.spfhir.adapter.inbound.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;

import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.access.Role;

/**
 * A verified JWT to the {@link Caller} it names, by the configured claims ({@code adapter.security.claims}) and role
 * values ({@code adapter.security.roles}). A token must give exactly one role; a GP system's must name its practice
 * (organisation claim) and a link-worker platform's its platform (platform claim). A token that does not is still
 * authenticated (its signature, issuer, audience and times were checked) but gets no role, so every endpoint that
 * needs one answers 403 saying why.
 */
public class CallerTokenConverter implements Converter<Jwt, CallerAuthentication> {

    private final SecurityProperties.Claims claims;
    private final SecurityProperties.RoleValues roleValues;

    public CallerTokenConverter(SecurityProperties properties) {
        this.claims = properties.claims();
        this.roleValues = properties.roles();
    }

    @Override
    public CallerAuthentication convert(Jwt jwt) {
        String issuer = jwt.getClaimAsString(JwtClaimNames.ISS);
        String clientId = text(jwt, claims.clientId());
        if (clientId == null) {
            clientId = jwt.getSubject();
        }
        if (clientId == null || clientId.isBlank()) {
            return CallerAuthentication.withoutRole("(unidentified)", issuer, "The token names no client (claim '"
                    + claims.clientId() + "' or 'sub')");
        }
        Set<Role> roles = new LinkedHashSet<>();
        for (String value : values(jwt.getClaim(claims.role()))) {
            for (Role role : Role.values()) {
                if (roleValues.of(role).contains(value)) {
                    roles.add(role);
                }
            }
        }
        if (roles.size() != 1) {
            return CallerAuthentication.withoutRole(clientId, issuer, roles.isEmpty()
                    ? "The token gives no role this adapter knows (claim '" + claims.role() + "')"
                    : "The token gives several roles " + roles.stream().map(Role::id).toList() + " (claim '"
                            + claims.role() + "'); a client has exactly one");
        }
        Role role = roles.iterator().next();
        String organisation = text(jwt, claims.organisation());
        String platform = text(jwt, claims.platform());
        if (role == Role.GP_SYSTEM && organisation == null) {
            return CallerAuthentication.withoutRole(clientId, issuer, "A gp-system token must name its practice's "
                    + "ODS code (claim '" + claims.organisation() + "')");
        }
        if (role == Role.LINK_WORKER_PLATFORM && platform == null) {
            return CallerAuthentication.withoutRole(clientId, issuer, "A link-worker-platform token must name its "
                    + "platform (claim '" + claims.platform() + "')");
        }
        return CallerAuthentication.of(new Caller(clientId, issuer, role, organisation,
                role == Role.LINK_WORKER_PLATFORM ? platform : null));
    }

    private static String text(Jwt jwt, String claim) {
        Object value = jwt.getClaims().get(claim);
        if (value instanceof String s && !s.isBlank()) {
            return s.trim();
        }
        return null;
    }

    /** A claim's values: an array's strings, or a string split on spaces and commas (as {@code scope} is). */
    private static List<String> values(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof Collection<?> collection) {
            collection.forEach(v -> {
                if (v != null) {
                    values.add(v.toString().trim());
                }
            });
        } else if (claim instanceof String s) {
            for (String part : s.split("[\\s,]+")) {
                if (!part.isEmpty()) {
                    values.add(part);
                }
            }
        }
        return values;
    }
}
