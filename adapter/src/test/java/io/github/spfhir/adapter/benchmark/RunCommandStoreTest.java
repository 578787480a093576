package io.github.spfhir.adapter.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The benchmarks measure the store the run command ships, with its durable commits. */
class RunCommandStoreTest {

    @Test
    void theBenchmarksTakeTheRunCommandsH2Options() {
        String options = RunCommandStore.h2Options();

        assertThat(options).startsWith(";").contains(";WRITE_DELAY=0");
        assertThat(RunCommandStore.h2Url(Path.of("/tmp/bench"))).isEqualTo("jdbc:h2:file:/tmp/bench/adapter" + options);
    }
}
