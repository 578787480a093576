package io.github.spfhir.adapter.inbound.http;

import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.route.DirectorySyncRoute;

/**
 * {@code POST /ops/directories/{source}/sync}: an operator starts a sync of a configured directory source now
 * (enabled or not), outside its schedule. 202 once it is queued: the sync runs on its own and is recorded as every
 * run is ({@code directory_sync_run}, {@code /actuator/health/directories/{source}}); 404 for a source that is not
 * configured. Operators only, as all of {@code /ops} ({@code AccessRules}).
 */
@RestController
@RequestMapping("/ops/directories")
public class DirectoryOperationsController {

    private final AdapterProperties properties;
    private final ProducerTemplate producer;

    public DirectoryOperationsController(AdapterProperties properties, ProducerTemplate producer) {
        this.properties = properties;
        this.producer = producer;
    }

    @PostMapping("/{source}/sync")
    public ResponseEntity<Map<String, Object>> syncNow(@PathVariable String source) {
        if (!properties.directories().containsKey(source)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no directory source " + source,
                    "sources", properties.directories().keySet().stream().sorted().toList()));
        }
        producer.sendBody(DirectorySyncRoute.SYNC_NOW, source);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("source", source, "sync", "started",
                "health", "/actuator/health/directories/" + source));
    }
}
