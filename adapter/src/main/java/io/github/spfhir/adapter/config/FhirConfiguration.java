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
        return FhirContext.forR4Cached();
    }

    /** Injected everywhere time is read, so tests can fix it and outputs are reproducible. */
    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }
}
