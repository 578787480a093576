package io.github.spfhir.adapter.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.observability.ValidatorWarmUp;

/** The one shared {@link FhirProfileValidator}, built on the shared {@link FhirContext}, and its warm-up. */
@Configuration(proxyBeanMethods = false)
public class ValidationConfiguration {

    @Bean
    public FhirProfileValidator fhirProfileValidator(FhirContext fhirContext) {
        return new FhirProfileValidator(fhirContext);
    }

    /**
     * Validates the bundled examples in the background while the rest of the application starts, so the first
     * referral does not pay HAPI's ~4 s first validation and start-up does not wait for it either. Readiness
     * reports OUT_OF_SERVICE until it is done. Off with {@code adapter.fhir.warm-up-validator=false}, for
     * example in tests that do not validate.
     */
    @Bean
    public ValidatorWarmUp fhirProfileValidatorWarmUp(FhirProfileValidator fhirProfileValidator,
            AdapterProperties properties) {
        return properties.fhir().warmUpValidator()
                ? ValidatorWarmUp.start(fhirProfileValidator)
                : ValidatorWarmUp.skipped();
    }
}
