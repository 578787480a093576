package io.github.spfhir.adapter.inbound.security;

import java.io.IOException;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.access.Role;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Applies the per-client rate limit ({@link ClientRateLimiter}) in Spring Security's chain, right after the bearer
 * token is verified and before access is decided or the body read: a client beyond its allowance is answered 429 with
 * {@code Retry-After} and an OperationOutcome (issue code {@code throttled}), audited like the other refusals. A
 * request without a verified token is not counted here (it is refused 401, or is one of the open endpoints).
 *
 * <p>Not a Spring bean: added to the security chain only ({@link SecurityConfiguration}), so the servlet container
 * does not run it a second time.
 */
public class RateLimitFilter extends OncePerRequestFilter {

    private final ClientRateLimiter limiter;
    private final SecurityRefusals refusals;

    public RateLimitFilter(ClientRateLimiter limiter, SecurityRefusals refusals) {
        this.limiter = limiter;
        this.refusals = refusals;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!limiter.isEnabled() || !(authentication instanceof CallerAuthentication token)) {
            // a caller authenticated otherwise (a client certificate) is to be counted here too, by its identity
            chain.doFilter(request, response);
            return;
        }
        Caller caller = token.caller();
        Role role = caller == null ? null : caller.role();
        ClientRateLimiter.Decision decision = limiter.tryAcquire(token.issuer(), token.clientId(), role);
        if (decision.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        // who was refused, for the audit trail (access is not decided for this request)
        request.setAttribute(AccessRules.AUTHENTICATION_ATTRIBUTE, token);
        if (caller != null) {
            request.setAttribute(Caller.REQUEST_ATTRIBUTE, caller);
        }
        refusals.throttled(request, response, decision, limiter.period());
    }
}
