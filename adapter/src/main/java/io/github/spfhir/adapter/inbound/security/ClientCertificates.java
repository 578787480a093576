package io.github.spfhir.adapter.inbound.security;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.access.Role;
import io.github.spfhir.adapter.inbound.security.ClientCertificateProperties.ClientCertificate;

/**
 * The configured client certificates ({@code adapter.security.client-certificates}), checked at start-up, and the
 * client a presented certificate is. A mapping that is incomplete or ambiguous stops the start-up: a certificate taken
 * for the wrong organisation would show one practice's referrals to another (docs/clinical-safety.md). Checked: the
 * issuer and subject are DNs, a subject or SAN is given, the role is known, a GP system names a well-formed ODS code,
 * a link-worker platform names a configured destination, no two mappings match the same certificate, and one client
 * id is never given two identities.
 */
@Component
public class ClientCertificates {

    /** The issuer recorded for a caller known by its certificate: this prefix, then the CA's DN. */
    public static final String ISSUER_PREFIX = "x509:";

    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificates.class);
    /** As the development token endpoint checks it: 3 to 10 letters and digits (ODS codes are 3 to 6 in use). */
    private static final Pattern ODS_CODE = Pattern.compile("[A-Za-z0-9]{3,10}");

    private final List<Mapped> mapped = new ArrayList<>();
    private final boolean asked;

    public ClientCertificates(ClientCertificateProperties properties, AdapterProperties adapter, Environment environment) {
        this.asked = environment.getProperty("server.ssl.enabled", Boolean.class, false)
                && !"none".equalsIgnoreCase(environment.getProperty("server.ssl.client-auth", "none"));
        Map<String, String> identities = new HashMap<>();
        Map<String, String> matchers = new HashMap<>();
        properties.clientCertificates().forEach((name, entry) -> {
            Mapped one = check("adapter.security.client-certificates." + name, entry, adapter);
            String identity = one.caller().role().id() + "|" + one.caller().organisation() + "|" + one.caller().platformId();
            String previous = identities.putIfAbsent(one.caller().clientId(), identity);
            if (previous != null && !previous.equals(identity)) {
                throw new IllegalStateException("adapter.security.client-certificates." + name + ": client-id '"
                        + one.caller().clientId() + "' is mapped elsewhere with another role, organisation or platform");
            }
            String matcher = one.issuer().getName() + "|" + (one.subject() == null ? "" : one.subject().getName()) + "|"
                    + Objects.toString(one.san(), "");
            String other = matchers.putIfAbsent(matcher, name);
            if (other != null) {
                throw new IllegalStateException("adapter.security.client-certificates." + name + " matches the same "
                        + "certificates as ." + other + ": a certificate must name one client");
            }
            mapped.add(one);
            if (!asked) {
                LOG.warn("adapter.security.client-certificates.{} is configured but the adapter does not ask for client "
                        + "certificates (server.ssl.enabled, server.ssl.client-auth): it is never used", name);
            }
            LOG.info("Client certificates issued by '{}' with subject '{}' / SAN '{}' are client '{}' ({}, organisation "
                    + "{}, platform {}){}", one.issuer().getName(), one.subject() == null ? "(any)" : one.subject().getName(),
                    one.san() == null ? "(any)" : one.san(), one.caller().clientId(), one.caller().role().id(),
                    one.caller().organisation(), one.caller().platformId(),
                    one.requireToken() ? ", with a bearer token as well" : "");
        });
    }

    private static Mapped check(String key, ClientCertificate entry, AdapterProperties adapter) {
        if (entry == null || blank(entry.issuer())) {
            throw new IllegalStateException(key + ".issuer is not set: name the CA that issues this client's certificates");
        }
        if (blank(entry.subject()) && blank(entry.san())) {
            throw new IllegalStateException(key + ": set subject or san (or both), else every certificate of the CA "
                    + "would be this client");
        }
        if (blank(entry.clientId())) {
            throw new IllegalStateException(key + ".client-id is not set");
        }
        Role role = Role.ofId(Objects.toString(entry.role(), "").trim()).orElseThrow(() -> new IllegalStateException(
                key + ".role must be gp-system, link-worker-platform, data-platform or operator"));
        String organisation = blank(entry.organisation()) ? null : entry.organisation().trim().toUpperCase(Locale.ROOT);
        if (organisation != null && !ODS_CODE.matcher(organisation).matches()) {
            throw new IllegalStateException(key + ".organisation is not an ODS code");
        }
        if (role == Role.GP_SYSTEM && organisation == null) {
            throw new IllegalStateException(key + ".organisation is not set: a gp-system names its practice's ODS code");
        }
        String platform = blank(entry.platform()) ? null : entry.platform().trim();
        if (role == Role.LINK_WORKER_PLATFORM && (platform == null || !adapter.destinations().containsKey(platform))) {
            throw new IllegalStateException(key + ".platform must name a configured destination "
                    + "(adapter.destinations.<id>) for a link-worker-platform");
        }
        X500Principal issuer = dn(key + ".issuer", entry.issuer());
        X500Principal subject = blank(entry.subject()) ? null : dn(key + ".subject", entry.subject());
        Caller caller = new Caller(entry.clientId().trim(), ISSUER_PREFIX + issuer.getName(), role, organisation,
                role == Role.LINK_WORKER_PLATFORM ? platform : null);
        return new Mapped(issuer, subject, blank(entry.san()) ? null : entry.san().trim(), caller, entry.requireToken());
    }

    private static X500Principal dn(String key, String value) {
        try {
            return new X500Principal(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + " is not a distinguished name (such as CN=name,O=organisation)");
        }
    }

    /** True when any certificate is mapped. */
    public boolean any() {
        return !mapped.isEmpty();
    }

    /**
     * True when callers can authenticate with a client certificate: some are mapped, and the adapter serves HTTPS
     * asking for them. (What a CapabilityStatement's {@code rest.security.service} would say as {@code Certificates}.)
     */
    public boolean inUse() {
        return asked && any();
    }

    /**
     * The client this certificate (the leaf of a chain the TLS layer has verified) is, if one is mapped. A certificate
     * that mappings of different clients match (one by subject, another by SAN) is nobody's: which one it is cannot be
     * told.
     */
    public Optional<Mapped> match(X509Certificate certificate) {
        List<String> sans = sans(certificate);
        List<Mapped> matches = mapped.stream()
                .filter(m -> m.issuer().equals(certificate.getIssuerX500Principal()))
                .filter(m -> m.subject() == null || m.subject().equals(certificate.getSubjectX500Principal()))
                .filter(m -> m.san() == null || sans.stream().anyMatch(m.san()::equalsIgnoreCase))
                .toList();
        if (matches.stream().map(Mapped::caller).distinct().count() > 1) {
            LOG.warn("A client certificate (serial {}) matches the mappings of several clients {}: it is not accepted",
                    certificate.getSerialNumber(), matches.stream().map(m -> m.caller().clientId()).toList());
            return Optional.empty();
        }
        return matches.stream().findFirst();
    }

    /** DNS names, URIs, e-mail and IP addresses among the certificate's subject alternative names. */
    private static List<String> sans(X509Certificate certificate) {
        List<String> values = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.size() == 2 && name.get(1) instanceof String value) {
                        values.add(value);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SANs: only a subject mapping can match
        }
        return values;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /**
     * A mapped certificate.
     *
     * @param caller       who a caller presenting it is
     * @param requireToken whether a bearer token naming the same client is needed as well
     */
    public record Mapped(X500Principal issuer, X500Principal subject, String san, Caller caller, boolean requireToken) {

        /** True when the token names the same client, role, organisation and platform as the certificate. */
        boolean agreesWith(Caller fromToken) {
            return fromToken != null && caller.clientId().equals(fromToken.clientId()) && caller.role() == fromToken.role()
                    && Objects.equals(caller.organisation(), fromToken.organisation() == null ? null
                            : fromToken.organisation().toUpperCase(Locale.ROOT))
                    && Objects.equals(caller.platformId(), fromToken.platformId());
        }
    }
}
