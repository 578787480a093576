package io.github.spfhir.adapter.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.spfhir.adapter.support.Fixtures;

/**
 * The JVM options the two images run with, as their Dockerfiles set them (no container engine is needed). Both name
 * their collector: left to the JVM it is G1 on a large machine, which with the images' 768 MB heap cost about a
 * quarter of the referral throughput on JDK 25, and the serial collector in a container with fewer than 2 CPUs or
 * less than 1792 MB of memory (docs/benchmarks.md section 3, twelfth session). The fast-start image must set them
 * before its AOT cache is recorded, since the cache is recorded with, and only fully used under, the options of its
 * training run.
 */
class DockerImageJvmOptionsTest {

    private static final Path DOCKER = Fixtures.ROOT.getParent().resolve("docker");
    private static final Pattern JAVA_TOOL_OPTIONS = Pattern.compile("^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"");

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile", "Dockerfile.fast-start"})
    void eachImageCapsItsHeapExitsOnOutOfMemoryAndNamesTheParallelCollector(String dockerfile) throws IOException {
        List<String> options = List.of(javaToolOptions(Files.readAllLines(DOCKER.resolve(dockerfile))).split(" +"));

        assertThat(options).contains("-Xmx768m", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC")
                .noneMatch(option -> option.matches("-XX:\\+Use(G1|Serial|Z|Shenandoah)GC"));
    }

    /**
     * The JDK 17 image fixes its young generation (docs/benchmarks.md, fourteenth session): survivor spaces that hold
     * what the requests in flight keep alive across a young collection (16-18 MB measured with 32 senders; the
     * collector's own sizing gave about 23 MB and spilled the rest into the old generation), and an old generation
     * of at least half the heap for the warmed validator and the store's caches (150-200 MB live after a full
     * collection under load).
     */
    @Test
    void theJdk17ImageFixesAYoungGenerationWithRoomForWhatRequestsInFlightKeepAlive() throws IOException {
        List<String> options = List.of(javaToolOptions(Files.readAllLines(DOCKER.resolve("Dockerfile"))).split(" +"));

        assertThat(options).contains("-XX:-UseAdaptiveSizePolicy");
        long heap = megabytes(options, "-Xmx");
        assertThat(megabytes(options, "-Xms")).as("initial heap").isEqualTo(heap);
        long young = megabytes(options, "-Xmn");
        int survivorRatio = Integer.parseInt(value(options, "-XX:SurvivorRatio="));
        long survivorSpace = young / (survivorRatio + 2);
        assertThat(survivorSpace).as("each survivor space, MB").isGreaterThanOrEqualTo(48);
        assertThat(heap - young).as("old generation, MB").isGreaterThanOrEqualTo(heap / 2);
    }

    private static long megabytes(List<String> options, String prefix) {
        String size = value(options, prefix);
        assertThat(size).as(prefix + " in megabytes").matches("[0-9]+m");
        return Long.parseLong(size.substring(0, size.length() - 1));
    }

    private static String value(List<String> options, String prefix) {
        return options.stream().filter(option -> option.startsWith(prefix)).map(option -> option.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " option"));
    }

    @Test
    void theFastStartImageSetsItsOptionsBeforeItRecordsTheAotCache() throws IOException {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile.fast-start"));

        int options = indexOf(lines, JAVA_TOOL_OPTIONS);
        int training = indexOf(lines, Pattern.compile("^RUN .*aot-cache\\.sh"));
        assertThat(options).as("the line that sets JAVA_TOOL_OPTIONS").isNotNegative();
        assertThat(training).as("the line that records the AOT cache").isNotNegative();
        assertThat(options).as("JAVA_TOOL_OPTIONS is set before the training run").isLessThan(training);
    }

    private static String javaToolOptions(List<String> lines) {
        return lines.stream().map(JAVA_TOOL_OPTIONS::matcher).filter(Matcher::find).map(m -> m.group(1).trim())
                .findFirst().orElseThrow(() -> new AssertionError("no ENV line sets JAVA_TOOL_OPTIONS"));
    }

    private static int indexOf(List<String> lines, Pattern pattern) {
        for (int i = 0; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        return -1;
    }
}
