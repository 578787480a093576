package io.github.spfhir.adapter.domain.lifecycle;

import java.util.Optional;

import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * Which link-worker platform a referral was addressed to: the destination of its referral-to-link-worker delivery.
 * Events about a referral are taken from that platform only.
 */
@Component
public class LinkWorkerPlatforms {

    private final MessageStore store;

    public LinkWorkerPlatforms(MessageStore store) {
        this.store = store;
    }

    /** The platform the referral was delivered to; empty when we hold no such referral. */
    public Optional<String> of(String referralId) {
        return store.destinationsOfReferral(referralId, DeliveryFlow.REFERRAL_TO_LINK_WORKER).stream().findFirst();
    }

    /** True when the referral was delivered to this platform. */
    public boolean isAddressedTo(String referralId, String platformId) {
        return store.destinationsOfReferral(referralId, DeliveryFlow.REFERRAL_TO_LINK_WORKER).contains(platformId);
    }
}
