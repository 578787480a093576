package io.github.spfhir.adapter.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import ca.uhn.fhir.context.FhirContext;

/** The one shared {@link FhirContext} (it is expensive: ~0.8 s and much heap) and the injected clock. */
@Configuration(proxyBeanMethods = false)
public class FhirConfiguration {

    @Bean
    public FhirContext fhirContext() {
        return sharedFhirContext();
    }

    /**
     * HAPI's cached R4 context (one per JVM, so also what the early validator start and the static users of
     * {@link FhirContext#forR4Cached()} get), with one parser option changed: HAPI does not look, on every encoding,
     * for references whose target is an in-memory resource with no id, to turn it into a contained resource. The
     * adapter never makes such a reference (every reference it emits names its target), so the answer is the same
     * JSON; the look walks every element of every resource encoded, which was 2.7 % of the CPU under load
     * (docs/benchmarks.md, fifteenth session). Contained resources that a resource does hold are encoded as before.
     * A reference made that way in future code would be encoded without its target; the golden files of each
     * mapping (FhirConfigurationTest runs every resource in them both ways) would show it.
     */
    public static FhirContext sharedFhirContext() {
        FhirContext context = FhirContext.forR4Cached();
        context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        return context;
    }

    /** Injected everywhere time is read, so tests can fix it and outputs are reproducible. */
    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
