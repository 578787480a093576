package io.github.spfhir.adapter.domain.platformevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonPointer;

import io.github.spfhir.adapter.domain.platform.InvalidPlatformMappingException;

class PlatformEventMappingReaderTest {

    private static final String MINIMAL = """
            platform: my-platform
            mapping-version: 2
            event:
              id: /id
              kind: {source: /type, value-map: {accepted: ACCEPTED, declined: DECLINED}}
              referral-id: /referral
              occurred-at: /at
            """;

    @Test
    void readsAMinimalMapping() {
        PlatformEventMapping mapping = read("my-platform.events.yaml", MINIMAL);

        assertThat(mapping.platform()).isEqualTo("my-platform");
        assertThat(mapping.mappingVersion()).isEqualTo(2);
        assertThat(mapping.eventId().source()).isEqualTo(JsonPointer.compile("/id"));
        assertThat(mapping.kind().valueMap()).containsExactly(
                java.util.Map.entry("accepted", "ACCEPTED"), java.util.Map.entry("declined", "DECLINED"));
        assertThat(mapping.reason()).isNull();
        assertThat(mapping.measure()).isNull();
        assertThat(mapping.polling()).isNull();
    }

    @Test
    void readsThePollingSection() {
        PlatformEventMapping mapping = read("my-platform.events.yaml", MINIMAL + """
                polling:
                  path: /v2/events?limit=50
                  cursor-parameter: after
                  events: ""
                  next-cursor: /paging/next
                """);

        assertThat(mapping.polling().path()).isEqualTo("/v2/events?limit=50");
        assertThat(mapping.polling().cursorParameter()).isEqualTo("after");
        assertThat(mapping.polling().events()).isEqualTo(JsonPointer.empty());
        assertThat(mapping.polling().nextCursor()).isEqualTo(JsonPointer.compile("/paging/next"));
    }

    @Test
    void reportsEveryProblemOfTheFileAtOnce() {
        InvalidPlatformMappingException e = refused("my-platform.events.yaml", """
                platform: my-platform
                mapping-version: 1
                colour: blue
                event:
                  id: eventId
                  kind: /type
                  referral-id: {source: /referral/id, constant: abc}
                  reason: {system: {constant: https://example.org/reasons}}
                  link-worker: {name: {constant: Somebody}}
                  measure:
                    instrument: {source: /tool, value-map: {PHQ9: phq-9}}
                    score: {source: /total, value-map: {a: b}}
                    timing: {source: /stage, value-map: {START: start}}
                polling:
                  path: api/events
                  events: /events
                """);

        assertThat(e.fileName()).isEqualTo("my-platform.events.yaml");
        assertThat(e.problems()).containsExactly(
                "unknown key 'colour' (allowed: platform, mapping-version, description, event, polling)",
                "event.id: source 'eventId' is not a JSON Pointer (it must start with '/')",
                "event.kind: needs a value-map: write {source: /type, value-map: {...}} translating to [ACCEPTED, DECLINED,"
                        + " CONTACT_ATTEMPTED, CONTACT_MADE, APPOINTMENT_BOOKED, APPOINTMENT_ATTENDED, DID_NOT_ATTEND,"
                        + " ONWARD_REFERRAL, OUTCOME_RECORDED, ON_HOLD, RESUMED, FAILED, DISCHARGED, COMPLETED, CANCELLED]",
                "event.referral-id: needs exactly one of 'source' and 'constant'",
                "event.occurred-at: is missing (a JSON Pointer into the event)",
                "event.reason: needs at least one of code, display and text",
                "event.reason: 'system' without 'code' says nothing; add 'code' or remove 'system'",
                "event.link-worker.name: cannot be a constant (only link-worker.identifier-system,"
                        + " onward-referral.directory-source, reason.system can)",
                "event.measure.instrument: value-map entry 'PHQ9' gives 'phq-9', which is not one of [wemwbs, swemwbs,"
                        + " ons4-life-satisfaction, ons4-worthwhile, ons4-happy, ons4-anxious, ucla-3, eq-5d-5l-index,"
                        + " eq-5d-vas]",
                "event.measure.score: cannot have a 'value-map' (it is a number)",
                "event.measure.timing: value-map entry 'START' gives 'start', which is not one of [baseline, follow-up]",
                "polling: 'path' 'api/events' must start with '/' and hold no fragment",
                "polling: 'cursor-parameter' (the query parameter carrying the cursor) is missing",
                "polling: 'next-cursor' (where the next cursor is in the answer) is missing");
        assertThat(e).hasMessageStartingWith("Invalid platform mapping file my-platform.events.yaml: unknown key 'colour'");
    }

    @Test
    void aKindThatNeedsAGroupNeedsTheGroupAndAGroupNeedsItsKind() {
        InvalidPlatformMappingException e = refused("p.events.yaml", """
                platform: p
                mapping-version: 1
                event:
                  id: /id
                  kind: {source: /type, value-map: {SIGNPOSTED: ONWARD_REFERRAL, SCORE: OUTCOME_RECORDED}}
                  referral-id: /referral
                  occurred-at: /at
                """);
        InvalidPlatformMappingException other = refused("p.events.yaml", """
                platform: p
                mapping-version: 1
                event:
                  id: /id
                  kind: {source: /type, value-map: {OK: ACCEPTED}}
                  referral-id: /referral
                  occurred-at: /at
                  onward-referral: {directory-source: {constant: example-oruk}}
                """);

        assertThat(e.problems()).containsExactly(
                "event.kind: the value-map gives ONWARD_REFERRAL, so 'event.onward-referral' is required"
                        + " (directory-source, service-id)",
                "event.kind: the value-map gives OUTCOME_RECORDED, so 'event.measure' is required (instrument, score)");
        assertThat(other.problems()).containsExactly(
                "event.onward-referral.service-id: is missing (a JSON Pointer into the event)",
                "event.onward-referral: is read only for ONWARD_REFERRAL events, and the kind value-map gives none");
    }

    @Test
    void thePlatformIsNamedAfterItsFile() {
        assertThat(refused("other.events.yaml", MINIMAL).problems()).containsExactly(
                "'platform' is 'my-platform' but the file is other.events.yaml: the platform must be named after its file"
                        + " ('other')");
        assertThat(refused("my-platform.yaml", MINIMAL).problems()).containsExactly(
                "the file name must end in .events.yaml");
    }

    @Test
    void unreadableYamlNamesTheLine() {
        InvalidPlatformMappingException e = refused("p.events.yaml", "platform: p\nevent: [unclosed\n");

        assertThat(e.getMessage()).startsWith("Invalid platform mapping file p.events.yaml: not readable as YAML (line ");
    }

    @Test
    void theShippedExampleMappingIsValidAndPolled() throws Exception {
        try (var in = getClass().getClassLoader().getResourceAsStream("mappings/platforms/example-linkworker.events.yaml")) {
            PlatformEventMapping mapping = PlatformEventMappingReader.read("example-linkworker.events.yaml", in);

            assertThat(mapping.kind().valueMap()).hasSize(15);
            assertThat(mapping.linkWorker().identifierSystem().constant()).isEqualTo("https://platform.example/Id/link-worker");
            assertThat(mapping.measure().items().source()).isEqualTo(JsonPointer.compile("/measure/answers"));
            assertThat(mapping.polling().path()).isEqualTo("/api/events");
        }
    }

    private static PlatformEventMapping read(String fileName, String yaml) {
        return PlatformEventMappingReader.read(fileName, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static InvalidPlatformMappingException refused(String fileName, String yaml) {
        InvalidPlatformMappingException e = catchThrowableOfType(InvalidPlatformMappingException.class,
                () -> read(fileName, yaml));
        assertThat(e).as("refused").isNotNull();
        return e;
    }
}
