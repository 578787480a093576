package io.github.spfhir.adapter.domain.referral;

/**
 * Why an inbound message was refused. The inbound HTTP layer turns each into its HTTP status; the domain
 * only names the reason.
 */
public enum RejectionReason {
    /** the body is not parseable FHIR (HTTP 400) */
    UNPARSEABLE,
    /** a required BaRS header is missing or malformed (HTTP 400) */
    INVALID_HEADERS,
    /**
     * the request is not one this endpoint can take, whatever its body says: a FHIR update whose body is not the
     * resource named in its URL (another type, another id, or no id) (HTTP 400)
     */
    INVALID_REQUEST,
    /** the body is not a media type we accept (HTTP 415) */
    UNSUPPORTED_MEDIA_TYPE,
    /** the body is larger than adapter.intake.max-body-size (HTTP 413) */
    TOO_LARGE,
    /** parseable, but not a valid social-prescribing referral message (HTTP 422) */
    INVALID_CONTENT,
    /** the X-Request-ID was accepted before (HTTP 409, issue code duplicate) */
    DUPLICATE,
    /** no configured destination serves the target named (HTTP 404) */
    UNKNOWN_DESTINATION,
    /** an event names a referral we do not hold, or one not addressed to the platform sending it (HTTP 404) */
    UNKNOWN_REFERRAL,
    /** an event would move a Task where its state machine does not allow (HTTP 422, issue code business-rule) */
    ILLEGAL_TRANSITION,
    /**
     * a FHIR update made against a version of the resource that is no longer current: the version in If-Match, or
     * the one the update was read against when another change came first (HTTP 412)
     */
    PRECONDITION_FAILED,
    /**
     * the authenticated caller may not send this message: a GP system sending for another practice, or a client
     * whose role does not send this kind of message (HTTP 403, issue code forbidden)
     */
    FORBIDDEN,
    /** the adapter cannot take work now (starting, or its store is unreachable); retry later (HTTP 503) */
    UNAVAILABLE,
    /** something failed inside the adapter; the message is stored for investigation (HTTP 500) */
    PROCESSING_ERROR
}
