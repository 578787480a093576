package io.github.spfhir.adapter.domain.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.config.AdapterProperties.DestinationKind;

/**
 * Refuses to start when a {@code json-rest} destination names no mapping, or one that is not in
 * {@code mappings/platforms/}: better than failing on the first referral routed there.
 */
@Component
public class DestinationMappingsCheck {

    public DestinationMappingsCheck(AdapterProperties properties, PlatformMappings mappings) {
        List<String> problems = new ArrayList<>();
        Map<String, AdapterProperties.Destination> sorted = new TreeMap<>(properties.destinations());
        sorted.forEach((id, destination) -> {
            if (destination.kind() != DestinationKind.JSON_REST) {
                return;
            }
            String mapping = destination.mapping();
            if (mapping == null || mapping.isBlank()) {
                problems.add("adapter.destinations." + id + ".mapping is not set (a json-rest destination needs one of "
                        + mappings.names() + ")");
            } else if (mappings.find(mapping).isEmpty()) {
                problems.add("adapter.destinations." + id + ".mapping '" + mapping + "' does not exist (no mappings/platforms/"
                        + mapping + PlatformMappingReader.EXTENSION + "; known: " + mappings.names() + ")");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }
}
