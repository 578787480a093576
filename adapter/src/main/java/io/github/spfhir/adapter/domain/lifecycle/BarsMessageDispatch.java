package io.github.spfhir.adapter.domain.lifecycle;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MessageHeader;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.referral.BarsReferralReader;
import io.github.spfhir.adapter.domain.referral.InboundMessage;
import io.github.spfhir.adapter.domain.referral.ReferralBundleParser.ParsedMessage;

/**
 * Which flow a BaRS message posted to {@code $process-message} belongs to, by its MessageHeader.eventCoding
 * (standards.md §4): a {@value BarsReferralReader#EVENT_REFERRAL_RESPONSE} is a platform, as the BaRS receiver of
 * our referral, telling us what it decided: an event for the events flow. Everything else goes to the referral
 * flow, whose reader refuses any event but {@value BarsReferralReader#EVENT_REFERRAL_REQUEST} along with every
 * other fault of the message at once.
 */
@Component
public class BarsMessageDispatch {

    /** True when the message's first entry is a MessageHeader whose event is BaRS's referral response. */
    public boolean isReferralResponse(ParsedMessage parsed) {
        Bundle bundle = parsed.bundle();
        return !bundle.getEntry().isEmpty()
                && bundle.getEntryFirstRep().getResource() instanceof MessageHeader header
                && header.getEvent() instanceof Coding event
                && BarsReferralReader.BARS_EVENT_SYSTEM.equals(event.getSystem())
                && BarsReferralReader.EVENT_REFERRAL_RESPONSE.equals(event.getCode());
    }

    /**
     * A referral response as an event for the events flow, as it arrived: the platform is found when it is read
     * (the referral's link-worker destination).
     */
    public InboundEvent asPlatformEvent(ParsedMessage parsed) {
        InboundMessage message = parsed.inbound();
        return new InboundEvent(message.messageId(), null, InboundEvent.Shape.BARS_RESPONSE, message.requestId(),
                message.correlationId(), message.contentType(), message.headers(), message.body(),
                message.receivedAt());
    }
}
