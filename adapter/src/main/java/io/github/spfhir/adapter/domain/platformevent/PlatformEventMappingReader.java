package io.github.spfhir.adapter.domain.platformevent;

import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import io.github.spfhir.adapter.client.linkworker.EventPollSpec;
import io.github.spfhir.adapter.domain.lifecycle.EventKind;
import io.github.spfhir.adapter.domain.platform.InvalidPlatformMappingException;
import io.github.spfhir.adapter.domain.platform.MappingFileReader;
import io.github.spfhir.adapter.domain.platformevent.PlatformEventMapping.Value;

/**
 * Reads and validates one inbound events mapping, {@code mappings/platforms/<platform>.events.yaml} (format:
 * {@code mappings/README.md}, "Event mappings"), in the style of the outbound
 * {@link io.github.spfhir.adapter.domain.platform.PlatformMappingReader}: every problem in the file is reported
 * at once, each with the key it is about ({@code event.measure.instrument}), as an
 * {@link InvalidPlatformMappingException}.
 */
public final class PlatformEventMappingReader extends MappingFileReader {

    /** The events mapping's file extension; {@code .events.yml} is refused so that a file is never skipped. */
    public static final String EXTENSION = ".events.yaml";

    static final List<String> FILE_KEYS = List.of("platform", "mapping-version", "description", "event", "polling");
    static final List<String> EVENT_KEYS = List.of("id", "kind", "referral-id", "occurred-at", "reason", "link-worker",
            "appointment-at", "onward-referral", "measure", "note");
    static final List<String> REASON_KEYS = List.of("system", "code", "display", "text");
    static final List<String> LINK_WORKER_KEYS = List.of("name", "identifier-system", "identifier-value");
    static final List<String> ONWARD_REFERRAL_KEYS = List.of("directory-source", "service-id", "service-name");
    static final List<String> MEASURE_KEYS = List.of("instrument", "score", "timing", "items");
    static final List<String> ITEMS_KEYS = List.of("source", "link-id", "text", "value");
    static final List<String> POLLING_KEYS = List.of("path", "cursor-parameter", "events", "next-cursor");
    static final List<String> VALUE_KEYS = List.of("source", "constant", "value-map", "description");

    /** The only values that may be a constant: namespaces a platform does not repeat in every event. */
    static final Set<String> CONSTANT_ALLOWED =
            Set.of("reason.system", "link-worker.identifier-system", "onward-referral.directory-source");

    private static final List<String> EVENT_KINDS = Arrays.stream(EventKind.values()).map(Enum::name).toList();


    /** What a value must be. */
    private enum Rule {
        /** text; a value-map is optional */
        TEXT,
        /** text translated by a value-map, which is required and whose results must be in a fixed list */
        CODE,
        /** an ISO-8601 date-time with offset; no value-map */
        INSTANT,
        /** a number; no value-map */
        NUMBER
    }

    private PlatformEventMappingReader(String fileName) {
        super(fileName);
    }

    /**
     * Reads one events mapping file.
     *
     * @param fileName the file's name, for example {@code example-linkworker.events.yaml}: the platform must be named after it
     * @param in       the file's content (UTF-8 YAML); not closed here
     * @throws InvalidPlatformMappingException naming the file and every problem found
     */
    public static PlatformEventMapping read(String fileName, InputStream in) {
        return new PlatformEventMappingReader(fileName).read(in);
    }

    private PlatformEventMapping read(InputStream in) {
        JsonNode root = readRoot(in, EXTENSION, FILE_KEYS);
        String platform = platform(root, EXTENSION);
        int mappingVersion = mappingVersion(root, "change");
        String description = text(root, "description", "");

        JsonNode event = root.get("event");
        PlatformEventMapping mapping = null;
        if (event == null || !event.isObject()) {
            problems.add("'event' must be a mapping with at least the keys id, kind, referral-id and occurred-at");
        } else {
            mapping = event(event, platform, mappingVersion, description);
        }
        EventPollSpec polling = polling(root.get("polling"));

        refuseIfAnyProblem();
        return new PlatformEventMapping(mapping.platform(), mapping.mappingVersion(), mapping.description(),
                mapping.eventId(), mapping.kind(), mapping.referralId(), mapping.occurredAt(), mapping.reason(),
                mapping.linkWorker(), mapping.appointmentAt(), mapping.onwardReferral(), mapping.measure(),
                mapping.note(), polling);
    }

    private PlatformEventMapping event(JsonNode event, String platform, int mappingVersion, String description) {
        checkKeys(event, "event: ", EVENT_KEYS);
        Value id = required(event, "id", "id", Rule.TEXT, null);
        Value kind = required(event, "kind", "kind", Rule.CODE, EVENT_KINDS);
        Value referralId = required(event, "referral-id", "referral-id", Rule.TEXT, null);
        Value occurredAt = required(event, "occurred-at", "occurred-at", Rule.INSTANT, null);

        PlatformEventMapping.Reason reason = null;
        JsonNode reasonNode = group(event, "reason", REASON_KEYS);
        if (reasonNode != null) {
            reason = new PlatformEventMapping.Reason(
                    value(reasonNode.get("system"), "reason.system", Rule.TEXT, null),
                    value(reasonNode.get("code"), "reason.code", Rule.TEXT, null),
                    value(reasonNode.get("display"), "reason.display", Rule.TEXT, null),
                    value(reasonNode.get("text"), "reason.text", Rule.TEXT, null));
            if (!reasonNode.has("code") && !reasonNode.has("display") && !reasonNode.has("text")) {
                problems.add("event.reason: needs at least one of code, display and text");
            }
            if (reasonNode.has("system") && !reasonNode.has("code")) {
                problems.add("event.reason: 'system' without 'code' says nothing; add 'code' or remove 'system'");
            }
        }

        PlatformEventMapping.LinkWorker linkWorker = null;
        JsonNode workerNode = group(event, "link-worker", LINK_WORKER_KEYS);
        if (workerNode != null) {
            linkWorker = new PlatformEventMapping.LinkWorker(
                    value(workerNode.get("name"), "link-worker.name", Rule.TEXT, null),
                    value(workerNode.get("identifier-system"), "link-worker.identifier-system", Rule.TEXT, null),
                    value(workerNode.get("identifier-value"), "link-worker.identifier-value", Rule.TEXT, null));
            if (!workerNode.has("name") && !workerNode.has("identifier-value")) {
                problems.add("event.link-worker: needs at least one of name and identifier-value");
            }
            if (workerNode.has("identifier-system") && !workerNode.has("identifier-value")) {
                problems.add("event.link-worker: 'identifier-system' needs 'identifier-value'");
            }
        }

        Value appointmentAt = value(event.get("appointment-at"), "appointment-at", Rule.INSTANT, null);

        PlatformEventMapping.OnwardReferral onward = null;
        JsonNode onwardNode = group(event, "onward-referral", ONWARD_REFERRAL_KEYS);
        if (onwardNode != null) {
            onward = new PlatformEventMapping.OnwardReferral(
                    required(onwardNode, "directory-source", "onward-referral.directory-source", Rule.TEXT, null),
                    required(onwardNode, "service-id", "onward-referral.service-id", Rule.TEXT, null),
                    value(onwardNode.get("service-name"), "onward-referral.service-name", Rule.TEXT, null));
        }

        PlatformEventMapping.Measure measure = null;
        JsonNode measureNode = group(event, "measure", MEASURE_KEYS);
        if (measureNode != null) {
            measure = new PlatformEventMapping.Measure(
                    required(measureNode, "instrument", "measure.instrument", Rule.CODE, MeasureCodes.INSTRUMENTS),
                    required(measureNode, "score", "measure.score", Rule.NUMBER, null),
                    value(measureNode.get("timing"), "measure.timing", Rule.CODE, MeasureCodes.TIMINGS),
                    items(measureNode.get("items")));
        }

        Value note = value(event.get("note"), "note", Rule.TEXT, null);

        if (kind != null) {
            boolean onwardKind = kind.valueMap().containsValue(EventKind.ONWARD_REFERRAL.name());
            boolean measureKind = kind.valueMap().containsValue(EventKind.OUTCOME_RECORDED.name());
            if (onwardKind && onwardNode == null) {
                problems.add("event.kind: the value-map gives ONWARD_REFERRAL, so 'event.onward-referral' is required"
                        + " (directory-source, service-id)");
            }
            if (!onwardKind && onwardNode != null) {
                problems.add("event.onward-referral: is read only for ONWARD_REFERRAL events, and the kind value-map"
                        + " gives none");
            }
            if (measureKind && measureNode == null) {
                problems.add("event.kind: the value-map gives OUTCOME_RECORDED, so 'event.measure' is required"
                        + " (instrument, score)");
            }
            if (!measureKind && measureNode != null) {
                problems.add("event.measure: is read only for OUTCOME_RECORDED events, and the kind value-map gives none");
            }
        }
        return new PlatformEventMapping(platform, mappingVersion, description, id, kind, referralId, occurredAt,
                reason, linkWorker, appointmentAt, onward, measure, note, null);
    }

    private PlatformEventMapping.Items items(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            problems.add("event.measure.items: must be a mapping with source, link-id, value and optionally text");
            return null;
        }
        checkKeys(node, "event.measure.items: ", ITEMS_KEYS);
        JsonPointer source = null;
        String sourceText = text(node, "source", "event.measure.items: ");
        if (sourceText == null) {
            problems.add("event.measure.items: 'source' (where the array of answers is) is missing");
        } else {
            source = pointer(sourceText, "event.measure.items: 'source'", false);
        }
        // inside items, pointers are relative to one element of the array
        Value linkId = required(node, "link-id", "measure.items.link-id", Rule.TEXT, null);
        Value text = value(node.get("text"), "measure.items.text", Rule.TEXT, null);
        Value value = required(node, "value", "measure.items.value", Rule.NUMBER, null);
        return source == null ? null : new PlatformEventMapping.Items(source, linkId, text, value);
    }

    private EventPollSpec polling(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (!node.isObject()) {
            problems.add("'polling' must be a mapping with the keys " + String.join(", ", POLLING_KEYS));
            return null;
        }
        checkKeys(node, "polling: ", POLLING_KEYS);
        int before = problems.size();
        String path = text(node, "path", "polling: ");
        if (path == null) {
            problems.add("polling: 'path' is missing (appended to the platform's base URL, e.g. /api/events)");
        } else if (!path.startsWith("/") || path.contains("#")) {
            problems.add("polling: 'path' '" + path + "' must start with '/' and hold no fragment");
        }
        String cursorParameter = text(node, "cursor-parameter", "polling: ");
        if (cursorParameter == null || cursorParameter.isBlank()) {
            problems.add("polling: 'cursor-parameter' (the query parameter carrying the cursor) is missing");
        }
        JsonPointer events = null;
        String eventsText = text(node, "events", "polling: ");
        if (eventsText == null) {
            problems.add("polling: 'events' (where the array of events is in the answer) is missing");
        } else {
            events = pointer(eventsText, "polling: 'events'", true);
        }
        JsonPointer nextCursor = null;
        String nextText = text(node, "next-cursor", "polling: ");
        if (nextText == null) {
            problems.add("polling: 'next-cursor' (where the next cursor is in the answer) is missing");
        } else {
            nextCursor = pointer(nextText, "polling: 'next-cursor'", false);
        }
        if (problems.size() > before || events == null || nextCursor == null) {
            return null;
        }
        return new EventPollSpec(path, cursorParameter, events, nextCursor);
    }

    /** A group of values ({@code reason}, ...), or null when the file has none. */
    private JsonNode group(JsonNode event, String name, List<String> keys) {
        JsonNode node = event.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problems.add("event." + name + ": must be a mapping with the keys " + String.join(", ", keys));
            return null;
        }
        checkKeys(node, "event." + name + ": ", keys);
        return node;
    }

    private Value required(JsonNode parent, String name, String key, Rule rule, List<String> targets) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            problems.add("event." + key + ": is missing" + (rule == Rule.CODE
                    ? " (write {source: <JSON Pointer>, value-map: {...}})" : " (a JSON Pointer into the event)"));
            return null;
        }
        return value(node, key, rule, targets);
    }

    /**
     * One value: a JSON Pointer (shorthand for {@code {source: <pointer>}}) or a mapping with {@code source} or
     * {@code constant} and an optional {@code value-map}. Null when absent or invalid (the problem is recorded).
     */
    private Value value(JsonNode node, String key, Rule rule, List<String> targets) {
        if (node == null || node.isNull()) {
            return null;
        }
        String at = "event." + key + ": ";
        if (node.isTextual()) {
            if (rule == Rule.CODE) {
                problems.add(at + "needs a value-map: write {source: " + node.asText() + ", value-map: {...}}"
                        + " translating to " + targets);
                return null;
            }
            JsonPointer source = pointer(node.asText(), at + "source", false);
            return source == null ? null : new Value(key, source, null, Map.of());
        }
        if (!node.isObject()) {
            problems.add(at + "must be a JSON Pointer or a mapping with 'source' or 'constant'");
            return null;
        }
        int before = problems.size();
        checkKeys(node, at, VALUE_KEYS);
        JsonPointer source = null;
        String constant = null;
        if (node.has("source") == node.has("constant")) {
            problems.add(at + "needs exactly one of 'source' and 'constant'");
        } else if (node.has("source")) {
            String sourceText = text(node, "source", at);
            if (sourceText != null) {
                source = pointer(sourceText, at + "source", false);
            } else if (node.get("source").isNull()) {
                problems.add(at + "'source' is null");
            }
        } else {
            JsonNode constantNode = node.get("constant");
            if (!CONSTANT_ALLOWED.contains(key)) {
                problems.add(at + "cannot be a constant (only " + String.join(", ", CONSTANT_ALLOWED.stream().sorted().toList())
                        + " can)");
            } else if (!constantNode.isValueNode() || constantNode.isNull() || constantNode.asText().isBlank()) {
                problems.add(at + "'constant' must be non-blank text");
            } else {
                constant = constantNode.asText();
            }
        }
        Map<String, String> valueMap = valueMap(node.get("value-map"), at);
        if (rule == Rule.CODE && !node.has("value-map")) {
            problems.add(at + "needs a 'value-map' translating to " + targets);
        }
        if ((rule == Rule.INSTANT || rule == Rule.NUMBER) && node.has("value-map")) {
            problems.add(at + "cannot have a 'value-map' (it is " + (rule == Rule.INSTANT ? "a date-time" : "a number") + ")");
        }
        if (targets != null) {
            for (Map.Entry<String, String> entry : valueMap.entrySet()) {
                if (!targets.contains(entry.getValue())) {
                    problems.add(at + "value-map entry '" + entry.getKey() + "' gives '" + entry.getValue()
                            + "', which is not one of " + targets);
                }
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new Value(key, source, constant, valueMap);
    }

    private Map<String, String> valueMap(JsonNode node, String at) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject() || node.isEmpty()) {
            problems.add(at + "'value-map' must be a non-empty mapping from the platform's values to ours");
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (!value.isValueNode() || value.isNull() || value.asText().isBlank()) {
                problems.add(at + "value-map entry '" + entry.getKey() + "' must give non-blank text");
            } else {
                map.put(entry.getKey(), value.asText());
            }
        }
        return map;
    }

    /** A JSON Pointer, or null after recording why the text is not one. */
    private JsonPointer pointer(String text, String what, boolean emptyAllowed) {
        if (text.isEmpty()) {
            if (!emptyAllowed) {
                problems.add(what + " is empty: the whole document is not a value (write a JSON Pointer such as /type)");
                return null;
            }
            return JsonPointer.empty();
        }
        if (!text.startsWith("/")) {
            problems.add(what + " '" + text + "' is not a JSON Pointer (it must start with '/')");
            return null;
        }
        if (text.endsWith("/") || text.contains("//")) {
            problems.add(what + " '" + text + "' has an empty segment");
            return null;
        }
        if (text.matches(".*~[^01].*|.*~$")) {
            problems.add(what + " '" + text + "' has a '~' not followed by 0 or 1 (write ~0 for '~', ~1 for '/')");
            return null;
        }
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            problems.add(what + " '" + text + "' is not a JSON Pointer: " + e.getMessage());
            return null;
        }
    }
}
