package io.github.spfhir.adapter.config;

import java.util.concurrent.CompletableFuture;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.observability.ValidatorWarmUp;

/**
 * Starts building and warming the shared validator at the very start of the application, before Spring creates any
 * bean, instead of when bean creation reaches the validator (about 3 s later on 2 cores). The warm-up's first
 * validation (HAPI loading and indexing the core definitions, about 5 s) is what the first referral waits for, so
 * every second it starts earlier is a second off the cold start.
 * <p>
 * The validator is built on {@link FhirContext#forR4Cached()}, the very context the {@code fhirContext} bean is
 * ({@link FhirConfiguration}), so there is still one shared context and one validator: {@link ValidationConfiguration}
 * takes this start's validator and warm-up when it is registered, and builds its own otherwise (tests, which do not
 * go through {@link io.github.spfhir.adapter.AdapterApplication#application()}).
 * <p>
 * Off unless {@code adapter.fhir.validator-early-start} is true (and {@code adapter.fhir.warm-up-validator} is not
 * false). Measured on 2 cores (docs/benchmarks.md section 3): with a JDK 25 AOT cache it brings the first referral
 * forward by about 1.5 s; on JDK 17 without a cache it delays it by about 2 s, the warm-up and Spring's start-up
 * competing for the same two cores while each still has its classes to load and compile.
 */
public final class EarlyValidatorStart implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    static final String BEAN_NAME = "earlyValidatorStart";

    private CompletableFuture<FhirProfileValidator> validator;
    private ValidatorWarmUp warmUp;

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        boolean warmUpOn = context.getEnvironment().getProperty("adapter.fhir.warm-up-validator", Boolean.class, true);
        boolean earlyStartOn = context.getEnvironment().getProperty("adapter.fhir.validator-early-start",
                Boolean.class, false);
        if (!warmUpOn || !earlyStartOn) {
            return;
        }
        validator = new CompletableFuture<>();
        warmUp = ValidatorWarmUp.buildAndStart(() -> new FhirProfileValidator(FhirConfiguration.sharedFhirContext()),
                validator);
        context.getBeanFactory().registerSingleton(BEAN_NAME, this);
    }

    /** The validator, once built (waits for the build, which comes before the warm-up; rethrows its failure). */
    public FhirProfileValidator validator() {
        return validator.join();
    }

    public ValidatorWarmUp warmUp() {
        return warmUp;
    }
}
