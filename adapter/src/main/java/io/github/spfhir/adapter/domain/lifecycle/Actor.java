package io.github.spfhir.adapter.domain.lifecycle;

/**
 * Who asks for a Task transition, in the roles of the Gravity SDOH referral pattern
 * ({@code shared/reference/directories.md} §5).
 */
public enum Actor {
    /** the referrer (the GP side): the only one who may mark a Task entered-in-error */
    REQUESTER,
    /** the link-worker service that fulfils the referral: every platform event acts as the performer */
    PERFORMER
}
