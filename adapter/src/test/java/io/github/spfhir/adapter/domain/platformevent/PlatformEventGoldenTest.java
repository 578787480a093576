package io.github.spfhir.adapter.domain.platformevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.spfhir.adapter.domain.lifecycle.EventKind;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.GoldenFiles;
import io.github.spfhir.adapter.support.ReferralEventJson;

/**
 * Golden files: every event {@code test-fixtures/events-from-link-worker/<platform>/<scenario>.json} of a platform
 * with a shipped events mapping gives the canonical event in {@code <scenario>.expected.json}; every one in
 * {@code invalid/} gives the refusal there. A new scenario is picked up without touching this class (and fails
 * until its expected file is written: run with {@code -Dgolden.update=true}, then read the file).
 */
class PlatformEventGoldenTest {

    private static final String FOLDER = "events-from-link-worker";
    private static final PlatformEventMappings MAPPINGS = new PlatformEventMappings();
    private static final PlatformEventMapper MAPPER = new PlatformEventMapper(MAPPINGS);

    static Stream<String> valid() throws IOException {
        return scenarios("");
    }

    static Stream<String> invalid() throws IOException {
        return scenarios("invalid/");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void eventMapsToTheGoldenCanonicalEvent(String scenario) {
        String platform = scenario.substring(0, scenario.indexOf('/'));

        ReferralEvent event = MAPPER.map(platform, Fixtures.read(FOLDER + "/" + scenario + ".json"));

        String json = ReferralEventJson.write(event);
        GoldenFiles.assertMatches(Fixtures.path(FOLDER + "/" + scenario + ".expected.json"), json);
        assertThat(ReferralEventJson.read(json)).as("the JSON form loses nothing").isEqualTo(event);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidEventIsRefusedWithTheGoldenProblems(String scenario) {
        String platform = scenario.substring(0, scenario.indexOf('/'));
        String body = Fixtures.read(FOLDER + "/" + scenario + ".json");

        PlatformEventRejectedException rejected = catchThrowableOfType(PlatformEventRejectedException.class,
                () -> MAPPER.map(platform, body));

        assertThat(rejected).as("refused").isNotNull();
        assertThat(rejected.platformId()).isEqualTo(platform);
        GoldenFiles.assertMatches(Fixtures.path(FOLDER + "/" + scenario + ".expected.json"),
                ReferralEventJson.refusal(rejected));
    }

    @Test
    void everyEventKindHasAGoldenScenarioOfTheExamplePlatform() throws IOException {
        Set<EventKind> covered = EnumSet.noneOf(EventKind.class);
        valid().filter(s -> s.startsWith("example-linkworker/")).forEach(scenario -> covered.add(
                MAPPER.map("example-linkworker", Fixtures.read(FOLDER + "/" + scenario + ".json")).kind()));

        assertThat(covered).containsExactlyInAnyOrder(EventKind.values());
    }

    @Test
    void everyPlatformWithAnEventsMappingHasGoldenScenarios() throws IOException {
        for (String platform : MAPPINGS.platforms()) {
            assertThat(valid().filter(s -> s.startsWith(platform + "/"))).as("scenarios of %s", platform).isNotEmpty();
        }
    }

    /** {@code <platform>/<scenario>} (or {@code <platform>/invalid/<scenario>}) for every platform folder. */
    private static Stream<String> scenarios(String subfolder) throws IOException {
        List<String> all = MAPPINGS.platforms().stream().flatMap(platform -> {
            Path dir = Fixtures.path(FOLDER + "/" + platform + "/" + subfolder);
            if (!Files.isDirectory(dir)) {
                return Stream.empty();
            }
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(f -> f.getFileName().toString())
                        .filter(n -> n.endsWith(".json") && !n.endsWith(".expected.json"))
                        .map(n -> platform + "/" + subfolder + n.substring(0, n.length() - ".json".length()))
                        .sorted().toList().stream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        assertThat(all).as("scenarios in %s/*/%s", FOLDER, subfolder).isNotEmpty();
        return all.stream();
    }

}
