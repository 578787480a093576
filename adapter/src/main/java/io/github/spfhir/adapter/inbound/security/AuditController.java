package io.github.spfhir.adapter.inbound.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.inbound.http.InstantParameter;
import io.github.spfhir.adapter.store.AuditRecord;
import io.github.spfhir.adapter.store.AuditStore;

/**
 * {@code GET /ops/audit?client=&resource=&from=&limit=}: the audit trail for operators, newest first; of one client
 * id, of one resource type ({@code Task}) or resource ({@code Task/123}), from an instant on ({@code from}, ISO-8601,
 * e.g. {@code 2026-11-21T00:00:00Z}). {@code limit} defaults to 100 and is held between 1 and 1000. Operator only
 * ({@link AccessRules}); reading the trail is itself audited.
 */
@RestController
public class AuditController {

    private static final int MAX_LIMIT = 1000;

    private final AuditStore audit;

    public AuditController(AuditStore audit) {
        this.audit = audit;
    }

    @GetMapping("/ops/audit")
    public ResponseEntity<?> audit(@RequestParam(required = false) String client,
            @RequestParam(required = false) String resource, @RequestParam(required = false) String from,
            @RequestParam(defaultValue = "100") int limit) {
        Instant since;
        try {
            since = InstantParameter.parseOrNull("from", from);
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
        List<AuditRecord> entries = audit.list(client, resource, since, Math.max(1, Math.min(MAX_LIMIT, limit)));
        return ResponseEntity.ok(entries);
    }
}
