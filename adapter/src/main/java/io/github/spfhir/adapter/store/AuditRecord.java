package io.github.spfhir.adapter.store;

import java.time.Instant;

/**
 * One request to the adapter as the audit trail holds it: who, what, when, and what came of it. Never a body, a
 * token or a payload.
 *
 * @param id            the row's id (0 before it is stored)
 * @param occurredAt    when the request arrived
 * @param clientId      the authenticated client, or null when it was not authenticated
 * @param issuer        its token's issuer
 * @param role          its role ({@code gp-system}, ...), or null
 * @param organisation  its organisation's ODS code, or null
 * @param platformId    for a link-worker platform, its destination id, or null
 * @param method        the HTTP method
 * @param path          the path, without the query
 * @param query         the query string, which may hold search values (resource ids), at most 1000 characters
 * @param operation     what was done: {@code read}, {@code vread}, {@code history}, {@code search},
 *                      {@code create}, {@code process-message}, {@code update}, {@code event}, {@code operations},
 *                      {@code dev-token}, or {@code other}
 * @param resourceType  the FHIR resource type of the path, when there is one
 * @param resourceId    the resource id of the path, when there is one
 * @param httpStatus    the status answered
 * @param outcome       {@code allowed}, or why the request was refused ({@code no bearer token}, {@code token
 *                      expired}, {@code forbidden: ...}, {@code not visible}), or {@code refused} for a refusal of
 *                      the message itself (its reason is in rejected_message)
 * @param correlationId X-Correlation-ID when it was a UUID
 * @param requestId     X-Request-ID when it was a UUID
 * @param remoteAddress the caller's network address as the adapter saw it
 */
public record AuditRecord(long id, Instant occurredAt, String clientId, String issuer, String role,
        String organisation, String platformId, String method, String path, String query, String operation,
        String resourceType, String resourceId, int httpStatus, String outcome, String correlationId,
        String requestId, String remoteAddress) {
}
