package io.github.spfhir.adapter.domain.platformevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.domain.lifecycle.EventKind;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.support.Fixtures;

class PlatformEventMapperTest {

    private static final PlatformEventMapping MAPPING = PlatformEventMappingReader.read("p.events.yaml",
            new ByteArrayInputStream("""
                    platform: p
                    mapping-version: 3
                    event:
                      id: /id
                      kind: {source: /type, value-map: {declined: DECLINED, done: COMPLETED}}
                      referral-id: /referral
                      occurred-at: /at
                      reason:
                        system: {constant: https://p.example/reasons}
                        code: /why/code
                        text: /why/text
                      link-worker:
                        name: /by/name
                        identifier-system: {constant: https://p.example/staff}
                        identifier-value: /by/id
                    """.getBytes(StandardCharsets.UTF_8)));
    private static final PlatformEventMapper MAPPER = new PlatformEventMapper(PlatformEventMappings.of(List.of(MAPPING)));

    @Test
    void constantsAloneMakeNoReasonAndNoLinkWorker() {
        ReferralEvent event = MAPPER.map("p", """
                {"id": 42, "type": "done", "referral": "sr-1", "at": "2026-11-20T09:15:00.250+02:00", "why": {"text": " "}}
                """);

        assertThat(event).isEqualTo(new ReferralEvent("p", "42", EventKind.COMPLETED, "sr-1",
                java.time.Instant.parse("2026-11-20T07:15:00.250Z"), null, null, null, null, null, null));
    }

    @Test
    void aConstantSystemGoesWithACodeAndAnIdentifierSystemWithAnIdentifier() {
        ReferralEvent event = MAPPER.map("p", """
                {"id": "e1", "type": "declined", "referral": "sr-1", "at": "2026-11-20T09:15:00Z",
                 "why": {"code": "R2", "text": "Too far to travel"}, "by": {"id": "S-9"}}
                """);

        assertThat(event.reason()).isEqualTo(new io.github.spfhir.adapter.domain.referral.Referral.CodedValue(
                "https://p.example/reasons", "R2", null, "Too far to travel"));
        assertThat(event.linkWorker()).isEqualTo(new ReferralEvent.LinkWorker(null, "https://p.example/staff", "S-9"));
    }

    @Test
    void aDestinationWhoseMappingHasAnotherNameGivesItsOwnIdToTheEventAndToRefusals() {
        ReferralEvent event = MAPPER.map("p-north", MAPPING,
                "{\"id\": \"e1\", \"type\": \"done\", \"referral\": \"sr-1\", \"at\": \"2026-11-20T09:15:00Z\"}");
        PlatformEventRejectedException refused = catchThrowableOfType(PlatformEventRejectedException.class,
                () -> MAPPER.map("p-north", MAPPING, "{}"));

        assertThat(event.platformId()).isEqualTo("p-north");
        assertThat(refused.platformId()).isEqualTo("p-north");
        assertThat(refused.problems()).extracting(Problem::expression).containsExactly("/id", "/type", "/referral", "/at");
    }

    @Test
    void aPlatformWithoutAnEventsMappingIsNotFound() {
        UnknownEventPlatformException e = catchThrowableOfType(UnknownEventPlatformException.class,
                () -> MAPPER.map("elemental", "{}"));

        assertThat(e.reason()).isEqualTo(RejectionReason.UNKNOWN_DESTINATION);
        assertThat(e.platformId()).isEqualTo("elemental");
        assertThat(e.problems()).containsExactly(Problem.error(IssueType.NOTFOUND,
                "No platform 'elemental' sends events here: there is no mappings/platforms/elemental.events.yaml"));
        assertThat(catchThrowableOfType(UnknownEventPlatformException.class, () -> MAPPER.map("Mrs Smith", "{}"))
                .problems().get(0).diagnostics()).doesNotContain("Smith");
    }

    @Test
    void aMemberTwiceAndAnEmptyBodyAreUnparseable() {
        PlatformEventRejectedException twice = catchThrowableOfType(PlatformEventRejectedException.class,
                () -> MAPPER.map("p", "{\"id\": \"e1\",\n \"id\": \"e2\"}"));
        PlatformEventRejectedException empty = catchThrowableOfType(PlatformEventRejectedException.class,
                () -> MAPPER.map("p", "  "));
        PlatformEventRejectedException trailing = catchThrowableOfType(PlatformEventRejectedException.class,
                () -> MAPPER.map("p", "{} {}"));

        assertThat(twice.reason()).isEqualTo(RejectionReason.UNPARSEABLE);
        assertThat(twice.problems()).extracting(Problem::diagnostics).containsExactly(
                "The event is not well-formed JSON: a member name appears twice in one object (line 2, column 6)");
        assertThat(empty.problems()).extracting(Problem::diagnostics).containsExactly(
                "The event is empty: a JSON object is expected");
        assertThat(trailing.reason()).isEqualTo(RejectionReason.UNPARSEABLE);
    }

    /** Every refusal of the example platform's invalid events: no name, no note, no free text in any diagnostic. */
    @Test
    void refusalsNeverQuotePatientData() throws IOException {
        PlatformEventMapper mapper = new PlatformEventMapper(new PlatformEventMappings());
        Path invalid = Fixtures.path("events-from-link-worker/example-linkworker/invalid");
        List<Path> events;
        try (Stream<Path> files = Files.list(invalid)) {
            events = files.filter(f -> !f.toString().endsWith(".expected.json")).toList();
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(6);
        for (Path file : events) {
            PlatformEventRejectedException e = catchThrowableOfType(PlatformEventRejectedException.class,
                    () -> mapper.map("example-linkworker", Files.readString(file)));
            assertThat(e).as(file.toString()).isNotNull();
            assertThat(e.problems()).extracting(Problem::diagnostics).allSatisfy(diagnostics -> assertThat(diagnostics)
                    .doesNotContain("Jo", "call me", "local group", "no question id", "three", "twenty")
                    .doesNotContain("f5734bcf"));
            assertThat(e.getMessage()).doesNotContain("Jo said");
        }
    }
}
