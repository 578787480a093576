package io.github.spfhir.adapter.domain.platformevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.spfhir.adapter.domain.platform.InvalidPlatformMappingException;
import io.github.spfhir.adapter.domain.platform.PlatformMappings;
import io.github.spfhir.adapter.support.Fixtures;

class PlatformEventMappingsTest {

    private static final Path EXAMPLE = Fixtures.ROOT.resolve("../mappings/platforms/example-linkworker.events.yaml")
            .normalize();

    @Test
    void loadsTheShippedEventsMappingsAndTheOutboundMappingsIgnoreThem() {
        PlatformEventMappings mappings = new PlatformEventMappings();

        assertThat(mappings.platforms()).contains("example-linkworker");
        assertThat(mappings.get("example-linkworker").mappingVersion()).isEqualTo(1);
        assertThat(mappings.polled()).extracting(PlatformEventMapping::platform).contains("example-linkworker");
        // the outbound registry reads *.yaml in the same folder: the events file must not be taken for one
        assertThat(new PlatformMappings().names()).contains("example-linkworker").doesNotContain("example-linkworker.events");
    }

    @Test
    void anUnknownPlatformIsAnUnknownEventPlatform() {
        assertThatThrownBy(() -> new PlatformEventMappings().get("elemental"))
                .isInstanceOf(UnknownEventPlatformException.class);
        assertThat(new PlatformEventMappings().find("elemental")).isEmpty();
    }

    @Test
    void refusesAYmlFileRatherThanIgnoringIt(@TempDir Path dir) throws IOException {
        Files.copy(EXAMPLE, dir.resolve("example-linkworker.events.yml"));

        assertThatThrownBy(() -> new PlatformEventMappings(dir.toUri() + "*.events.yaml"))
                .isInstanceOf(InvalidPlatformMappingException.class)
                .hasMessage("Invalid platform mapping file example-linkworker.events.yml: events mapping files must end in"
                        + " .events.yaml (rename it)");
    }

    @Test
    void aBadFileStopsTheLoad(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.events.yaml"), "platform: broken\nmapping-version: 1\n");

        assertThatThrownBy(() -> new PlatformEventMappings(dir.toUri() + "*.events.yaml"))
                .isInstanceOf(InvalidPlatformMappingException.class)
                .hasMessage("Invalid platform mapping file broken.events.yaml: 'event' must be a mapping with at least the"
                        + " keys id, kind, referral-id and occurred-at");
    }

    @Test
    void emptyFolderGivesNoMappings(@TempDir Path dir) {
        assertThat(new PlatformEventMappings(dir.toUri() + "*.events.yaml").platforms()).isEmpty();
    }
}
