package io.github.spfhir.adapter.store;

/** Where a delivery is: waiting or being retried, done, or given up on (kept, visible, replayable). */
public enum DeliveryState { PENDING, DELIVERED, FAILED }
