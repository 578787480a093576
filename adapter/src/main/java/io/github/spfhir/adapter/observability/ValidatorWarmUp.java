package io.github.spfhir.adapter.observability;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;

/**
 * HAPI's first validation costs ~4 s (stack.md §3). Paying it while starting, before the adapter reports ready,
 * keeps it off the first referral. Off in tests that do not need it (adapter.fhir.warm-up-validator).
 */
@Component
public class ValidatorWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatorWarmUp.class);

    private final FhirProfileValidator validator;
    private final boolean enabled;

    public ValidatorWarmUp(FhirProfileValidator validator, AdapterProperties properties) {
        this.validator = validator;
        this.enabled = properties.fhir().warmUpValidator();
    }

    @EventListener(ApplicationStartedEvent.class)
    public void warmUp() {
        if (enabled) {
            long start = System.nanoTime();
            validator.warmUp();
            LOG.info("FHIR validator warmed up in {} ms", (System.nanoTime() - start) / 1_000_000);
        }
    }
}
