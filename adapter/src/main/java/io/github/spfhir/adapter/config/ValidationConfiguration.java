package io.github.spfhir.adapter.config;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;

/** The one shared {@link FhirProfileValidator}, built on the shared {@link FhirContext}, and its warm-up. */
@Configuration(proxyBeanMethods = false)
public class ValidationConfiguration {

    @Bean
    public FhirProfileValidator fhirProfileValidator(FhirContext fhirContext) {
        return new FhirProfileValidator(fhirContext);
    }

    /**
     * Validates the bundled examples once before the application reports itself ready (application runners run
     * before the readiness state changes), so the first referral does not pay HAPI's ~4 s first validation.
     * Off with {@code adapter.fhir.warm-up-validator=false}, for example in tests that do not validate.
     */
    @Bean
    @ConditionalOnBooleanProperty(name = "adapter.fhir.warm-up-validator", matchIfMissing = true)
    public ApplicationRunner fhirProfileValidatorWarmUp(FhirProfileValidator fhirProfileValidator) {
        return arguments -> fhirProfileValidator.warmUp();
    }
}
