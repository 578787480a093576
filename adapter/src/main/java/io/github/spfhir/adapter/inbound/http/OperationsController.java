package io.github.spfhir.adapter.inbound.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.delivery.DeliveryPayloadEditService;
import io.github.spfhir.adapter.domain.delivery.DeliveryPayloadEditService.EditResult;
import io.github.spfhir.adapter.domain.delivery.DeliveryReplayService;
import io.github.spfhir.adapter.domain.delivery.DeliveryReplayService.ReplayResult;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.route.DeliveryReplayRoute;
import io.github.spfhir.adapter.store.DeliveryEdit;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.store.RejectionRecord;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The operator's view of what failed, and the replay of it: {@code /ops/deliveries} (with their attempts),
 * {@code /ops/rejections}, replay of FAILED deliveries one by one or per destination, and the correction of a
 * FAILED delivery's payload before its replay. Lists carry ids, states and errors, never payloads or bodies (patient
 * data); one delivery's corrections show the payload before and after. Operators only ({@code AccessRules}).
 */
@RestController
@RequestMapping("/ops")
public class OperationsController {

    private static final int MAX_LIMIT = 1000;

    private final MessageStore store;
    private final DeliveryReplayService replays;
    private final DeliveryPayloadEditService payloadEdits;
    private final ProducerTemplate producer;
    private final FhirFormats formats;

    public OperationsController(MessageStore store, DeliveryReplayService replays,
            DeliveryPayloadEditService payloadEdits, ProducerTemplate producer, FhirFormats formats) {
        this.store = store;
        this.replays = replays;
        this.payloadEdits = payloadEdits;
        this.producer = producer;
        this.formats = formats;
    }

    @GetMapping("/deliveries")
    public List<DeliverySummary> deliveries(@RequestParam(required = false) DeliveryState state,
            @RequestParam(required = false) String destination, @RequestParam(defaultValue = "100") int limit) {
        return store.listDeliveries(state, destination, clamp(limit)).stream().map(DeliverySummary::of).toList();
    }

    @GetMapping("/deliveries/{id}")
    public ResponseEntity<Map<String, Object>> delivery(@PathVariable String id) {
        return store.findDelivery(id)
                .<ResponseEntity<Map<String, Object>>>map(d -> ResponseEntity.ok(Map.of(
                        "delivery", DeliverySummary.of(d), "attempts", store.attempts(id),
                        "edits", payloadEdits.editsOf(id))))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no delivery " + id)));
    }

    @PostMapping("/deliveries/{id}/replay")
    public ResponseEntity<ReplayResult> replay(@PathVariable String id) {
        ReplayResult result = producer.requestBody(DeliveryReplayRoute.REPLAY_ENDPOINT, id, ReplayResult.class);
        HttpStatus status = switch (result.outcome()) {
            case REOPENED -> HttpStatus.ACCEPTED;
            case NOT_FAILED, DESTINATION_NOT_CONFIGURED -> HttpStatus.CONFLICT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
        };
        return ResponseEntity.status(status).body(result);
    }

    /**
     * Corrects the payload of a FAILED delivery (the body is the new payload, read as the delivery's content type;
     * {@code X-Edit-Reason} optionally says why). The delivery stays FAILED until replayed. 200 with the edit's
     * record (who, when; not the payloads); refusals are OperationOutcomes: 404 unknown, 409 not FAILED, 400 not
     * readable as the content type, 422 a FHIR payload that breaks our profiles or changes its kind.
     */
    @PutMapping("/deliveries/{id}/payload")
    public ResponseEntity<?> editPayload(@PathVariable String id, @RequestBody(required = false) String payload,
            @RequestHeader(name = "X-Edit-Reason", required = false) String reason, HttpServletRequest request) {
        Caller editor = (Caller) request.getAttribute(Caller.REQUEST_ATTRIBUTE);
        EditResult result = payloadEdits.edit(id, payload, editor, reason);
        HttpStatus status = switch (result.outcome()) {
            case EDITED -> HttpStatus.OK;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case NOT_FAILED -> HttpStatus.CONFLICT;
            case UNREADABLE -> HttpStatus.BAD_REQUEST;
            case INVALID -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        if (status != HttpStatus.OK) {
            return new ResponseEntity<>(formats.encode(OperationOutcomes.of(status, result.problems()), FhirFormat.JSON),
                    formats.contentTypeHeaders(FhirFormat.JSON), status);
        }
        DeliveryEdit edit = result.edit();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveryId", id);
        body.put("editId", edit.id());
        body.put("editedAt", edit.editedAt());
        body.put("clientId", edit.clientId());
        body.put("state", DeliveryState.FAILED);
        body.put("next", "POST /ops/deliveries/" + id + "/replay sends the corrected payload");
        return ResponseEntity.ok(body);
    }

    /**
     * Replays every FAILED delivery, oldest first; or only those of one destination, and/or of messages accepted in a
     * time window ({@code from} inclusive, {@code to} exclusive, ISO-8601 instants: the deliveries' {@code createdAt}).
     */
    @PostMapping("/deliveries/replay")
    public ResponseEntity<Map<String, Object>> replayFailed(@RequestParam(required = false) String destination,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "1000") int limit) {
        Instant createdFrom;
        Instant createdBefore;
        try {
            createdFrom = InstantParameter.parseOrNull("from", from);
            createdBefore = InstantParameter.parseOrNull("to", to);
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
        if (createdFrom != null && createdBefore != null && !createdFrom.isBefore(createdBefore)) {
            return ResponseEntity.badRequest().body(Map.of("error", "from must be before to"));
        }
        int reopened = 0;
        for (String id : replays.failedDeliveryIds(destination, createdFrom, createdBefore, clamp(limit))) {
            ReplayResult result = producer.requestBody(DeliveryReplayRoute.REPLAY_ENDPOINT, id, ReplayResult.class);
            if (result.reopened()) {
                reopened++;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reopened", reopened);
        body.put("destination", destination == null ? "all" : destination);
        body.put("from", createdFrom == null ? "any" : createdFrom.toString());
        body.put("to", createdBefore == null ? "any" : createdBefore.toString());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
    }

    @GetMapping("/rejections")
    public List<RejectionRecord> rejections(@RequestParam(defaultValue = "100") int limit) {
        return store.listRejections(clamp(limit));
    }

    private static int clamp(int limit) {
        return Math.max(1, Math.min(MAX_LIMIT, limit));
    }

    /** A delivery without its payload. */
    public record DeliverySummary(String id, String referralId, String destinationId, String correlationId,
            DeliveryState state, int attempts, Instant createdAt, Instant updatedAt, String lastError) {

        static DeliverySummary of(DeliveryRecord d) {
            return new DeliverySummary(d.id(), d.referralId(), d.destinationId(), d.correlationId(), d.state(),
                    d.attempts(), d.createdAt(), d.updatedAt(), d.lastError());
        }
    }

}
