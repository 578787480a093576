package io.github.spfhir.adapter.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A test of the whole adapter: the Spring Boot application on a random port with real HTTP, Camel, H2 store and
 * validation, delivering to {@link TestPartners}. Every class using it shares one application context.
 */
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:adapter-it;DB_CLOSE_DELAY=-1",
        "adapter.simulator.enabled=false",
        // no simulator, so no development issuer: tokens come from TestIssuer (TestClockConfiguration)
        "adapter.security.dev-mode.enabled=false",
        "adapter.fhir.warm-up-validator=false",
        "adapter.destinations.example-linkworker.practices=A81001",
        "adapter.destinations.example-linkworker.retry.initial-delay=20ms",
        "adapter.destinations.example-linkworker.retry.max-delay=200ms",
        "adapter.destinations.example-linkworker.retry.max-attempts=4",
        "adapter.destinations.example-fhir-platform.retry.initial-delay=20ms",
        "adapter.destinations.example-fhir-platform.retry.max-delay=200ms",
        "adapter.destinations.example-fhir-platform.retry.max-attempts=4",
        "adapter.destinations.example-linkworker.event-polling.enabled=true",
        "adapter.destinations.example-linkworker.event-polling.interval=300ms",
        "adapter.gp-systems.example-gp-system.retry.initial-delay=20ms",
        "adapter.gp-systems.example-gp-system.retry.max-delay=200ms",
        "adapter.gp-systems.example-gp-system.retry.max-attempts=4",
        "adapter.data-platforms.example-data-platform.retry.initial-delay=20ms",
        "adapter.data-platforms.example-data-platform.retry.max-delay=200ms",
        "adapter.data-platforms.example-data-platform.retry.max-attempts=4",
        // a test key (not a secret); production keys come from the environment
        "adapter.data-platforms.example-data-platform.pseudonym-key=test-only-pseudonym-key-not-a-secret-0123456789",
        "adapter.intake.max-body-size=200000",
        // a data platform may read Tasks and Observations, nothing else (SecurityEndToEndTest)
        "adapter.security.data-platform-reads=Task,Observation",
        // one client with a low rate limit (SecurityLimitsEndToEndTest); everyone else has the roles' defaults
        "adapter.security.rate-limit.clients=" + TestIssuer.RATE_LIMITED_CLIENT + "=3",
        // the JSON REST platform takes an API key (a test value, not a secret)
        "adapter.destinations.example-linkworker.credentials.kind=api-key",
        "adapter.destinations.example-linkworker.credentials.api-key-header=X-API-Key",
        "adapter.destinations.example-linkworker.credentials.api-key=test-only-api-key-not-a-secret",
        "adapter.directories.example-oruk.page-size=2",
        "adapter.directories.example-oruk.timeout=2s",
        "adapter.directories.example-oruk.initial-delay=10ms",
        "adapter.directories.example-oruk-v1.kind=oruk-v1",
        "adapter.directories.example-oruk-v1.page-size=2",
        "adapter.directories.dewis-test.kind=dewis-export",
        "adapter.directories.dewis-test.export-file=target/directory-test/dewis-export.json",
        "adapter.directories.dewis-test.page-size=2",
        // the postcode stubs of test-fixtures/wiremock know one fictitious postcode, ZZ99 4PC
        "adapter.postcode-lookup.enabled=true",
        "adapter.postcode-lookup.timeout=2s"
})
@Import(TestClockConfiguration.class)
public @interface AdapterIntegrationTest {
}
