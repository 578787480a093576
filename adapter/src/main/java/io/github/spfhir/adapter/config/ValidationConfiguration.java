package io.github.spfhir.adapter.config;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.observability.ValidatorWarmUp;

/** The one shared {@link FhirProfileValidator}, built on the shared {@link FhirContext}, and its warm-up. */
@Configuration(proxyBeanMethods = false)
public class ValidationConfiguration {

    @Bean
    public FhirProfileValidator fhirProfileValidator(FhirContext fhirContext,
            ObjectProvider<EarlyValidatorStart> earlyStart) {
        EarlyValidatorStart early = earlyStart.getIfAvailable();
        if (early != null && fhirContext == FhirContext.forR4Cached()) {
            return early.validator(); // built on this same context since the application started
        }
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
            AdapterProperties properties, ObjectProvider<EarlyValidatorStart> earlyStart) {
        EarlyValidatorStart early = earlyStart.getIfAvailable();
        if (early != null && properties.fhir().warmUpValidator() && early.validator() == fhirProfileValidator) {
            return early.warmUp(); // running since the application started (EarlyValidatorStart)
        }
        return properties.fhir().warmUpValidator()
                ? ValidatorWarmUp.start(fhirProfileValidator)
                : ValidatorWarmUp.skipped();
    }
}
