package io.github.spfhir.adapter.inbound.security;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The partners that authenticate with a TLS client certificate (mutual TLS): {@code adapter.security.client-certificates.<name>}.
 * Bound beside {@link SecurityProperties} (same prefix, only this key). Used only when the adapter serves HTTPS and
 * asks for client certificates ({@code server.ssl.client-auth}, docs/operations.md §9 "Mutual TLS").
 *
 * @param clientCertificates the mapped certificates, by a name of the operator's choosing
 */
@ConfigurationProperties("adapter.security")
public record ClientCertificateProperties(Map<String, ClientCertificate> clientCertificates) {

    public ClientCertificateProperties {
        clientCertificates = clientCertificates == null ? Map.of() : Map.copyOf(clientCertificates);
    }

    /**
     * One client's certificate and who it is. The certificate must have been issued by {@code issuer} (its issuer DN,
     * exactly: another CA of the trust store cannot issue a certificate for this client), and carry {@code subject} as
     * its subject DN and/or {@code san} among its subject alternative names (at least one of the two is required;
     * both must match when both are set).
     *
     * @param issuer       the DN of the CA that issued the certificate, e.g. {@code CN=Partner CA,O=Example}
     * @param subject      the certificate's subject DN, e.g. {@code CN=gp-system-a81001,O=Example GP}; blank: any
     * @param san          a subject alternative name of the certificate (DNS name, URI, e-mail or IP address, as
     *                     written); blank: any
     * @param clientId     the client id the caller has (audit trail; must be the token's when a token comes too)
     * @param role         {@code gp-system}, {@code link-worker-platform}, {@code data-platform} or {@code operator}
     * @param organisation the client organisation's ODS code (required for {@code gp-system})
     * @param platform     the link-worker platform's destination id (required for {@code link-worker-platform})
     * @param requireToken false: the certificate alone authenticates the client; true: a bearer token is needed as
     *                     well, and must name the same client, role, organisation and platform
     */
    public record ClientCertificate(
            String issuer,
            String subject,
            String san,
            String clientId,
            String role,
            String organisation,
            String platform,
            @DefaultValue("false") boolean requireToken) {
    }
}
