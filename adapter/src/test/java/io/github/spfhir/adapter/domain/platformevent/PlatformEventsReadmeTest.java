package io.github.spfhir.adapter.domain.platformevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;

import io.github.spfhir.adapter.support.ReferralEventJson;

/** The events section of mappings/README.md stays true: its example mapping maps its example event as shown. */
class PlatformEventsReadmeTest {

    private static final Pattern EXAMPLE = Pattern.compile(
            "### An events mapping, by example\\s+```yaml\\n(.*?)```.*?```json\\n(.*?)```.*?```json\\n(.*?)```",
            Pattern.DOTALL);

    @Test
    void readmeExampleMappingMapsTheReadmeEventToTheReadmeCanonicalEvent() throws Exception {
        Matcher example = EXAMPLE.matcher(readme());
        assertThat(example.find()).as("a yaml block and two json blocks under ### An events mapping, by example").isTrue();
        PlatformEventMapping mapping = PlatformEventMappingReader.read("example-linkworker.events.yaml",
                new ByteArrayInputStream(example.group(1).getBytes(StandardCharsets.UTF_8)));

        String event = ReferralEventJson.write(
                new PlatformEventMapper(PlatformEventMappings.of(List.of(mapping))).map("example-linkworker", example.group(2)));

        JSONAssert.assertEquals(example.group(3), event, true);
    }

    private String readme() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("mappings/README.md")) {
            assertThat(in).as("mappings/README.md on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
