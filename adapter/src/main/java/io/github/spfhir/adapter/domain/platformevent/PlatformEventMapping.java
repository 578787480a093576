package io.github.spfhir.adapter.domain.platformevent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonPointer;

import io.github.spfhir.adapter.client.linkworker.EventPollSpec;

/**
 * One validated inbound events mapping of {@code mappings/platforms/<platform>.events.yaml}: where each part of
 * the canonical {@link io.github.spfhir.adapter.domain.lifecycle.ReferralEvent} is in the platform's own event
 * JSON. The file format is described in {@code mappings/README.md} ("Event mappings").
 *
 * <p>Groups that a platform does not send are null ({@code reason}, {@code linkWorker}, {@code appointmentAt},
 * {@code onwardReferral}, {@code measure}, {@code note}, and {@code polling} for a platform with webhooks), and so
 * are the parts of a group it does not send.
 *
 * @param platform       the platform's name, equal to the file name without {@code .events.yaml}
 * @param mappingVersion raised on every change to the mapping; it appears in refusals
 * @param description    free text for people, or null
 * @param polling        how to poll the platform for events, or null when it calls our webhook
 */
public record PlatformEventMapping(
        String platform,
        int mappingVersion,
        String description,
        Value eventId,
        Value kind,
        Value referralId,
        Value occurredAt,
        Reason reason,
        LinkWorker linkWorker,
        Value appointmentAt,
        OnwardReferral onwardReferral,
        Measure measure,
        Value note,
        EventPollSpec polling) {

    /**
     * Where one value comes from: a JSON Pointer into the event, or a constant; then, optionally, translated by a
     * value-map (a value the map does not list is refused).
     *
     * @param key      the mapping's key for it, e.g. {@code measure.instrument}, for messages
     * @param source   where it is in the event (relative to the item inside {@code measure.items}), or null
     * @param constant a fixed value, or null
     * @param valueMap translation from the platform's text to ours (empty: none)
     */
    public record Value(String key, JsonPointer source, String constant, Map<String, String> valueMap) {

        public Value {
            valueMap = Collections.unmodifiableMap(new LinkedHashMap<>(valueMap));
        }
    }

    /** Why (ReferralEvent.reason): a code with its system and display, and free text. */
    public record Reason(Value system, Value code, Value display, Value text) {
    }

    /** Who (ReferralEvent.linkWorker). */
    public record LinkWorker(Value name, Value identifierSystem, Value identifierValue) {
    }

    /** The community service referred to (ONWARD_REFERRAL events only). */
    public record OnwardReferral(Value directorySource, Value serviceId, Value serviceName) {
    }

    /** The outcome measure (OUTCOME_RECORDED events only). */
    public record Measure(Value instrument, Value score, Value timing, Items items) {
    }

    /**
     * The item answers: an array in the event, and where each part is inside one element.
     *
     * @param source where the array is in the event
     */
    public record Items(JsonPointer source, Value linkId, Value text, Value value) {
    }
}
