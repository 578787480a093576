package io.github.spfhir.adapter.domain.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.json.JsonMapper;

import io.github.spfhir.adapter.domain.referral.Referral;

/** The mapping rules one by one, on small inline mappings; the shipped mapping is covered by the golden test. */
class PlatformPayloadMapperTest {

    private final Referral full = referral("full-referral");
    private final Referral minimal = referral("minimal-referral");

    @Test
    void requiredFieldWithoutValueNamesFieldAndSourceButNoValue() {
        PlatformMapping mapping = mapping("""
                  - target: /person/nhsNumber
                    source: /patient/nhsNumber
                  - target: /person/firstName
                    source: /patient/givenName
                    required: true
                """);

        assertThatThrownBy(() -> mapper(mapping).toPayload(minimal, "p"))
                .isInstanceOf(PayloadMappingException.class)
                .hasMessage("Referral cannot be mapped for platform 'p' (mapping-version 1): field /person/firstName"
                        + " is required but has no value (source /patient/givenName)")
                .hasMessageNotContaining("9434765919");
    }

    @Test
    void requiredFieldInsideEachNamesTheElement() {
        PlatformMapping mapping = mapping("""
                  - target: /needs
                    source: /reasons
                    each:
                      - target: /code
                        source: /code
                        required: true
                """);

        assertThatThrownBy(() -> mapper(mapping).toPayload(full, "p"))
                .isInstanceOf(PayloadMappingException.class)
                .hasMessage("Referral cannot be mapped for platform 'p' (mapping-version 1): field /needs/2/code"
                        + " is required but has no value (source /code)");
    }

    @Test
    void valueNotInValueMapWithoutDefaultIsRefusedWithoutTheValue() {
        PlatformMapping mapping = mapping("""
                  - target: /sex
                    source: /patient/gender
                    value-map: {male: M}
                """);

        assertThatThrownBy(() -> mapper(mapping).toPayload(full, "p"))
                .isInstanceOf(PayloadMappingException.class)
                .hasMessage("Referral cannot be mapped for platform 'p' (mapping-version 1): field /sex has a source"
                        + " value that 'value-map' does not list, and no 'default' (source /patient/gender)")
                .hasMessageNotContaining("female");
    }

    @Test
    void valueMapKeepsTheTypeOfTheValueWritten() {
        PlatformMapping mapping = mapping("""
                  - target: /sex
                    source: /patient/gender
                    value-map: {male: 1, female: 2}
                  - target: /consented
                    constant: true
                  - target: /meta
                    constant: {schema: 3, tags: [a, b]}
                """);

        assertThat(mapper(mapping).toPayload(full, "p"))
                .isEqualTo("{\"sex\":2,\"consented\":true,\"meta\":{\"schema\":3,\"tags\":[\"a\",\"b\"]}}");
    }

    @Test
    void joinWritesNonBlankElementsAsOneString() {
        PlatformMapping mapping = mapping("""
                  - target: /address
                    source: /patient/addressLines
                    join: ", "
                """);

        assertThat(mapper(mapping).toPayload(full, "p")).isEqualTo("{\"address\":\"1 Example Street, Exampletown\"}");
        assertThat(mapper(mapping).toPayload(minimal, "p")).isEqualTo("{}");
    }

    @Test
    void eachWithAnEmptyTargetMakesAnArrayOfValuesAndSkipsElementsWithout() {
        PlatformMapping mapping = mapping("""
                  - target: /needCodes
                    source: /reasons
                    each:
                      - target: ""
                        source: /code
                """);

        assertThat(mapper(mapping).toPayload(full, "p")).isEqualTo("{\"needCodes\":[\"loneliness\",\"debt\"]}");
    }

    @Test
    void copiedObjectsArePrunedOfNullsAndEmptyArraysAreLeftOut() {
        PlatformMapping mapping = mapping("""
                  - target: /referrer
                    source: /referrer
                  - target: /notes
                    source: /notes
                  - target: /firstIdentifier
                    source: /senderIdentifiers/0/code
                """);

        assertThat(mapper(mapping).toPayload(minimal, "p")).isEqualTo("{\"referrer\":{\"organisationOdsCode\":\"A81001\"}}");
    }

    @Test
    void unknownMappingNameIsAClearError() {
        PlatformMapping mapping = mapping("""
                  - target: /a
                    constant: x
                """);

        assertThatThrownBy(() -> mapper(mapping).toPayload(full, "joy"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No platform mapping named 'joy' (there is no mappings/platforms/joy.yaml); known mappings: [p]");
    }

    private static PlatformPayloadMapper mapper(PlatformMapping mapping) {
        return new PlatformPayloadMapper(PlatformMappings.of(List.of(mapping)));
    }

    private static PlatformMapping mapping(String fields) {
        String yaml = "platform: p\nmapping-version: 1\nfields:\n" + fields;
        return PlatformMappingReader.read("p.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Referral referral(String scenario) {
        try {
            return JsonMapper.builder().build().readValue(
                    Fixtures.read(Fixtures.platformMapping().resolve(scenario + ".referral.json")), Referral.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
