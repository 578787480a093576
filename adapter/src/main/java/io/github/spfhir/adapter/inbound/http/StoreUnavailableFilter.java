package io.github.spfhir.adapter.inbound.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.Ordered;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The store's outage answered as such where no endpoint can answer it: in the filters before the endpoints (the
 * access rules read the store to tell whether a caller may see a referral). Without this the servlet container
 * answers 500; with it the caller gets the same 503 {@code transient} OperationOutcome, with {@code Retry-After}, as
 * from the endpoints ({@link FhirErrorAdvice#storeUnavailable}).
 */
@Component
public class StoreUnavailableFilter extends OncePerRequestFilter implements Ordered {

    /** Just outside the audit filter (-101) and Spring Security's chain (-100), so it sees what they throw. */
    static final int ORDER = -102;

    private final FhirErrorAdvice errors;

    public StoreUnavailableFilter(FhirErrorAdvice errors) {
        this.errors = errors;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException e) {
            RuntimeException storeFailure = FhirErrorAdvice.storeFailureIn(e);
            if (storeFailure == null || response.isCommitted()) {
                throw e;
            }
            ResponseEntity<String> answer = errors.storeUnavailable(storeFailure, request);
            response.reset();
            response.setStatus(answer.getStatusCode().value());
            answer.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(answer.getBody());
        }
    }
}
