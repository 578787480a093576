package io.github.spfhir.adapter.observability;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Message counters per route: {@code adapter_messages_total{route, outcome=in|out|failed}} in Prometheus.
 * "in" is a message accepted and stored, "out" a delivery a partner accepted, "failed" a refusal or a delivery
 * given up on, "unroutable" something no configured partner serves.
 */
@Component
public class AdapterMetrics {

    private final MeterRegistry registry;

    public AdapterMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void messageIn(String route) {
        counter(route, "in").increment();
    }

    public void messageOut(String route) {
        counter(route, "out").increment();
    }

    public void messageFailed(String route) {
        counter(route, "failed").increment();
    }

    /** Something that should go to a partner has no partner configured for it (e.g. a practice with no GP system). */
    public void messageUnroutable(String route) {
        counter(route, "unroutable").increment();
    }

    private Counter counter(String route, String outcome) {
        return Counter.builder("adapter.messages").description("Messages per route and outcome")
                .tag("route", route).tag("outcome", outcome).register(registry);
    }
}
