package io.github.spfhir.adapter.inbound.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import io.github.spfhir.adapter.domain.access.Role;
import io.github.spfhir.adapter.inbound.security.ClientCertificateProperties.ClientCertificate;
import io.github.spfhir.adapter.support.TestCertificates;
import io.github.spfhir.adapter.support.TestConfigurations;

/**
 * The client certificate mappings are checked at start-up (docs/clinical-safety.md: a certificate taken for the
 * wrong organisation would show one practice's referrals to another), and a certificate is matched by its issuer and
 * its subject or SAN, never by its subject alone.
 */
class ClientCertificatesTest {

    private static final String CA = "CN=Partner CA,O=Tests";
    private static final TestCertificates AUTHORITY = TestCertificates.authority(CA);

    @Test
    void aCertificateIsItsMappedClientOnlyWhenItsIssuerAndSubjectOrSanMatch() {
        ClientCertificates certificates = certificates(Map.of(
                "gp-a", gp(CA, "CN=gp-a,O=Practice", null, "gp-a", "a81001"),
                "gp-b", gp(CA, null, "gp-b.partners.test.invalid", "gp-b", "B82002")));

        var bySubject = certificates.match(AUTHORITY.issue("CN=gp-a,O=Practice").certificate()).orElseThrow().caller();
        assertThat(bySubject.clientId()).isEqualTo("gp-a");
        assertThat(bySubject.role()).isEqualTo(Role.GP_SYSTEM);
        assertThat(bySubject.organisation()).isEqualTo("A81001"); // ODS codes are upper case
        assertThat(bySubject.issuer()).isEqualTo("x509:CN=Partner CA,O=Tests");
        assertThat(certificates.match(AUTHORITY.issue("CN=anything", "DNS:gp-b.partners.test.invalid").certificate())
                .orElseThrow().caller().organisation()).isEqualTo("B82002");

        // the same subject from another CA, another subject, another SAN: nobody
        TestCertificates other = TestCertificates.authority("CN=Partner CA,O=Someone Else");
        assertThat(certificates.match(other.issue("CN=gp-a,O=Practice").certificate())).isEmpty();
        assertThat(certificates.match(AUTHORITY.issue("CN=gp-a,O=Other Practice").certificate())).isEmpty();
        assertThat(certificates.match(AUTHORITY.issue("CN=gp-a", "DNS:gp-c.partners.test.invalid").certificate()))
                .isEmpty();
    }

    @Test
    void aCertificateTwoMappingsOfDifferentClientsMatchIsNobody() {
        ClientCertificates certificates = certificates(Map.of(
                "by-subject", gp(CA, "CN=gp-a,O=Practice", null, "gp-a", "A81001"),
                "by-san", gp(CA, null, "gp-b.partners.test.invalid", "gp-b", "B82002")));

        assertThat(certificates.match(AUTHORITY.issue("CN=gp-a,O=Practice", "DNS:gp-b.partners.test.invalid")
                .certificate())).isEmpty();
    }

    @Test
    void incompleteOrAmbiguousMappingsStopTheStartUp() {
        assertRefused(Map.of("x", gp(null, "CN=gp", null, "gp", "A81001")), "issuer is not set");
        assertRefused(Map.of("x", gp(CA, null, null, "gp", "A81001")), "set subject or san");
        assertRefused(Map.of("x", gp(CA, "CN=gp", null, "gp", null)), "organisation is not set");
        assertRefused(Map.of("x", gp(CA, "CN=gp", null, "gp", "A8-1001")), "not an ODS code");
        assertRefused(Map.of("x", gp(CA, "not a dn", null, "gp", "A81001")), "not a distinguished name");
        assertRefused(Map.of("x", new ClientCertificate(CA, "CN=p", null, "p", "link-worker-platform", null,
                "no-such-platform", false)), "must name a configured destination");
        assertRefused(Map.of("x", new ClientCertificate(CA, "CN=p", null, "p", "administrator", null, null, false)),
                "role must be");
        assertRefused(Map.of("x", gp(CA, "CN=gp", null, " ", "A81001")), "client-id is not set");

        Map<String, ClientCertificate> sameCertificate = new LinkedHashMap<>();
        sameCertificate.put("a", gp(CA, "CN=gp,O=Practice", null, "gp-a", "A81001"));
        sameCertificate.put("b", gp(CA, "CN=gp,  O=Practice", null, "gp-b", "B82002"));
        assertRefused(sameCertificate, "matches the same certificates");

        Map<String, ClientCertificate> oneClientTwoPractices = new LinkedHashMap<>();
        oneClientTwoPractices.put("a", gp(CA, "CN=gp-1", null, "gp", "A81001"));
        oneClientTwoPractices.put("b", gp(CA, "CN=gp-2", null, "gp", "B82002"));
        assertRefused(oneClientTwoPractices, "mapped elsewhere with another role, organisation or platform");

        // two certificates of one client (a renewal) are fine
        Map<String, ClientCertificate> renewal = new LinkedHashMap<>();
        renewal.put("old", gp(CA, "CN=gp-2025", null, "gp", "A81001"));
        renewal.put("new", gp(CA, "CN=gp-2026", null, "gp", "A81001"));
        assertThat(certificates(renewal).any()).isTrue();
        assertThat(certificates(renewal).inUse()).as("no HTTPS asking for certificates").isFalse();
        assertThat(new ClientCertificates(new ClientCertificateProperties(renewal),
                TestConfigurations.properties("http://127.0.0.1:1"), new MockEnvironment()
                        .withProperty("server.ssl.enabled", "true").withProperty("server.ssl.client-auth", "want"))
                .inUse()).isTrue();
    }

    private static ClientCertificate gp(String issuer, String subject, String san, String clientId, String ods) {
        return new ClientCertificate(issuer, subject, san, clientId, "gp-system", ods, null, false);
    }

    private static void assertRefused(Map<String, ClientCertificate> mappings, String message) {
        assertThatThrownBy(() -> certificates(mappings)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(message).hasMessageContaining("adapter.security.client-certificates.");
    }

    private static ClientCertificates certificates(Map<String, ClientCertificate> mappings) {
        return new ClientCertificates(new ClientCertificateProperties(mappings),
                TestConfigurations.properties("http://127.0.0.1:1"), new MockEnvironment());
    }
}
