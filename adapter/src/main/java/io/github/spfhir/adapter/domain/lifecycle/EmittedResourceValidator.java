package io.github.spfhir.adapter.domain.lifecycle;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.domain.validation.ValidationResult;
import io.github.spfhir.adapter.domain.outcome.OutcomeProfiles;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Validates the resources an event produced against their profiles before anything is stored or sent: the same
 * shared validation chain as referrals, the same {@code adapter.validation} timer. An invalid output is refused
 * (422) and the refusal stored; nothing is sent.
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
            case "ServiceRequest" -> ((ServiceRequest) resource).hasBasedOn() ? LifecycleProfiles.ONWARD_REFERRAL
                    : Profiles.SERVICE_REQUEST;
            case "Task" -> Profiles.TASK;
            case "Patient" -> Profiles.PATIENT;
            case "Observation" -> OutcomeProfiles.OBSERVATION;
            default -> null;
        };
    }

    public void requireValid(List<? extends Resource> resources) {
        List<Problem> errors = new ArrayList<>();
        for (Resource resource : resources) {
            String profile = profileOf(resource);
            ValidationResult result = validationTimer.record(() -> profile == null ? validator.validate(resource)
                    : validator.validate(resource, profile));
            for (Problem problem : result.errors()) {
                errors.add(new Problem(problem.severity(), problem.code(), "The " + resource.fhirType()
                        + " this would produce does not conform to its profile: " + problem.diagnostics(),
                        problem.expression()));
            }
        }
        if (!errors.isEmpty()) {
            throw new RejectedMessageException(RejectionReason.INVALID_CONTENT, errors);
        }
    }
}
