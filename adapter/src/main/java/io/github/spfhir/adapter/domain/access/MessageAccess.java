package io.github.spfhir.adapter.domain.access;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.lifecycle.InboundEvent;
import io.github.spfhir.adapter.domain.lifecycle.ReceivedEvent;
import io.github.spfhir.adapter.domain.lifecycle.ReceivedEvents;
import io.github.spfhir.adapter.domain.referral.ReferralMessage;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * The authorisation rules that need what a message says, applied in its route once the message is read and before
 * anything is stored (the rules that need only the URL and the token are at the HTTP door,
 * {@code inbound/security/AccessRules}):
 * <ul>
 * <li>a referral is sent by the GP system of the practice that sends it: the caller's organisation is the referral's
 * sender ODS code (MessageHeader.sender, else the requester's organisation, as {@link ReferralMessage} reads it);
 * anything else is 403;</li>
 * <li>a platform's BaRS response or FHIR Task update is about a referral addressed to that platform; one about
 * another platform's referral is answered exactly as one about a referral not held (404), so a platform learns
 * nothing of other platforms' referrals; a caller that is not a link-worker platform is 403.</li>
 * </ul>
 */
@Component
public class MessageAccess {

    private static final String SENDER = "Bundle.entry[0].resource.ofType(MessageHeader).sender";
    private static final String FOCUS = "Bundle.entry[0].resource.ofType(MessageHeader).focus";

    /**
     * @return the message, for the route to go on with
     * @throws RejectedMessageException FORBIDDEN when the caller is not the GP system of the referral's practice
     */
    public ReferralMessage requireSender(ReferralMessage message, Caller caller) {
        if (caller == null || !caller.is(Role.GP_SYSTEM)) {
            throw new RejectedMessageException(RejectionReason.FORBIDDEN, Problem.error(IssueType.FORBIDDEN,
                    "Only a GP system sends referrals; this client's role is "
                            + (caller == null ? "unknown" : caller.role().id())));
        }
        if (!caller.sendsFor(message.senderOdsCode())) {
            throw new RejectedMessageException(RejectionReason.FORBIDDEN, Problem.error(IssueType.FORBIDDEN,
                    "This client sends referrals for practice " + caller.organisation() + " only; the referral is "
                            + "from another practice", SENDER));
        }
        return message;
    }

    /** The words {@code FhirPlatformEventReader} uses for a Task or referral it does not hold, shape by shape. */
    private static Problem notHeld(InboundEvent inbound, String referralId) {
        return switch (inbound.shape()) {
            case FHIR_TASK -> Problem.error(IssueType.NOTFOUND, "Task/" + inbound.taskId() + " is not known");
            case FHIR_OBSERVATION -> Problem.error(IssueType.NOTFOUND, "No referral " + referralId
                    + " delivered to a link-worker platform is held here", "Observation.basedOn");
            case BARS_RESPONSE, PLATFORM_JSON -> Problem.error(IssueType.NOTFOUND, "No referral " + referralId
                    + " is held here", FOCUS);
        };
    }

    /**
     * Events read from a platform: its own JSON at {@code /platforms/{id}/events} (the URL's platform is checked
     * against the caller at the door) or from its feed (polled by the adapter, no caller), a FHIR Task update, a FHIR
     * Observation or a BaRS response (always from an authenticated platform, whose referral it must be).
     *
     * @return the events, for the route to go on with
     * @throws RejectedMessageException FORBIDDEN for a caller that is not a link-worker platform, or a FHIR event
     *                                  with no caller; UNKNOWN_REFERRAL when the referral is another platform's
     */
    public ReceivedEvents requireFromPlatform(ReceivedEvents events, Caller caller) {
        for (ReceivedEvent received : events.events()) {
            InboundEvent inbound = received.inbound();
            if (caller == null) {
                if (inbound.shape() != InboundEvent.Shape.PLATFORM_JSON) {
                    throw new RejectedMessageException(RejectionReason.FORBIDDEN, Problem.error(IssueType.FORBIDDEN,
                            "A FHIR update, Observation or BaRS response is only taken from an authenticated link-worker "
                                    + "platform"));
                }
                continue;
            }
            if (!caller.is(Role.LINK_WORKER_PLATFORM)) {
                throw new RejectedMessageException(RejectionReason.FORBIDDEN, Problem.error(IssueType.FORBIDDEN,
                        "Only a link-worker platform reports on referrals; this client's role is " + caller.role().id()));
            }
            if (!caller.isPlatform(inbound.platformId())) {
                // the same answer as for a referral not held (FhirPlatformEventReader): nothing is revealed
                throw new RejectedMessageException(RejectionReason.UNKNOWN_REFERRAL, notHeld(inbound, events.referralId()));
            }
        }
        return events;
    }
}
