package io.github.spfhir.adapter.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import one.profiler.AsyncProfiler;

/**
 * A CPU profile of a benchmark's timed phase only, with async-profiler (the library's own native build, bundled in
 * its linux-x64 jar), when {@code -Dbench.profile=<file>} names where to write it.
 *
 * <p>Why not only JFR ({@code bench.jfr}): async-profiler's {@code cpu} event samples through the kernel's perf events,
 * so kernel time (system calls, wake-ups, page faults: a seventh of the CPU in the tenth session's run) and the JVM's
 * own threads (compiler, collector) are in the profile, attributed to the Java frames that caused them. Started inside
 * the warm JVM it costs no recompilation, unlike starting a JFR recording there (docs/benchmarks.md, fourth session).
 * Where the kernel does not allow perf events ({@code kernel.perf_event_paranoid}, containers), set
 * {@code -Dbench.profileEvent=itimer}: CPU time sampled by a timer, without kernel frames.
 *
 * <p>The output is collapsed stacks (one line per distinct stack, with its sample count), ready for a flame graph
 * or for grepping; docs/benchmarks.md (tenth session) says how they were classified there.
 */
final class TimedPhaseProfile {

    private static final String INTERVAL = "1ms";

    private final AsyncProfiler profiler;
    private final String file;

    private TimedPhaseProfile(AsyncProfiler profiler, String file) {
        this.profiler = profiler;
        this.file = file;
    }

    /** Starts the profiler if {@code bench.profile} is set; otherwise a profile that does nothing. */
    static TimedPhaseProfile startIfAsked() {
        String file = System.getProperty("bench.profile");
        if (file == null || file.isBlank()) {
            return new TimedPhaseProfile(null, null);
        }
        AsyncProfiler profiler = AsyncProfiler.getInstance();
        execute(profiler, "start,event=" + System.getProperty("bench.profileEvent", "cpu") + ",interval=" + INTERVAL);
        return new TimedPhaseProfile(profiler, file);
    }

    void stop() {
        if (profiler != null) {
            execute(profiler, "stop,collapsed,file=" + file);
        }
    }

    Optional<String> file() {
        return Optional.ofNullable(file);
    }

    private static void execute(AsyncProfiler profiler, String command) {
        try {
            profiler.execute(command);
        } catch (IOException e) {
            throw new UncheckedIOException("async-profiler: " + command, e);
        }
    }
}
