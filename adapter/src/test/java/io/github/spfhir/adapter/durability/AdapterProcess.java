package io.github.spfhir.adapter.durability;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import io.github.spfhir.adapter.AdapterApplication;
import io.github.spfhir.adapter.support.AdapterHttp;

/**
 * The adapter as a separate JVM ({@code java -cp <classpath> io.github.spfhir.adapter.AdapterApplication}), so a
 * test can kill it with SIGKILL and start it again on the same store. Its stdout and stderr go to one log file,
 * read back only to explain a failure.
 */
final class AdapterProcess {

    private final Process process;
    private final int port;
    private final Path log;

    private AdapterProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts the adapter on a free loopback port with these {@code --key=value} settings, in {@code workDirectory}
     * (nothing is written under the repository), logging to {@code log}.
     */
    static AdapterProcess start(Path workDirectory, Path log, List<String> settings) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(javaBinary(),
                "-Xmx768m",
                // C1 only: this JVM lives for seconds, and on 2 cores C2's compiler threads would slow its start
                "-XX:TieredStopAtLevel=1",
                "-cp", applicationClassPath(),
                AdapterApplication.class.getName(),
                "--server.port=" + port,
                "--server.address=127.0.0.1"));
        command.addAll(settings);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // only the settings given here: none of the adapter's environment variables from this machine
            builder.environment().keySet().removeIf(name -> name.startsWith("ADAPTER_"));
            Process process = builder.start();
            return new AdapterProcess(process, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the adapter JVM", e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    AdapterHttp http() {
        return new AdapterHttp(port);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits (bounded) until readiness answers 200, failing at once if the JVM has exited. */
    void awaitReady(Duration atMost) {
        AdapterHttp http = http();
        await("readiness of the adapter JVM (pid " + pid() + ")").atMost(atMost).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the adapter JVM exited with " + process.exitValue()
                                + " before it was ready");
                    }
                    return http.get("/actuator/health/readiness", "application/json").statusCode() == 200;
                });
    }

    /**
     * SIGKILL: {@link Process#destroyForcibly()} sends SIGKILL on Linux and macOS; no shutdown hook, no graceful
     * Tomcat or Camel stop, no H2 close. Returns the exit value, 137 (128 + signal 9) for a SIGKILL.
     */
    int killHard() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the adapter JVM (pid " + pid() + ") survived SIGKILL for 30 s");
        }
        return process.exitValue();
    }

    /** For clean-up, failure or not. */
    void destroy() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the JVM's output, to explain a failure. */
    /** A scenario over adapter JVMs whose failure carries the last lines of each one's log, to tell what happened. */
    static void withLogsOnFailure(List<AdapterProcess> adapters, int lines, Scenario scenario) throws Exception {
        try {
            scenario.run();
        } catch (AssertionError | Exception e) { // a sender's failure arrives as a checked ExecutionException
            StringBuilder logs = new StringBuilder();
            adapters.forEach(adapter -> logs.append('\n').append(adapter.logTail(lines)));
            throw new AssertionError(e.getMessage() + "\n" + logs, e);
        }
    }

    /** A test's body that may throw. */
    interface Scenario {
        void run() throws Exception;
    }

    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "---- " + log.getFileName() + " (pid " + pid() + ", last " + Math.min(lines, all.size()) + " of "
                    + all.size() + " lines) ----\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "---- " + log + " unreadable: " + e + " ----";
        }
    }

    /** The lines of the log that contain {@code text}. */
    List<String> logLines(String text) {
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.contains(text)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same java binary as this test JVM. */
    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The classpath of the application: this JVM's, without the test classes (a plain start would pick up test
     * configuration, such as the fixed clock, through component scanning). Surefire's forked JVM runs from a
     * manifest-only booter jar by default, so {@code java.class.path} can be that one jar: its manifest's
     * {@code Class-Path} is then read. Surefire also sets {@code surefire.test.class.path}, used first.
     */
    static String applicationClassPath() {
        String declared = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>(Arrays.asList(declared.split(File.pathSeparator)));
        if (entries.size() == 1 && entries.get(0).endsWith(".jar")) {
            entries = manifestClassPath(Path.of(entries.get(0)), entries);
        }
        return entries.stream()
                .filter(entry -> !entry.isBlank())
                .filter(entry -> !Path.of(entry).normalize().endsWith(Path.of("target", "test-classes")))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static List<String> manifestClassPath(Path jar, List<String> otherwise) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null || classPath.isBlank()) {
                return otherwise;
            }
            List<String> entries = new ArrayList<>();
            for (String url : classPath.trim().split("\\s+")) {
                entries.add(Path.of(jar.toUri().resolve(new URI(url))).toString());
            }
            return entries;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the class path of " + jar, e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
