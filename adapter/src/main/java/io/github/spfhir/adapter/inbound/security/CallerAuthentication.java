package io.github.spfhir.adapter.inbound.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import io.github.spfhir.adapter.domain.access.Caller;

/**
 * A verified bearer token, read: the {@link Caller} it names, or, for a token that is valid but does not say a usable
 * role (no role, several, a GP system without its practice...), why not; such a caller is refused with 403 by
 * {@link AccessRules}. The token itself is not kept.
 */
public final class CallerAuthentication extends AbstractAuthenticationToken {

    private final String clientId;
    private final String issuer;
    private final transient Caller caller;
    private final String problem;

    private CallerAuthentication(String clientId, String issuer, Caller caller, String problem) {
        super(caller == null ? List.of() : List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
        this.clientId = clientId;
        this.issuer = issuer;
        this.caller = caller;
        this.problem = problem;
        setAuthenticated(true);
    }

    static CallerAuthentication of(Caller caller) {
        return new CallerAuthentication(caller.clientId(), caller.issuer(), caller, null);
    }

    static CallerAuthentication withoutRole(String clientId, String issuer, String problem) {
        return new CallerAuthentication(clientId, issuer, null, problem);
    }

    /** The caller, or null when the token names no usable role ({@link #problem()} says why). */
    public Caller caller() {
        return caller;
    }

    public String problem() {
        return problem;
    }

    public String clientId() {
        return clientId;
    }

    public String issuer() {
        return issuer;
    }

    @Override
    public Object getCredentials() {
        return null; // the token is not kept
    }

    @Override
    public Object getPrincipal() {
        return clientId;
    }

    @Override
    public String getName() {
        return clientId;
    }
}
