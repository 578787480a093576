package io.github.spfhir.adapter.domain.access;

import java.util.Objects;

/**
 * Who is calling, as its verified bearer token says: what the authorisation rules and the audit trail go by. Holds
 * no secret (never the token itself).
 *
 * @param clientId     the client's id (the token's client id claim, else its subject)
 * @param issuer       the token's issuer
 * @param role         its role
 * @param organisation its organisation's ODS code; for a GP system, the practice it sends for (required)
 * @param platformId   for a link-worker platform, its destination id ({@code adapter.destinations.<id>}; required);
 *                     null for other roles
 */
public record Caller(String clientId, String issuer, Role role, String organisation, String platformId) {

    /** The name of the Camel exchange header that carries the caller from an endpoint into its route. */
    public static final String HEADER = "adapterCaller";
    /** The name of the servlet request attribute the HTTP door puts the authenticated caller in. */
    public static final String REQUEST_ATTRIBUTE = Caller.class.getName();

    public Caller {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(role, "role");
    }

    public boolean is(Role expected) {
        return role == expected;
    }

    /** True for a GP system of this practice. */
    public boolean sendsFor(String odsCode) {
        return role == Role.GP_SYSTEM && organisation != null && organisation.equalsIgnoreCase(odsCode);
    }

    /** True for this link-worker platform. */
    public boolean isPlatform(String destinationId) {
        return role == Role.LINK_WORKER_PLATFORM && platformId != null && platformId.equals(destinationId);
    }
}
