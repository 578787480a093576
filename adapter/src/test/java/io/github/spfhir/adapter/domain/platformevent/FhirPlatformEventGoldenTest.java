package io.github.spfhir.adapter.domain.platformevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.GoldenFiles;
import io.github.spfhir.adapter.support.ReferralEventJson;

/**
 * Golden files of the FHIR platforms' events, in {@code test-fixtures/events-from-link-worker/fhir/}:
 * {@code task-update/<scenario>.current.json} (our stored Task) and {@code <scenario>.update.json|xml} (the Task the
 * platform PUT) give the events in {@code <scenario>.expected.json}; {@code bars-response/<scenario>.bundle.json}
 * gives the event there. Scenarios in {@code invalid/} give the refusal. Write expected files with
 * {@code -Dgolden.update=true}, then read them.
 */
class FhirPlatformEventGoldenTest {

    private static final String TASKS = "events-from-link-worker/fhir/task-update/";
    private static final String RESPONSES = "events-from-link-worker/fhir/bars-response/";
    private static final String PLATFORM = "example-fhir-platform";
    /** The X-Request-ID of the PUT. */
    private static final String REQUEST_ID = "6f1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b";
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final FhirTaskUpdateReader taskReader = new FhirTaskUpdateReader();
    private final BarsResponseReader responseReader = new BarsResponseReader();

    static Stream<String> taskUpdates() {
        return scenarios(TASKS, ".current.json");
    }

    static Stream<String> invalidTaskUpdates() {
        return scenarios(TASKS + "invalid/", ".current.json").map(s -> "invalid/" + s);
    }

    static Stream<String> responses() {
        return scenarios(RESPONSES, ".bundle.json");
    }

    static Stream<String> invalidResponses() {
        return scenarios(RESPONSES + "invalid/", ".bundle.json").map(s -> "invalid/" + s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("taskUpdates")
    void taskUpdateGivesTheGoldenEvents(String scenario) {
        List<ReferralEvent> events = taskReader.read(PLATFORM, REQUEST_ID, update(scenario), current(scenario));

        GoldenFiles.assertMatches(Fixtures.path(TASKS + scenario + ".expected.json"), ReferralEventJson.write(events));
        assertThat(taskReader.read(PLATFORM, REQUEST_ID, update(scenario), current(scenario)))
                .as("the same PUT again gives the same events, ids included").isEqualTo(events);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTaskUpdates")
    void invalidTaskUpdateIsRefusedWithTheGoldenProblems(String scenario) {
        PlatformEventRejectedException rejected = catchThrowableOfType(PlatformEventRejectedException.class,
                () -> taskReader.read(PLATFORM, REQUEST_ID, update(scenario), current(scenario)));

        assertThat(rejected).as("refused").isNotNull();
        GoldenFiles.assertMatches(Fixtures.path(TASKS + scenario + ".expected.json"), ReferralEventJson.refusal(rejected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responses")
    void barsResponseGivesTheGoldenEvent(String scenario) {
        ReferralEvent event = responseReader.read(PLATFORM, bundle(scenario));

        GoldenFiles.assertMatches(Fixtures.path(RESPONSES + scenario + ".expected.json"), ReferralEventJson.write(event));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidResponses")
    void invalidBarsResponseIsRefusedWithTheGoldenProblems(String scenario) {
        PlatformEventRejectedException rejected = catchThrowableOfType(PlatformEventRejectedException.class,
                () -> responseReader.read(PLATFORM, bundle(scenario)));

        assertThat(rejected).as("refused").isNotNull();
        GoldenFiles.assertMatches(Fixtures.path(RESPONSES + scenario + ".expected.json"),
                ReferralEventJson.refusal(rejected));
    }

    private static Task current(String scenario) {
        return (Task) parse(Fixtures.path(TASKS + scenario + ".current.json"));
    }

    /** The Task as PUT, JSON or XML, parsed as the caller (the endpoint) will. */
    private static Task update(String scenario) {
        Path json = Fixtures.path(TASKS + scenario + ".update.json");
        return (Task) parse(Files.exists(json) ? json : Fixtures.path(TASKS + scenario + ".update.xml"));
    }

    private static Bundle bundle(String scenario) {
        return (Bundle) parse(Fixtures.path(RESPONSES + scenario + ".bundle.json"));
    }

    private static IBaseResource parse(Path file) {
        try {
            String body = Files.readString(file);
            return file.toString().endsWith(".xml")
                    ? FHIR.newXmlParser().parseResource(body)
                    : FHIR.newJsonParser().parseResource(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> scenarios(String folder, String suffix) {
        try (Stream<Path> files = Files.list(Fixtures.path(folder))) {
            List<String> names = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(suffix))
                    .map(n -> n.substring(0, n.length() - suffix.length()))
                    .sorted().toList();
            assertThat(names).as("scenarios in %s", folder).isNotEmpty();
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
