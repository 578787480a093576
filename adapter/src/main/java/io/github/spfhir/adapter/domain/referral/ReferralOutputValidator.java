package io.github.spfhir.adapter.domain.referral;

import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.validation.EmittedResourceValidator;

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

    /** The referral with its resources' validated JSON (what the store keeps), or a 422 refusal with every error. */
    public MappedReferral requireValid(MappedReferral mapped) {
        EmittedResourceValidator.Validated validated = validator.validate(mapped.resources(), "mapped from this message");
        if (!validated.errors().isEmpty()) {
            throw new RejectedMessageException(RejectionReason.INVALID_CONTENT, validated.errors());
        }
        return mapped.withValidatedJson(validated.json());
    }
}
