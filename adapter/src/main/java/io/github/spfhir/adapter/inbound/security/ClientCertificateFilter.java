package io.github.spfhir.adapter.inbound.security;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

import io.github.spfhir.adapter.domain.access.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates a caller by its TLS client certificate (mutual TLS), after the bearer token, if any, was checked. The
 * certificate chain was verified by the TLS layer against the server's trust store; here its leaf is looked up in
 * {@link ClientCertificates}:
 * <ul>
 * <li>a mapped certificate of a client that needs no token, and no token: the caller is the certificate's client;</li>
 * <li>a mapped certificate of a client that needs a token, and no token: not authenticated (401);</li>
 * <li>a mapped certificate and a token: the token's client must be the certificate's (same client id, role,
 * organisation and platform), else the caller has no role (403, saying so);</li>
 * <li>a certificate that no mapping matches proves nothing here: the token, if any, decides, as without TLS.</li>
 * </ul>
 * The caller then goes through the same {@link AccessRules} and audit trail as one known by its token. Only the
 * certificate the adapter's own TLS layer received counts: a certificate in a header (from a proxy) is not read.
 */
public class ClientCertificateFilter extends OncePerRequestFilter {

    /** The servlet request attribute holding the verified client certificate chain (Servlet specification). */
    static final String CERTIFICATES_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final ClientCertificates certificates;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    public ClientCertificateFilter(ClientCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<ClientCertificates.Mapped> mapped = request.getAttribute(CERTIFICATES_ATTRIBUTE) instanceof X509Certificate[] presented
                && presented.length > 0 ? certificates.match(presented[0]) : Optional.empty();
        if (mapped.isPresent()) {
            Caller client = mapped.get().caller();
            Authentication current = contexts.getContext().getAuthentication();
            CallerAuthentication token = current instanceof CallerAuthentication c ? c : null;
            if (token == null && !mapped.get().requireToken()) {
                authenticate(CallerAuthentication.of(client));
            } else if (token != null && !mapped.get().agreesWith(token.caller())) {
                authenticate(CallerAuthentication.withoutRole(token.clientId(), token.issuer(), "The bearer token's "
                        + "client is not the client of the TLS client certificate ('" + client.clientId() + "')"));
            }
        }
        chain.doFilter(request, response);
    }

    private void authenticate(CallerAuthentication authentication) {
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(authentication);
        contexts.setContext(context);
    }
}
