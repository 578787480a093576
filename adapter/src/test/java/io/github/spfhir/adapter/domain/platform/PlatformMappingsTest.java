package io.github.spfhir.adapter.domain.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformMappingsTest {

    @Test
    void loadsTheShippedMappingsFromTheClasspath() {
        PlatformMappings mappings = new PlatformMappings();

        assertThat(mappings.names()).contains("example-linkworker");
        PlatformMapping example = mappings.get("example-linkworker");
        assertThat(example.mappingVersion()).isEqualTo(1);
        assertThat(example.contentType()).isEqualTo("application/json");
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> new PlatformMappings().get("elemental"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("No platform mapping named 'elemental' (there is no mappings/platforms/elemental.yaml);"
                        + " known mappings: [")
                .hasMessageContaining("example-linkworker");
    }

    @Test
    void failsFastOnTheFirstBadFileInNameOrder() {
        String pattern = Fixtures.platformMapping().resolve("invalid").toUri() + "*.yaml";

        assertThatThrownBy(() -> new PlatformMappings(pattern))
                .isInstanceOf(InvalidPlatformMappingException.class)
                .hasMessageStartingWith("Invalid platform mapping file bad-pointer.yaml: ");
    }

    @Test
    void refusesAYmlFileRatherThanIgnoringIt(@TempDir Path dir) throws IOException {
        Files.copy(Fixtures.platformMapping().resolve("../../mappings/platforms/example-linkworker.yaml").normalize(),
                dir.resolve("example-linkworker.yml"));

        assertThatThrownBy(() -> new PlatformMappings(dir.toUri() + "*.yaml"))
                .isInstanceOf(InvalidPlatformMappingException.class)
                .hasMessage("Invalid platform mapping file example-linkworker.yml: mapping files must end in .yaml (rename it)");
    }

    @Test
    void emptyFolderGivesNoMappings(@TempDir Path dir) {
        assertThat(new PlatformMappings(dir.toUri() + "*.yaml").names()).isEmpty();
    }
}
