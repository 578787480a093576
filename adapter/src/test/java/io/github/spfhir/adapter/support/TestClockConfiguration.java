package io.github.spfhir.adapter.support;

import java.time.Clock;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistrar;

/** The fixed clock, the partner URLs and the token issuer of integration tests. */
@TestConfiguration(proxyBeanMethods = false)
public class TestClockConfiguration {

    @Bean
    @Primary
    Clock fixedClock() {
        return TestConfigurations.fixedClock();
    }

    @Bean
    DynamicPropertyRegistrar partnerEndpoints() {
        return registry -> {
            registry.add("adapter.destinations.example-linkworker.endpoint",
                    () -> TestPartners.baseUrl() + "/example-linkworker/api/referrals");
            registry.add("adapter.destinations.example-fhir-platform.endpoint",
                    () -> TestPartners.baseUrl() + "/example-fhir-platform/fhir");
            registry.add("adapter.destinations.example-linkworker.event-polling.url",
                    () -> TestPartners.baseUrl() + "/example-linkworker");
            registry.add("adapter.gp-systems.example-gp-system.endpoint",
                    () -> TestPartners.baseUrl() + "/example-gp-system/fhir/$process-message");
            registry.add("adapter.data-platforms.example-data-platform.endpoint",
                    () -> TestPartners.baseUrl() + "/example-data-platform/fhir");
            registry.add("adapter.directories.example-oruk.base-url", () -> TestPartners.baseUrl() + "/example-oruk");
            registry.add("adapter.directories.example-oruk-v1.base-url", () -> TestPartners.baseUrl() + "/example-oruk-v1");
            registry.add("adapter.postcode-lookup.base-url", () -> TestPartners.baseUrl() + "/example-postcodes");
            // the tests' token issuer, trusted as a deployment trusts its identity provider
            registry.add("adapter.security.issuers.test.issuer-uri", () -> TestIssuer.ISSUER);
            registry.add("adapter.security.issuers.test.jwk-set-uri", TestIssuer::jwkSetUri);
            registry.add("adapter.security.issuers.test.audiences", () -> TestIssuer.AUDIENCE);
            // the same key under another iss, whose tokens are accepted once each (SecurityLimitsEndToEndTest)
            registry.add("adapter.security.issuers.unique-jti.issuer-uri", () -> TestIssuer.UNIQUE_JTI_ISSUER);
            registry.add("adapter.security.issuers.unique-jti.jwk-set-uri", TestIssuer::jwkSetUri);
            registry.add("adapter.security.issuers.unique-jti.audiences", () -> TestIssuer.AUDIENCE);
            registry.add("adapter.security.issuers.unique-jti.require-unique-jti", () -> "true");
        };
    }
}
