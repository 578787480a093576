package io.github.spfhir.adapter.domain.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.skyscreamer.jsonassert.JSONAssert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.github.spfhir.adapter.domain.referral.Referral;

/**
 * Golden files: every canonical referral {@code test-fixtures/platform-mapping/<scenario>.referral.json}, mapped
 * with every shipped mapping, must give {@code <scenario>.<mapping>.expected.json}. A new scenario or a new
 * platform mapping is picked up without touching this class (and fails until its expected file is written).
 */
class PlatformPayloadGoldenTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final PlatformMappings MAPPINGS = new PlatformMappings();
    private static final PlatformPayloadMapper MAPPER = new PlatformPayloadMapper(MAPPINGS);

    static Stream<Arguments> scenarios() throws IOException {
        List<Path> referrals;
        try (Stream<Path> files = Files.list(Fixtures.platformMapping())) {
            referrals = files.filter(f -> f.getFileName().toString().endsWith(".referral.json")).sorted().toList();
        }
        assertThat(referrals).as("scenarios in test-fixtures/platform-mapping").hasSizeGreaterThanOrEqualTo(3);
        assertThat(MAPPINGS.names()).as("shipped mappings").isNotEmpty();
        return referrals.stream().flatMap(referral -> MAPPINGS.names().stream().map(mapping -> Arguments.of(
                referral.getFileName().toString().replace(".referral.json", ""), mapping)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("scenarios")
    void payloadMatchesGoldenFile(String scenario, String mapping) throws Exception {
        Referral referral = JSON.readValue(Fixtures.read(Fixtures.platformMapping().resolve(scenario + ".referral.json")),
                Referral.class);
        Path expectedFile = Fixtures.platformMapping().resolve(scenario + "." + mapping + ".expected.json");
        assertThat(expectedFile).as("golden file for scenario %s and mapping %s", scenario, mapping).exists();
        String expected = Fixtures.read(expectedFile);

        String payload = MAPPER.toPayload(referral, mapping);

        JSONAssert.assertEquals(expected, payload, true);
        // JSONAssert ignores member order; the payload must also be written in the order of the mapping file
        assertThat(payload).isEqualTo(JSON.writeValueAsString(JSON.readTree(expected)));
        assertThat(MAPPER.toPayload(referral, mapping)).as("deterministic").isEqualTo(payload);
    }
}
