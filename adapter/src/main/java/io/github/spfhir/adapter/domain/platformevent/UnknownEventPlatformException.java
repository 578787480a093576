package io.github.spfhir.adapter.domain.platformevent;

import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * An event for a platform that has no events mapping ({@code mappings/platforms/<platform>.events.yaml}): the
 * webhook answers 404 ({@link RejectionReason#UNKNOWN_DESTINATION}), with one {@code not-found} problem.
 */
public class UnknownEventPlatformException extends RejectedMessageException {

    private static final long serialVersionUID = 1L;
    /** A platform id is quoted back only if it looks like one (it comes from the caller's URL). */
    private static final Pattern PLATFORM_ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private final String platformId;

    public UnknownEventPlatformException(String platformId) {
        super(RejectionReason.UNKNOWN_DESTINATION, Problem.error(IssueType.NOTFOUND, describe(platformId)));
        this.platformId = platformId;
    }

    public String platformId() {
        return platformId;
    }

    private static String describe(String platformId) {
        if (platformId != null && platformId.length() <= 64 && PLATFORM_ID.matcher(platformId).matches()) {
            return "No platform '" + platformId + "' sends events here: there is no mappings/platforms/" + platformId
                    + PlatformEventMappingReader.EXTENSION;
        }
        return "No platform of that name sends events here: platform ids are kebab-case names of an events mapping";
    }
}
