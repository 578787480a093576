package io.github.spfhir.adapter.domain.platformevent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.github.spfhir.adapter.domain.lifecycle.EventKind;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.platformevent.PlatformEventMapping.Value;
import io.github.spfhir.adapter.domain.referral.Referral.CodedValue;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Turns a link-worker platform's own event JSON into the canonical {@link ReferralEvent}, by that platform's
 * events mapping ({@code mappings/platforms/<platform>.events.yaml}). Plain Java: the rules are data, this class
 * only interprets them.
 *
 * <p>Every fault in an event is reported at once, one {@link Problem} each, with the JSON Pointer of the member in
 * the platform's JSON as its expression. A member that is absent, null or blank text has no value. Diagnostics
 * quote a value only where it is the platform's vocabulary (an event type, an instrument, a timing or a directory
 * name), never anything that could be patient data.
 */
@Component
public class PlatformEventMapper {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The keys whose values are the platform's vocabulary, so may be quoted back in a refusal. */
    private static final List<String> VOCABULARY =
            List.of("kind", "measure.instrument", "measure.timing", "onward-referral.directory-source");
    private static final Pattern QUOTABLE = Pattern.compile("[A-Za-z0-9 _.:/+-]{1,64}");

    private final PlatformEventMappings mappings;

    public PlatformEventMapper(PlatformEventMappings mappings) {
        this.mappings = mappings;
    }

    /**
     * Maps one event a platform sent.
     *
     * @param platformId the platform (its events mapping's name), e.g. from {@code /platforms/{platformId}/events}
     * @param json       the event as the platform sent it
     * @throws UnknownEventPlatformException   if the platform has no events mapping (404)
     * @throws PlatformEventRejectedException if the event is not JSON (400) or cannot be mapped (422)
     */
    public ReferralEvent map(String platformId, String json) {
        return map(platformId, mappings.get(platformId), json);
    }

    /**
     * Maps one event by a mapping already looked up, for a platform whose destination id is not its mapping's
     * name (a destination's {@code mapping} setting names another file).
     *
     * @param platformId the destination id of the platform, which the event and any refusal carry
     */
    public ReferralEvent map(String platformId, PlatformEventMapping mapping, String json) {
        return new Reading(platformId, mapping, parse(platformId, json)).event();
    }

    private static JsonNode parse(String platformId, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            // the parser's own message may quote the body: say where and what kind of fault, never what
            // a limit of the parser (nesting depth, number or string length) has no location
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            String what;
            if (e instanceof StreamConstraintsException) {
                what = "The event is beyond what this adapter reads (nested too deeply, or a number or text too long)";
            } else if (e instanceof JsonEOFException) {
                what = "The event is not well-formed JSON: it ends too early";
            } else if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                what = "The event is not well-formed JSON: a member name appears twice in one object";
            } else {
                what = "The event is not well-formed JSON";
            }
            throw rejected(platformId, RejectionReason.UNPARSEABLE, List.of(Problem.error(IssueType.STRUCTURE, what + where)));
        }
        if (root == null || root.isMissingNode()) {
            throw rejected(platformId, RejectionReason.UNPARSEABLE,
                    List.of(Problem.error(IssueType.STRUCTURE, "The event is empty: a JSON object is expected")));
        }
        if (!root.isObject()) {
            throw rejected(platformId, RejectionReason.INVALID_CONTENT,
                    List.of(Problem.error(IssueType.STRUCTURE, "The event must be a JSON object")));
        }
        return root;
    }

    private static PlatformEventRejectedException rejected(String platformId, RejectionReason reason,
            List<Problem> problems) {
        return new PlatformEventRejectedException(platformId, reason, problems);
    }

    /** One event being read: the problems found so far. */
    private static final class Reading {

        private final String platformId;
        private final PlatformEventMapping mapping;
        private final JsonNode root;
        private final List<Problem> problems = new ArrayList<>();

        Reading(String platformId, PlatformEventMapping mapping, JsonNode root) {
            this.platformId = platformId;
            this.mapping = mapping;
            this.root = root;
        }

        ReferralEvent event() {
            String eventId = text(mapping.eventId(), root, "", true);
            if (eventId != null && eventId.length() > ReferralEvent.MAX_EVENT_ID_LENGTH) {
                problems.add(Problem.error(IssueType.VALUE, "The event's " + mapping.eventId().key() + " ("
                        + mapping.eventId().source() + ") is longer than " + ReferralEvent.MAX_EVENT_ID_LENGTH
                        + " characters", mapping.eventId().source() == null ? null
                        : mapping.eventId().source().toString()));
                eventId = null;
            }
            String kindName = text(mapping.kind(), root, "", true);
            EventKind kind = kindName == null ? null : EventKind.valueOf(kindName); // the reader checked the map
            String referralId = text(mapping.referralId(), root, "", true);
            Instant occurredAt = instant(mapping.occurredAt(), true);
            CodedValue reason = reason();
            ReferralEvent.LinkWorker linkWorker = linkWorker();
            Instant appointmentAt = instant(mapping.appointmentAt(), false);
            ReferralEvent.OnwardReferral onward = kind == EventKind.ONWARD_REFERRAL ? onwardReferral() : null;
            ReferralEvent.OutcomeMeasure measure = kind == EventKind.OUTCOME_RECORDED ? measure() : null;
            String note = text(mapping.note(), root, "", false);
            if (!problems.isEmpty()) {
                throw rejected(platformId, RejectionReason.INVALID_CONTENT, problems);
            }
            return new ReferralEvent(platformId, eventId, kind, referralId, occurredAt, reason, linkWorker,
                    appointmentAt, onward, measure, note);
        }

        private CodedValue reason() {
            PlatformEventMapping.Reason spec = mapping.reason();
            if (spec == null) {
                return null;
            }
            String code = text(spec.code(), root, "", false);
            String display = text(spec.display(), root, "", false);
            String text = text(spec.text(), root, "", false);
            if (code == null && display == null && text == null) {
                return null; // a constant system alone is no reason
            }
            String system = code == null ? null : text(spec.system(), root, "", false);
            return new CodedValue(system, code, display, text);
        }

        private ReferralEvent.LinkWorker linkWorker() {
            PlatformEventMapping.LinkWorker spec = mapping.linkWorker();
            if (spec == null) {
                return null;
            }
            String name = text(spec.name(), root, "", false);
            String value = text(spec.identifierValue(), root, "", false);
            if (name == null && value == null) {
                return null;
            }
            String system = value == null ? null : text(spec.identifierSystem(), root, "", false);
            return new ReferralEvent.LinkWorker(name, system, value);
        }

        private ReferralEvent.OnwardReferral onwardReferral() {
            PlatformEventMapping.OnwardReferral spec = mapping.onwardReferral();
            String directory = text(spec.directorySource(), root, "", true);
            String serviceId = text(spec.serviceId(), root, "", true);
            String name = text(spec.serviceName(), root, "", false);
            return new ReferralEvent.OnwardReferral(directory, serviceId, name);
        }

        private ReferralEvent.OutcomeMeasure measure() {
            PlatformEventMapping.Measure spec = mapping.measure();
            String instrument = text(spec.instrument(), root, "", true);
            BigDecimal score = number(spec.score(), root, "", true);
            String timing = text(spec.timing(), root, "", false);
            List<ReferralEvent.ItemAnswer> items = items(spec.items());
            return new ReferralEvent.OutcomeMeasure(instrument, score, timing, items);
        }

        private List<ReferralEvent.ItemAnswer> items(PlatformEventMapping.Items spec) {
            if (spec == null) {
                return List.of();
            }
            JsonNode array = root.at(spec.source());
            if (array.isMissingNode() || array.isNull()) {
                return List.of();
            }
            String arrayPointer = spec.source().toString();
            if (!array.isArray()) {
                problems.add(Problem.error(IssueType.VALUE, "measure.items at " + arrayPointer
                        + " must be an array of answers", arrayPointer));
                return List.of();
            }
            List<ReferralEvent.ItemAnswer> items = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) {
                String prefix = arrayPointer + "/" + i;
                JsonNode element = array.get(i);
                if (!element.isObject()) {
                    problems.add(Problem.error(IssueType.VALUE, "measure.items: the answer at " + prefix
                            + " must be a JSON object", prefix));
                    continue;
                }
                String linkId = text(spec.linkId(), element, prefix, true);
                String text = text(spec.text(), element, prefix, false);
                BigDecimal value = number(spec.value(), element, prefix, true);
                if (linkId != null && value != null) {
                    items.add(new ReferralEvent.ItemAnswer(linkId, text, value));
                }
            }
            return items;
        }

        /**
         * A text value: constant, or the member at the source (text or a number), translated by the value-map.
         * Null when it has none; a problem is recorded when it is required, not text, or not in the value-map.
         */
        private String text(Value value, JsonNode context, String prefix, boolean required) {
            if (value == null) {
                return null;
            }
            String raw;
            String pointer = null;
            if (value.constant() != null) {
                raw = value.constant();
            } else {
                pointer = prefix + value.source();
                JsonNode node = context.at(value.source());
                if (node.isMissingNode() || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
                    if (required) {
                        problems.add(Problem.error(IssueType.REQUIRED, value.key() + " is required: the event has no value at "
                                + pointer, pointer));
                    }
                    return null;
                }
                if (!node.isTextual() && !node.isNumber()) {
                    problems.add(Problem.error(IssueType.VALUE, value.key() + " at " + pointer + " must be text, not "
                            + describe(node), pointer));
                    return null;
                }
                raw = node.asText().trim();
            }
            if (value.valueMap().isEmpty()) {
                return raw;
            }
            String mapped = value.valueMap().get(raw);
            if (mapped == null) {
                String what = VOCABULARY.contains(value.key()) && QUOTABLE.matcher(raw).matches()
                        ? "'" + raw + "'" : "the value";
                problems.add(Problem.error(IssueType.CODEINVALID, value.key() + ": " + what
                        + (pointer == null ? "" : " at " + pointer) + " is not in its value-map ("
                        + mapping.platform() + PlatformEventMappingReader.EXTENSION + ", mapping-version "
                        + mapping.mappingVersion() + "; known: " + String.join(", ", value.valueMap().keySet()) + ")",
                        pointer));
            }
            return mapped;
        }

        private BigDecimal number(Value value, JsonNode context, String prefix, boolean required) {
            if (value == null) {
                return null;
            }
            String pointer = prefix + value.source();
            JsonNode node = context.at(value.source());
            if (node.isMissingNode() || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
                if (required) {
                    problems.add(Problem.error(IssueType.REQUIRED, value.key() + " is required: the event has no value at "
                            + pointer, pointer));
                }
                return null;
            }
            if (node.isNumber()) {
                return node.decimalValue();
            }
            if (node.isTextual()) {
                try {
                    return new BigDecimal(node.asText().trim());
                } catch (NumberFormatException e) {
                    // fall through: not a number
                }
            }
            problems.add(Problem.error(IssueType.VALUE, value.key() + " at " + pointer + " is not a number", pointer));
            return null;
        }

        private Instant instant(Value value, boolean required) {
            if (value == null) {
                return null;
            }
            String pointer = value.source().toString();
            JsonNode node = root.at(value.source());
            if (node.isMissingNode() || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
                if (required) {
                    problems.add(Problem.error(IssueType.REQUIRED, value.key() + " is required: the event has no value at "
                            + pointer, pointer));
                }
                return null;
            }
            if (!node.isTextual()) {
                problems.add(Problem.error(IssueType.VALUE, value.key() + " at " + pointer
                        + " must be an ISO-8601 date-time with a UTC offset, as text, not " + describe(node), pointer));
                return null;
            }
            EventTimes.Parsed parsed = EventTimes.parse(node.asText());
            if (parsed.instant() == null) {
                problems.add(Problem.error(IssueType.VALUE, value.key() + " at " + pointer + " " + parsed.fault(), pointer));
            }
            return parsed.instant();
        }

        private static String describe(JsonNode node) {
            if (node.isObject()) {
                return "an object";
            }
            if (node.isArray()) {
                return "an array";
            }
            if (node.isBoolean()) {
                return "true or false";
            }
            return node.isNumber() ? "a number" : "this type";
        }
    }
}
