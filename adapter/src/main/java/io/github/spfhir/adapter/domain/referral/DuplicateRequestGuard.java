package io.github.spfhir.adapter.domain.referral;

import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.store.MessageStore;

/**
 * Refuses a message whose X-Request-ID was accepted before, before any work is done. The store's unique
 * constraint is the final guard (two copies racing, or a retry after a crash that happened after the commit).
 */
@Component
public class DuplicateRequestGuard {

    private final MessageStore store;

    public DuplicateRequestGuard(MessageStore store) {
        this.store = store;
    }

    public InboundMessage requireNew(InboundMessage inbound) {
        if (store.isKnownRequestId(inbound.requestId())) {
            throw MessageStore.duplicateRequest();
        }
        return inbound;
    }
}
