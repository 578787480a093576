package io.github.spfhir.adapter.domain.lifecycle;

/**
 * An inbound event and the canonical event read from it.
 *
 * @param inbound as it arrived
 * @param event   what it says, in the canonical model
 */
public record ReceivedEvent(InboundEvent inbound, ReferralEvent event) {
}
