package io.github.spfhir.adapter.inbound.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.inbound.http.FhirFormats;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Security refusals as FHIR OperationOutcomes with BaRS error codes, never a Spring error page:
 * <ul>
 * <li>401, {@code SEND_UNAUTHORIZED}: no bearer token (issue code {@code login}), an expired one ({@code expired},
 * as BaRS has it), or one that is not accepted (untrusted issuer, bad signature, wrong audience, not yet valid,
 * malformed: {@code security}); with {@code WWW-Authenticate: Bearer} (RFC 6750);</li>
 * <li>403, {@code SEND_FORBIDDEN}, issue code {@code forbidden}: a valid token whose client may not do this;</li>
 * <li>404 for another client's resource, worded as for a resource not held;</li>
 * <li>429, issue code {@code throttled}, with {@code Retry-After} in seconds: a client beyond its rate limit
 * ({@link RateLimitFilter}).</li>
 * </ul>
 * A token refused because it was already used, or carries no {@code jti} where its issuer requires one
 * ({@link UniqueTokenValidator}), is a 401 with issue code {@code security}.
 * The diagnostics are this adapter's own words: never the token, nor the text of a validation error (which can
 * quote the token's claims). The reason goes to the audit trail ({@link AuditFilter}).
 */
@Component
public class SecurityRefusals implements AuthenticationEntryPoint, AccessDeniedHandler {

    /** The request attribute holding why a request was refused, for the audit trail. */
    public static final String REFUSAL_ATTRIBUTE = SecurityRefusals.class.getName() + ".reason";

    private final FhirFormats formats;

    public SecurityRefusals(FhirFormats formats) {
        this.formats = formats;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (!(failure instanceof OAuth2AuthenticationException)) {
            // no token at all (the anonymous caller of an endpoint that needs one)
            request.setAttribute(REFUSAL_ATTRIBUTE, "no bearer token");
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            write(request, response, HttpStatus.UNAUTHORIZED, IssueType.LOGIN,
                    "This endpoint needs a bearer token (Authorization: Bearer ...)");
            return;
        }
        TokenProblem problem = TokenProblem.of(failure);
        request.setAttribute(REFUSAL_ATTRIBUTE, "token not accepted: " + problem.reason);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        write(request, response, HttpStatus.UNAUTHORIZED, problem.issueType, "The bearer token was not accepted: "
                + problem.reason);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        AccessDecision decision = denied instanceof AuthorizationDeniedException d
                && d.getAuthorizationResult() instanceof AccessDecision a ? a
                : request.getAttribute(AccessRules.DECISION_ATTRIBUTE) instanceof AccessDecision a2 ? a2 : null;
        if (decision != null && decision.status() == 404) {
            request.setAttribute(REFUSAL_ATTRIBUTE, decision.auditReason());
            write(request, response, HttpStatus.NOT_FOUND, IssueType.NOTFOUND, decision.diagnostics());
            return;
        }
        String diagnostics = decision != null && decision.diagnostics() != null ? decision.diagnostics()
                : "This client may not do this";
        request.setAttribute(REFUSAL_ATTRIBUTE, "forbidden: " + diagnostics);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
        write(request, response, HttpStatus.FORBIDDEN, IssueType.FORBIDDEN, diagnostics);
    }

    /** 429: the client has used its allowance; {@code Retry-After} says when one more request would be accepted. */
    public void throttled(HttpServletRequest request, HttpServletResponse response, ClientRateLimiter.Decision decision,
            Duration period) throws IOException {
        request.setAttribute(REFUSAL_ATTRIBUTE, "rate limit: more than " + decision.limit() + " requests per " + period);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfter().toSeconds()));
        write(request, response, HttpStatus.TOO_MANY_REQUESTS, IssueType.THROTTLED, "This client has sent more than "
                + decision.limit() + " requests in " + period.toString().substring(2).toLowerCase(Locale.ROOT)
                + " (its rate limit); retry after " + decision.retryAfter().toSeconds() + " s");
    }

    private void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, IssueType type,
            String diagnostics) throws IOException {
        // as the endpoints choose: _format, else Accept, else the request's own format
        FhirFormat format = formats.responseFormat(request.getParameter("_format"), request.getHeader(HttpHeaders.ACCEPT),
                formats.ofContentType(request.getContentType()).orElse(null));
        ResponseEntity<String> outcome = formats.outcome(status, Problem.error(type, diagnostics), format);
        response.setStatus(status.value());
        response.setContentType(String.valueOf(outcome.getHeaders().getContentType()));
        byte[] body = outcome.getBody() == null ? new byte[0] : outcome.getBody().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** Why a token was not accepted, in fixed words (never the validator's text, which can quote claims). */
    private record TokenProblem(IssueType issueType, String reason) {

        static TokenProblem of(AuthenticationException failure) {
            String description = descriptions(failure);
            // first: UniqueTokenValidator's own fixed words, which no other check's text contains
            if (description.contains(UniqueTokenValidator.ALREADY_USED)) {
                return new TokenProblem(IssueType.SECURITY, "it was already used (this issuer's tokens are accepted"
                        + " once each)");
            }
            if (description.contains(UniqueTokenValidator.NO_JTI)) {
                return new TokenProblem(IssueType.SECURITY, "it has no jti claim, which this issuer's tokens must"
                        + " carry (each is accepted once)");
            }
            if (description.contains("expired")) {
                return new TokenProblem(IssueType.EXPIRED, "it has expired");
            }
            if (description.contains("issuer") || description.contains("iss claim")) {
                return new TokenProblem(IssueType.SECURITY, "its issuer is not trusted here");
            }
            if (description.contains("aud claim") || description.contains("audience")) {
                return new TokenProblem(IssueType.SECURITY, "it is not meant for this adapter (audience)");
            }
            if (description.contains("before") || description.contains("nbf") || description.contains("future")) {
                return new TokenProblem(IssueType.SECURITY, "it is not valid yet");
            }
            if (description.contains("signature") || description.contains("key")) {
                return new TokenProblem(IssueType.SECURITY, "its signature cannot be verified");
            }
            return new TokenProblem(IssueType.SECURITY, "it is malformed or cannot be verified");
        }

        private static String descriptions(Throwable failure) {
            StringBuilder text = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof JwtValidationException validation) {
                    validation.getErrors().forEach(e -> text.append(' ').append(e.getDescription()));
                }
                if (t instanceof OAuth2AuthenticationException oauth && oauth.getError().getDescription() != null) {
                    text.append(' ').append(oauth.getError().getDescription());
                }
                text.append(' ').append(t.getMessage());
            }
            return text.toString().toLowerCase(Locale.ROOT);
        }
    }
}
