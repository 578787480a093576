package io.github.spfhir.adapter.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.support.Fixtures;

/**
 * {@code docker/cds-archive.sh}, which {@code docker/Dockerfile} runs at image build, run here on the packaged jar (an
 * integration test: after {@code package}). No container engine is needed or used: the image's build step is this
 * script, so a change that breaks it (Spring Boot's extract command, the JVM's dump) fails here instead of at the
 * first image build. Asserts on what the JVM itself says of the archive ({@code -XX:+PrintSharedArchiveAndExit}):
 * valid for the extracted layout's class path, holding the adapter's own classes and HL7's validator (so the training
 * start ran the validator warm-up), and refused for another class path.
 */
class CdsArchiveScriptIT {

    private static final Path REPOSITORY = Fixtures.ROOT.getParent();
    private static final Path PACKAGED_JAR = REPOSITORY.resolve("adapter/target/sp-fhir-adapter.jar");
    private static final Path DESTINATION = REPOSITORY.resolve("adapter/target/cds-it");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void dumpsAnArchiveOfTheStartUpsClassesThatTheJvmAcceptsForTheExtractedLayoutOnly() throws Exception {
        assertThat(PACKAGED_JAR).as("the jar that package builds").isRegularFile();

        Result script = run(List.of("bash", REPOSITORY.resolve("docker/cds-archive.sh").toString(), PACKAGED_JAR.toString(),
                DESTINATION.toString()), 10);
        assertThat(script.exitCode()).as("cds-archive.sh exit code; its output:%n%s", script.tail()).isZero();
        Path archive = DESTINATION.resolve("app.jsa");
        Path extractedJar = DESTINATION.resolve("sp-fhir-adapter.jar");
        assertThat(archive).isRegularFile();
        assertThat(DESTINATION.resolve("lib")).isDirectory();
        assertThat(DESTINATION.resolve("classes.lst")).as("the training list is removed").doesNotExist();

        Result layout = printArchive(archive, extractedJar);
        assertThat(layout.exitCode()).isZero();
        assertThat(layout.output())
                .contains("archive is valid")
                .contains("io.github.spfhir.adapter.AdapterApplication app_loader")
                .contains("io.github.spfhir.adapter.domain.validation.FhirProfileValidator app_loader")
                .contains("org.hl7.fhir.validation.instance.InstanceValidator app_loader")
                .contains("org.h2.Driver app_loader");

        // the fat jar is another class path: the JVM must not take classes for it from this archive
        Result otherClassPath = printArchive(archive, PACKAGED_JAR);
        assertThat(otherClassPath.output()).doesNotContain("archive is valid");
    }

    private static Result printArchive(Path archive, Path classPath) throws IOException, InterruptedException {
        return run(List.of(JAVA, "-XX:SharedArchiveFile=" + archive, "-XX:+PrintSharedArchiveAndExit", "-cp",
                classPath.toString()), 2);
    }

    private static Result run(List<String> command, int timeoutMinutes) throws IOException, InterruptedException {
        Path log = Files.createTempFile("cds-archive-it", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPOSITORY.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA", JAVA);
        Process process = builder.start();
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish within " + timeoutMinutes + " min");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {

        String tail() {
            return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
        }
    }
}
