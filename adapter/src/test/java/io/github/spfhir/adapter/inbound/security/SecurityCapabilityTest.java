package io.github.spfhir.adapter.inbound.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.CapabilityStatement;
import org.junit.jupiter.api.Test;

/** The CapabilityStatement's security section follows the settings: development mode and the rate limit only when on. */
class SecurityCapabilityTest {

    private static SecurityProperties security(boolean devMode, boolean uniqueJti) {
        return new SecurityProperties(
                Map.of("idp", new SecurityProperties.Issuer("https://idp.example", URI.create("https://idp.example/jwks"),
                        List.of("sp-fhir-adapter"), uniqueJti)),
                new SecurityProperties.Claims("client_id", "roles", "ods_code", "platform_id"),
                new SecurityProperties.RoleValues(List.of("gp-system"), List.of("link-worker-platform"),
                        List.of("data-platform"), List.of("operator", "ops-admin")),
                null, Duration.ofSeconds(60), new SecurityProperties.DevMode(devMode, Duration.ofHours(1)), null);
    }

    private static RateLimitProperties rateLimit(boolean enabled) {
        return new RateLimitProperties(enabled, Duration.ofMinutes(1), 30, 60, 90, 10, 5, List.of("secret-client=1"));
    }

    @Test
    void developmentModeIsNamedOnlyWhenItIsOn() {
        assertThat(new SecurityCapability(security(true, false), rateLimit(true), false).description())
                .contains("DEVELOPMENT MODE IS ON");
        assertThat(new SecurityCapability(security(false, false), rateLimit(true), false).description())
                .doesNotContain("DEVELOPMENT");
    }

    @Test
    void theRateLimitAndTheRolesAreThoseConfiguredAndAClientsOwnLimitIsNotPublished() {
        String on = new SecurityCapability(security(false, true), rateLimit(true), false).description();
        assertThat(on).contains("gp-system 30", "link-worker-platform 60", "data-platform 90", "operator 10",
                "operator (operator or ops-admin)", "429 with Retry-After", "accepted once each")
                .doesNotContain("secret-client");
        String off = new SecurityCapability(security(false, false), rateLimit(false), false).description();
        assertThat(off).doesNotContain("429").doesNotContain("accepted once");
    }

    @Test
    void clientCertificatesAreAServiceOnlyWhenMutualTlsIsInUse() {
        CapabilityStatement.CapabilityStatementRestComponent rest = new CapabilityStatement().addRest();
        new SecurityCapability(security(false, false), rateLimit(true), true).describe(rest);
        assertThat(rest.getSecurity().getService()).extracting(s -> s.getCodingFirstRep().getCode())
                .containsExactly("OAuth", "Certificates");
        assertThat(rest.getSecurity().getDescription()).contains("TLS client certificate");
        assertThat(new SecurityCapability(security(false, false), rateLimit(true), false).description())
                .doesNotContain("certificate");
    }

    @Test
    void theServiceIsOAuth() {
        CapabilityStatement.CapabilityStatementRestComponent rest = new CapabilityStatement().addRest();
        new SecurityCapability(security(false, false), rateLimit(true), false).describe(rest);
        assertThat(rest.getSecurity().getService()).singleElement().satisfies(s -> {
            assertThat(s.getCodingFirstRep().getSystem()).isEqualTo(SecurityCapability.SERVICE_SYSTEM);
            assertThat(s.getCodingFirstRep().getCode()).isEqualTo("OAuth");
        });
    }
}
