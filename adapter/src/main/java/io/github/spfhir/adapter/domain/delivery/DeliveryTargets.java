package io.github.spfhir.adapter.domain.delivery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;

/**
 * Every partner endpoint the adapter delivers to, from configuration: link-worker platforms
 * ({@code adapter.destinations}), GP systems ({@code adapter.gp-systems}) and data platforms
 * ({@code adapter.data-platforms}). A delivery names its target by id, so ids must be unique across the three;
 * start-up fails otherwise.
 */
@Component
public class DeliveryTargets {

    private final Map<String, DeliveryTarget> targets = new LinkedHashMap<>();

    public DeliveryTargets(AdapterProperties properties) {
        properties.destinations().forEach((id, d) -> add(new DeliveryTarget(DeliveryFlow.REFERRAL_TO_LINK_WORKER, id,
                d.endpoint(), d.timeout(), d.retry(), d.concurrentDeliveries())));
        // a GP system's and a data platform's updates go one at a time, in order (an older one must never overtake)
        properties.gpSystems().forEach((id, g) -> add(new DeliveryTarget(DeliveryFlow.UPDATES_TO_GP, id,
                g.endpoint(), g.timeout(), g.retry(), 1)));
        properties.dataPlatforms().forEach((id, p) -> {
            if (p.enabled()) {
                add(new DeliveryTarget(DeliveryFlow.DATA_PLATFORM_PUBLISHING, id, p.endpoint(), p.timeout(), p.retry(), 1));
            }
        });
    }

    private void add(DeliveryTarget target) {
        if (target.endpoint() == null) {
            throw new IllegalStateException("Partner '" + target.id() + "' (" + target.flow().id() + ") has no endpoint configured");
        }
        DeliveryTarget clash = targets.putIfAbsent(target.id(), target);
        if (clash != null) {
            throw new IllegalStateException("Partner id '" + target.id() + "' is configured twice (" + clash.flow().id()
                    + " and " + target.flow().id() + "); ids must be unique across destinations, gp-systems and data-platforms");
        }
    }

    public Optional<DeliveryTarget> find(String id) {
        return Optional.ofNullable(targets.get(id));
    }

    /** The targets of one flow, in configuration order. */
    public List<DeliveryTarget> of(DeliveryFlow flow) {
        List<DeliveryTarget> result = new ArrayList<>();
        targets.values().stream().filter(t -> t.flow() == flow).forEach(result::add);
        return result;
    }

    public List<DeliveryTarget> all() {
        return List.copyOf(targets.values());
    }
}
