package io.github.spfhir.adapter.observability;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;

/**
 * The validator's warm-up, run on its own thread from the moment the validator exists, overlapping the rest of
 * start-up (Flyway, Tomcat, Camel). It is also a health indicator ({@code fhirProfileValidatorWarmUp}, its bean name) in the readiness
 * group: OUT_OF_SERVICE while it runs, so a load balancer sends no traffic that would wait on it.
 */
public final class ValidatorWarmUp implements HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatorWarmUp.class);

    private final CompletableFuture<Integer> done;

    private ValidatorWarmUp(CompletableFuture<Integer> done) {
        this.done = done;
    }

    public static ValidatorWarmUp start(FhirProfileValidator validator) {
        return buildAndStart(() -> validator, new CompletableFuture<>());
    }

    /**
     * Builds the validator and then warms it up, both on one background thread; {@code built} is completed with the
     * validator (or its failure) as soon as it exists, before the warm-up.
     */
    public static ValidatorWarmUp buildAndStart(Supplier<FhirProfileValidator> build,
            CompletableFuture<FhirProfileValidator> built) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            FhirProfileValidator validator;
            try {
                validator = build.get();
                built.complete(validator);
            } catch (RuntimeException e) {
                built.completeExceptionally(e);
                done.completeExceptionally(e);
                return;
            }
            try {
                done.complete(validator.warmUp());
            } catch (RuntimeException e) {
                LOG.error("FHIR validator warm-up failed; the first referral will pay for it: {}", e.getClass().getName());
                done.completeExceptionally(e);
            }
        }, "fhir-validator-warm-up");
        thread.setDaemon(true);
        thread.start();
        return new ValidatorWarmUp(done);
    }

    /** Warm-up switched off: nothing runs, and readiness does not wait. */
    public static ValidatorWarmUp skipped() {
        return new ValidatorWarmUp(CompletableFuture.completedFuture(0));
    }

    public boolean isDone() {
        return done.isDone();
    }

    @Override
    public Health health() {
        if (!done.isDone()) {
            return Health.outOfService().withDetail("warmUp", "running").build();
        }
        return done.isCompletedExceptionally()
                ? Health.up().withDetail("warmUp", "failed; validation still works, the first call is slow").build()
                : Health.up().withDetail("warmUp", "done").withDetail("examples", done.join()).build();
    }
}
