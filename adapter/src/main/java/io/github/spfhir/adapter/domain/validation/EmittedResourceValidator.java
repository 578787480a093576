package io.github.spfhir.adapter.domain.validation;

import java.util.ArrayList;
import java.util.Collections;
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
        return validate(resources, what).errors();
    }

    /**
     * As {@link #errors}, and also each resource's JSON as the validator read it, in the order given: what a caller
     * stores, so that what is kept and served is byte for byte what was validated, encoded once.
     */
    public Validated validate(List<? extends Resource> resources, String what) {
        List<Problem> errors = new ArrayList<>();
        List<String> json = new ArrayList<>(resources.size());
        for (Resource resource : resources) {
            String profile = profileOf(resource);
            ValidationResult result = validationTimer.record(() -> profile == null ? validator.validate(resource)
                    : validator.validate(resource, profile));
            for (Problem problem : result.errors()) {
                errors.add(new Problem(problem.severity(), problem.code(), "The " + resource.fhirType() + " " + what
                        + " does not conform to its profile: " + problem.diagnostics(), problem.expression()));
            }
            json.add(result.validatedJson());
        }
        return new Validated(errors, json);
    }

    /**
     * @param errors as {@link #errors}
     * @param json   each resource's validated JSON, in the order given; an element is null where the validator did
     *               not encode the resource itself (then the caller encodes it)
     */
    public record Validated(List<Problem> errors, List<String> json) {

        public Validated {
            errors = List.copyOf(errors);
            json = Collections.unmodifiableList(new ArrayList<>(json)); // may hold nulls
        }
    }
}
