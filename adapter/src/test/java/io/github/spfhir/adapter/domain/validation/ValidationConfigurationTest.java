package io.github.spfhir.adapter.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.config.EarlyValidatorStart;
import io.github.spfhir.adapter.config.FhirConfiguration;
import io.github.spfhir.adapter.config.ValidationConfiguration;
import io.github.spfhir.adapter.observability.ValidatorWarmUp;

/** The validator bean is built on the shared FhirContext bean; the warm-up runs in the background, reports its state as health, and can be switched off. No web, no DB. */
class ValidationConfigurationTest {

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withUserConfiguration(FhirConfiguration.class, ValidationConfiguration.class, PropertiesConfiguration.class);

    @org.springframework.boot.context.properties.EnableConfigurationProperties(AdapterProperties.class)
    static class PropertiesConfiguration {
    }

    @Test
    void oneValidatorOnTheSharedContextWithAWarmUpByDefault() {
        contexts.run(context -> {
            assertThat(context).hasSingleBean(FhirProfileValidator.class);
            assertThat(context).hasSingleBean(FhirContext.class);
            assertThat(context).hasBean("fhirProfileValidatorWarmUp");
            ValidatorWarmUp warmUp = context.getBean(ValidatorWarmUp.class);
            await().atMost(Duration.ofSeconds(60)).until(warmUp::isDone);
            assertThat(warmUp.health().getStatus()).isEqualTo(Status.UP);
            int examples = new org.springframework.core.io.support.PathMatchingResourcePatternResolver()
                    .getResources("classpath*:" + FhirProfileValidator.PROFILES_ROOT + "examples/*.json").length;
            assertThat(warmUp.health().getDetails()).containsEntry("examples", examples);
        });
    }

    @Test
    void warmUpCanBeSwitchedOff() {
        contexts.withPropertyValues("adapter.fhir.warm-up-validator=false").run(context -> {
            assertThat(context).hasSingleBean(FhirProfileValidator.class);
            ValidatorWarmUp warmUp = context.getBean(ValidatorWarmUp.class);
            assertThat(warmUp.isDone()).isTrue();
            assertThat(warmUp.health().getDetails()).containsEntry("examples", 0);
        });
    }

    @Test
    void theEarlyStartIsTheOneValidatorAndItsWarmUp() {
        contexts.withInitializer(new EarlyValidatorStart())
                .withPropertyValues("adapter.fhir.validator-early-start=true").run(context -> {
            assertThat(context).hasSingleBean(FhirProfileValidator.class);
            assertThat(context).hasSingleBean(EarlyValidatorStart.class);
            FhirProfileValidator validator = context.getBean(FhirProfileValidator.class);
            assertThat(validator).isSameAs(context.getBean(EarlyValidatorStart.class).validator());
            assertThat(context.getBean(FhirContext.class)).isSameAs(FhirContext.forR4Cached());
            ValidatorWarmUp warmUp = context.getBean(ValidatorWarmUp.class);
            await().atMost(Duration.ofSeconds(60)).until(warmUp::isDone);
            assertThat(warmUp.health().getStatus()).isEqualTo(Status.UP);
            assertThat((Integer) warmUp.health().getDetails().get("examples")).isPositive();
            assertThat(context.getBean(EarlyValidatorStart.class).warmUp()).isSameAs(warmUp);
        });
    }

    @Test
    void noEarlyStartUnlessAskedFor() {
        contexts.withInitializer(new EarlyValidatorStart()).run(context -> {
            assertThat(context).doesNotHaveBean(EarlyValidatorStart.class);
            assertThat(context).hasSingleBean(FhirProfileValidator.class);
            assertThat(context).hasBean("fhirProfileValidatorWarmUp");
        });
    }

    @Test
    void noEarlyStartWhenTheWarmUpIsOff() {
        contexts.withInitializer(new EarlyValidatorStart()).withPropertyValues("adapter.fhir.warm-up-validator=false",
                "adapter.fhir.validator-early-start=true").run(context -> {
                    assertThat(context).doesNotHaveBean(EarlyValidatorStart.class);
                    assertThat(context).hasSingleBean(FhirProfileValidator.class);
                    assertThat(context.getBean(ValidatorWarmUp.class).health().getDetails()).containsEntry("examples", 0);
                });
    }
}
