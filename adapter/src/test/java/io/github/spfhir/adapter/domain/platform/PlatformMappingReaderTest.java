package io.github.spfhir.adapter.domain.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

class PlatformMappingReaderTest {

    private static final String ALLOWED =
            "(allowed: target, source, constant, required, default, value-map, join, each, description)";

    @Test
    void unknownKeyNamesTheFileTheFieldAndTheKey() {
        assertThatThrownBy(() -> readInvalid("unknown-key.yaml"))
                .isInstanceOf(InvalidPlatformMappingException.class)
                .hasMessage("Invalid platform mapping file unknown-key.yaml: "
                        + "fields[1] (target /person/nhsNumber): unknown key 'sorce' " + ALLOWED + "; "
                        + "fields[1] (target /person/nhsNumber): needs 'source' or 'constant'");
    }

    @Test
    void targetThatIsNotAJsonPointerIsRefused() {
        assertThatThrownBy(() -> readInvalid("bad-pointer.yaml"))
                .isInstanceOf(InvalidPlatformMappingException.class)
                .hasMessage("Invalid platform mapping file bad-pointer.yaml: "
                        + "fields[0]: 'target' 'person/nhsNumber' is not a JSON Pointer (it must start with '/')");
    }

    @Test
    void platformMustBeNamedAfterItsFile() {
        assertThatThrownBy(() -> readInvalid("name-mismatch.yaml"))
                .isInstanceOf(InvalidPlatformMappingException.class)
                .hasMessage("Invalid platform mapping file name-mismatch.yaml: 'platform' is 'other-platform' but the"
                        + " file is name-mismatch.yaml: the platform must be named after its file ('name-mismatch')");
    }

    @Test
    void sourceMustBeACanonicalPathAlsoInsideEach() {
        assertThatThrownBy(() -> readInvalid("unknown-source.yaml"))
                .isInstanceOf(InvalidPlatformMappingException.class)
                .hasMessage("Invalid platform mapping file unknown-source.yaml: "
                        + "fields[0] (target /person/nhsNumber): source '/patient/nhsNumbr' is not a path of the"
                        + " canonical Referral (see the table in mappings/README.md); "
                        + "fields[1].each[0] (target /code): source '/coding/code' is not a path of an element of"
                        + " /reasons (see the table in mappings/README.md)");
    }

    @Test
    void unknownTopLevelKeyAndMissingVersionAreReportedTogether() {
        assertThatThrownBy(() -> read("p.yaml", """
                platform: p
                contentType: application/json
                fields:
                  - target: /a
                    constant: x
                """))
                .hasMessage("Invalid platform mapping file p.yaml: unknown key 'contentType' (allowed: platform,"
                        + " mapping-version, content-type, description, fields); 'mapping-version' is missing (a whole"
                        + " number from 1, raised on every payload change)");
    }

    @Test
    void platformOfTheWrongTypeIsOneProblem() {
        assertThatThrownBy(() -> read("p.yaml", """
                platform: [p]
                mapping-version: 1
                fields:
                  - target: /a
                    constant: x
                """))
                .hasMessage("Invalid platform mapping file p.yaml: 'platform' must be text");
    }

    @Test
    void overlappingTargetsAreRefused() {
        assertThatThrownBy(() -> read("p.yaml", """
                platform: p
                mapping-version: 1
                fields:
                  - target: /person
                    source: /patient
                  - target: /person/nhsNumber
                    source: /patient/nhsNumber
                """))
                .hasMessage("Invalid platform mapping file p.yaml: fields[1]: target /person/nhsNumber overlaps target"
                        + " /person of fields[0] (each payload member is written by one field)");
    }

    @Test
    void contradictoryKeysAreRefused() {
        assertThatThrownBy(() -> read("p.yaml", """
                platform: p
                mapping-version: 1
                fields:
                  - target: /a
                    constant: x
                    required: true
                  - target: /b
                    source: /priority
                    required: true
                    default: routine
                  - target: /c
                    source: /reasons
                    join: ", "
                    each:
                      - target: /code
                        source: /code
                """))
                .hasMessage("Invalid platform mapping file p.yaml: "
                        + "fields[0] (target /a): 'constant' cannot be combined with 'required'; "
                        + "fields[1] (target /b): 'required' and 'default' exclude each other; "
                        + "fields[2] (target /c): 'each' cannot be combined with 'value-map' or 'join'; "
                        + "fields[2] (target /c): 'join' needs an array of single values; /reasons is an array of CodedValue");
    }

    @Test
    void operationsMustFitTheSourceShape() {
        assertThatThrownBy(() -> read("p.yaml", """
                platform: p
                mapping-version: 1
                fields:
                  - target: /a
                    source: /patient/nhsNumber
                    each:
                      - target: /x
                        source: ""
                  - target: /b
                    source: /patient
                    value-map: {a: b}
                  - target: ""
                    source: /status
                  - target: /c
                    source: ""
                """))
                .hasMessage("Invalid platform mapping file p.yaml: "
                        + "fields[0] (target /a): 'each' needs an array source; /patient/nhsNumber is a single value; "
                        + "fields[1] (target /b): 'value-map' needs a single-value source; /patient is an object (Person); "
                        + "fields[2]: the empty target is only allowed as the single field of an 'each' (the element"
                        + " itself becomes the value); "
                        + "fields[3] (target /c): the empty source (the element itself) is only allowed inside 'each'");
    }

    @Test
    void typesOfValuesAreChecked() {
        assertThatThrownBy(() -> read("p.yaml", """
                platform: p
                mapping-version: "1"
                content-type: text/plain
                fields:
                  - target: /a
                    source: /priority
                    required: "yes"
                    value-map: {routine: [1]}
                  - target: /b/
                    constant: null
                """))
                .hasMessage("Invalid platform mapping file p.yaml: "
                        + "'mapping-version' must be a whole number from 1; "
                        + "'content-type' 'text/plain' is not a JSON media type (application/json or application/*+json); "
                        + "fields[0] (target /a): 'required' must be true or false; "
                        + "fields[0] (target /a): 'value-map' entry 'routine' must be a single value (text, number or true/false); "
                        + "fields[1]: 'target' '/b/' has an empty segment; "
                        + "fields[1] (target /b/): 'constant' is null; leave the field out instead (nulls are never written)");
    }

    @Test
    void yamlSyntaxErrorsGiveTheLine() {
        assertThatThrownBy(() -> read("p.yaml", "platform: p\nfields: [\n"))
                .isInstanceOf(InvalidPlatformMappingException.class)
                .hasMessage("Invalid platform mapping file p.yaml: not readable as YAML (line 2, column 10): while"
                        + " parsing a flow node: expected the node content, but found '<stream end>'");
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThatThrownBy(() -> read("p.yaml", "platform: p\nplatform: q\n"))
                .hasMessageStartingWith("Invalid platform mapping file p.yaml: not readable as YAML (line 2,")
                .hasMessageContaining("Duplicate field 'platform'");
    }

    @Test
    void validFileIsReadWithDefaultsAndTypedValues() {
        PlatformMapping mapping = read("my-platform.yaml", """
                platform: my-platform
                mapping-version: 2
                fields:
                  - target: /sex
                    source: /patient/gender
                    value-map: {male: 1, female: 2}
                    default: "9"
                  - target: /codes
                    source: /reasons
                    each:
                      - target: ""
                        source: /code
                """);

        assertThat(mapping.platform()).isEqualTo("my-platform");
        assertThat(mapping.mappingVersion()).isEqualTo(2);
        assertThat(mapping.contentType()).isEqualTo("application/json");
        assertThat(mapping.fields()).hasSize(2);
        assertThat(mapping.fields().get(0).valueMap()).containsEntry("male", IntNode.valueOf(1));
        assertThat(mapping.fields().get(0).defaultValue()).isEqualTo(TextNode.valueOf("9"));
        assertThat(mapping.fields().get(1).each().get(0).target().matches()).isTrue();
    }

    @Test
    void shippedExampleIsValid() throws IOException {
        try (InputStream in = Files.newInputStream(Fixtures.platformMapping()
                .resolve("../../mappings/platforms/example-linkworker.yaml").normalize())) {
            assertThat(PlatformMappingReader.read("example-linkworker.yaml", in).fields()).isNotEmpty();
        }
    }

    private static PlatformMapping readInvalid(String fileName) throws IOException {
        try (InputStream in = Files.newInputStream(Fixtures.platformMapping().resolve("invalid").resolve(fileName))) {
            return PlatformMappingReader.read(fileName, in);
        }
    }

    private static PlatformMapping read(String fileName, String yaml) {
        return PlatformMappingReader.read(fileName, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
