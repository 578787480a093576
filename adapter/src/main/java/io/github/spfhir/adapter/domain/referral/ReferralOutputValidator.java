package io.github.spfhir.adapter.domain.referral;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.domain.validation.ValidationResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Validates every resource we are about to emit against our profiles. An invalid output is never sent: the
 * message is refused (422) with the validation messages, and the refusal is stored.
 */
@Component
public class ReferralOutputValidator {

    private static final Map<String, String> PROFILES = Map.of(
            "ServiceRequest", Profiles.SERVICE_REQUEST,
            "Task", Profiles.TASK,
            "Patient", Profiles.PATIENT);

    private final FhirProfileValidator validator;
    private final Timer validationTimer;

    public ReferralOutputValidator(FhirProfileValidator validator, MeterRegistry meterRegistry) {
        this.validator = validator;
        this.validationTimer = Timer.builder("adapter.validation")
                .description("Time to validate one emitted resource against its profile")
                .publishPercentiles(0.5, 0.99)
                .register(meterRegistry);
    }

    public MappedReferral requireValid(MappedReferral mapped) {
        List<Problem> errors = new ArrayList<>();
        for (Resource resource : mapped.resources()) {
            // the profile is applied whatever meta.profile says, so a mapping slip there cannot skip it
            String profile = PROFILES.get(resource.fhirType());
            ValidationResult result = validationTimer.record(() -> validator.validate(resource, profile));
            for (Problem problem : result.errors()) {
                errors.add(new Problem(problem.severity(), problem.code(), "The " + resource.fhirType()
                        + " mapped from this message does not conform to its profile: " + problem.diagnostics(),
                        problem.expression()));
            }
        }
        if (!errors.isEmpty()) {
            throw new RejectedMessageException(RejectionReason.INVALID_CONTENT, errors);
        }
        return mapped;
    }
}
