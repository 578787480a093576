package io.github.spfhir.adapter.domain.platformevent;

import java.util.List;

import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * A platform's event that cannot become a {@link io.github.spfhir.adapter.domain.lifecycle.ReferralEvent}: one
 * {@link Problem} per fault, its {@code expression} the JSON Pointer of the offending member in the platform's
 * JSON (or the FHIRPath of the element, for FHIR input). The reason is {@link RejectionReason#UNPARSEABLE} (400)
 * when the body is not JSON at all, {@link RejectionReason#INVALID_CONTENT} (422) otherwise. Diagnostics never
 * quote patient data.
 */
public class PlatformEventRejectedException extends RejectedMessageException {

    private static final long serialVersionUID = 1L;

    private final String platformId;

    public PlatformEventRejectedException(String platformId, RejectionReason reason, List<Problem> problems) {
        super(reason, problems);
        this.platformId = platformId;
    }

    /** The platform that sent it. */
    public String platformId() {
        return platformId;
    }
}
