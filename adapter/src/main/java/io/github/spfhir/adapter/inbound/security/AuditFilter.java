package io.github.spfhir.adapter.inbound.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.context.annotation.Lazy;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.store.AuditRecord;
import io.github.spfhir.adapter.store.AuditTrailWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The audit trail: one {@code audit_event} row per request that reads or writes patient data ({@code /fhir/**} but
 * the CapabilityStatement, {@code /platforms/**}), per use of the operations API ({@code /ops/**}) and of the dev
 * token endpoint, and per security refusal (401, 403, and 429 beyond the client's rate limit) anywhere. Who (client, issuer, role, organisation, platform),
 * what (method, path, query, operation, resource type and id), when, the HTTP status and the reason of a refusal,
 * and the BaRS request and correlation ids. Never a body, a header value other than those ids, or a token.
 *
 * <p>Wraps Spring Security's filter chain (order just before it), so it sees refusals made there, and hands the entry
 * to {@link AuditTrailWriter} once the answer is complete; it is written with the entries that follow it within
 * {@code adapter.store.audit-write-delay}. A failure to write is logged (without content) and does not change the
 * answer already given.
 */
@Component
public class AuditFilter extends OncePerRequestFilter implements Ordered {

    /** Spring Security's filter chain runs at -100 by default: this is just outside it. */
    static final int ORDER = -101;

    private static final Pattern UUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern FHIR_PATH = Pattern.compile(
            "^/fhir/([A-Za-z]+)(?:/([A-Za-z0-9\\-.]{1,64})(?:/(_history)(?:/([^/]+))?)?)?/?$");

    private final AuditTrailWriter auditTrail;
    private final Clock clock;

    /**
     * The writer is injected lazily: the servlet container creates its filters early in start-up, and the writer's
     * settings ({@code AdapterProperties}) would then be bound before every property source is in place.
     */
    public AuditFilter(@Lazy AuditTrailWriter auditTrail, Clock clock) {
        this.auditTrail = auditTrail;
        this.clock = clock;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant started = clock.instant();
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            int status = failed && response.getStatus() < 400 ? 500 : response.getStatus();
            String path = AccessRules.path(request);
            if (isAudited(path, status)) {
                record(request, path, status, started);
            }
        }
    }

    static boolean isAudited(String path, int status) {
        if (status == 401 || status == 403 || status == 429) {
            return true;
        }
        return (path.startsWith("/fhir/") && !path.equals("/fhir/metadata")) || path.startsWith("/platforms/")
                || path.equals("/ops") || path.startsWith("/ops/") || path.equals("/dev/token");
    }

    private void record(HttpServletRequest request, String path, int status, Instant started) {
        String clientId = null;
        String issuer = null;
        String role = null;
        String organisation = null;
        String platformId = null;
        if (request.getAttribute(Caller.REQUEST_ATTRIBUTE) instanceof Caller caller) {
            clientId = caller.clientId();
            issuer = caller.issuer();
            role = caller.role().id();
            organisation = caller.organisation();
            platformId = caller.platformId();
        } else if (request.getAttribute(AccessRules.AUTHENTICATION_ATTRIBUTE) instanceof CallerAuthentication token) {
            clientId = token.clientId();
            issuer = token.issuer();
        }
        String method = request.getMethod();
        String resourceType = null;
        String resourceId = null;
        String operation;
        Matcher fhir = FHIR_PATH.matcher(path);
        if (path.equals("/fhir/$process-message")) {
            operation = "process-message";
        } else if (fhir.matches()) {
            resourceType = fhir.group(1);
            resourceId = fhir.group(2);
            operation = method.equals("PUT") ? "update"
                    : method.equals("POST") ? "create"
                    : fhir.group(4) != null ? "vread"
                    : fhir.group(3) != null ? "history"
                    : resourceId != null ? "read" : "search";
        } else if (path.startsWith("/platforms/")) {
            operation = "event";
        } else if (path.equals("/ops") || path.startsWith("/ops/")) {
            operation = "operations";
        } else if (path.equals("/dev/token")) {
            operation = "dev-token";
        } else {
            operation = "other";
        }
        Object refusal = request.getAttribute(SecurityRefusals.REFUSAL_ATTRIBUTE);
        String outcome = refusal != null ? refusal.toString() : status < 400 ? "allowed" : "refused";
        auditTrail.submit(new AuditRecord(0, started, clientId, issuer, role, organisation, platformId, method, path,
                request.getQueryString(), operation, resourceType, resourceId, status, outcome,
                uuidOrNull(request.getHeader("X-Correlation-ID")), uuidOrNull(request.getHeader("X-Request-ID")),
                request.getRemoteAddr()));
    }

    private static String uuidOrNull(String value) {
        return value != null && UUID.matcher(value).matches() ? value : null;
    }
}
