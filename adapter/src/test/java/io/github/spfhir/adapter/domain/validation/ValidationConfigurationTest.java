package io.github.spfhir.adapter.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.config.FhirConfiguration;
import io.github.spfhir.adapter.config.ValidationConfiguration;

/** The validator bean is built on the shared FhirContext bean; the warm-up can be switched off. No web, no DB. */
class ValidationConfigurationTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withUserConfiguration(FhirConfiguration.class, ValidationConfiguration.class);

    @Test
    void oneValidatorOnTheSharedContextWithAWarmUpByDefault() {
        contexts.run(context -> {
            assertThat(context).hasSingleBean(FhirProfileValidator.class);
            assertThat(context).hasSingleBean(FhirContext.class);
            assertThat(context).hasBean("fhirProfileValidatorWarmUp");
            assertThat(context.getBean("fhirProfileValidatorWarmUp")).isInstanceOf(ApplicationRunner.class);
        });
    }

    @Test
    void warmUpCanBeSwitchedOff() {
        contexts.withPropertyValues("adapter.fhir.warm-up-validator=false").run(context -> {
            assertThat(context).hasSingleBean(FhirProfileValidator.class);
            assertThat(context).doesNotHaveBean("fhirProfileValidatorWarmUp");
        });
    }
}
