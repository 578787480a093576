package io.github.spfhir.adapter.domain.validation;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Validates every resource we are about to emit against its profile, whatever its meta.profile says (so a mapping
 * slip there cannot skip it): the one shared validation chain, timed as {@code adapter.validation}. Callers refuse
 * what fails (422), store the refusal, and send nothing.
 */
@Component
public class EmittedResourceValidator {

    private final FhirProfileValidator validator;
    private final Timer validationTimer;

    public EmittedResourceValidator(FhirProfileValidator validator, MeterRegistry meterRegistry) {
        this.validator = validator;
        this.validationTimer = Timer.builder("adapter.validation")
                .description("Time to validate one emitted resource against its profile")
                .publishPercentiles(0.5, 0.99)
                .register(meterRegistry);
    }

    /** The profile a resource we emit must meet (whatever its meta.profile says); null: base FHIR R4 only. */
    public static String profileOf(Resource resource) {
        return switch (resource.fhirType()) {
            case "ServiceRequest" -> ((ServiceRequest) resource).hasBasedOn() ? Profiles.ONWARD_REFERRAL
                    : Profiles.SERVICE_REQUEST;
            case "Task" -> Profiles.TASK;
            case "Patient" -> Profiles.PATIENT;
            case "Observation" -> Profiles.OUTCOME_OBSERVATION;
            default -> null;
        };
    }

    /**
     * The errors of every resource, each diagnostics prefixed with what it is ("The Task {@code what} does not
     * conform to its profile: ..."); empty when all are valid.
     *
     * @param what how the caller's resources came about, e.g. "mapped from this message"
     */
    public List<Problem> errors(List<? extends Resource> resources, String what) {
        List<Problem> errors = new ArrayList<>();
        for (Resource resource : resources) {
            String profile = profileOf(resource);
            ValidationResult result = validationTimer.record(() -> profile == null ? validator.validate(resource)
                    : validator.validate(resource, profile));
            for (Problem problem : result.errors()) {
                errors.add(new Problem(problem.severity(), problem.code(), "The " + resource.fhirType() + " " + what
                        + " does not conform to its profile: " + problem.diagnostics(), problem.expression()));
            }
        }
        return errors;
    }
}
