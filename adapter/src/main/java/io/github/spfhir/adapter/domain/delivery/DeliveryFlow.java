package io.github.spfhir.adapter.domain.delivery;

/**
 * The business flows that deliver something to a partner. Each has its own route (named after it), its own
 * queues per target and its own metrics; they share one delivery store, one way of attempting, retrying, giving up
 * and replaying.
 */
public enum DeliveryFlow {
    /** referrals to link-worker platforms ({@code adapter.destinations}) */
    REFERRAL_TO_LINK_WORKER("referral-to-link-worker"),
    /** lifecycle updates and outcomes back to the referring GP system ({@code adapter.gp-systems}) */
    UPDATES_TO_GP("updates-to-gp"),
    /** every change to a referral's resources, to regional data platforms ({@code adapter.data-platforms}) */
    DATA_PLATFORM_PUBLISHING("data-platform-publishing");

    private final String id;

    DeliveryFlow(String id) {
        this.id = id;
    }

    /** The flow's route id and the name stored in {@code delivery.flow}. */
    public String id() {
        return id;
    }

    /** The in-memory queue of deliveries of this flow to one target (the store is what makes them durable). */
    public String queue(String targetId) {
        return "seda:" + id + "-delivery-" + targetId;
    }

    /** The id of the route that drains {@link #queue(String)}. */
    public String deliveryRouteId(String targetId) {
        return id + ".delivery." + targetId;
    }

    public static DeliveryFlow ofId(String id) {
        for (DeliveryFlow flow : values()) {
            if (flow.id.equals(id)) {
                return flow;
            }
        }
        throw new IllegalArgumentException("unknown delivery flow '" + id + "'");
    }
}
