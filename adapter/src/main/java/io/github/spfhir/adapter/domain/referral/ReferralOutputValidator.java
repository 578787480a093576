package io.github.spfhir.adapter.domain.referral;

import java.util.List;

import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.validation.EmittedResourceValidator;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Validates every resource we are about to emit against our profiles. An invalid output is never sent: the
 * message is refused (422) with the validation messages, and the refusal is stored.
 */
@Component
public class ReferralOutputValidator {

    private final EmittedResourceValidator validator;

    public ReferralOutputValidator(EmittedResourceValidator validator) {
        this.validator = validator;
    }

    public MappedReferral requireValid(MappedReferral mapped) {
        List<Problem> errors = validator.errors(mapped.resources(), "mapped from this message");
        if (!errors.isEmpty()) {
            throw new RejectedMessageException(RejectionReason.INVALID_CONTENT, errors);
        }
        return mapped;
    }
}
