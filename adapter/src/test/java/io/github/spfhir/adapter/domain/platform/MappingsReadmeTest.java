package io.github.spfhir.adapter.domain.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.github.spfhir.adapter.domain.referral.Referral;

/** mappings/README.md stays true: its table of canonical paths matches {@link Referral}, and its example is valid. */
class MappingsReadmeTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(/[^`]*)` \\| ([^|]+?) \\|");
    private static final Pattern EXAMPLE = Pattern.compile("### Example\\s+```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void readmeTableListsEveryPathOfTheReferralRecordInOrder() throws IOException {
        List<String> documented = new ArrayList<>();
        readme().lines().forEach(line -> {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                documented.add(row.group(1) + " : " + row.group(2));
            }
        });

        List<String> actual = CanonicalShape.REFERRAL.paths().stream()
                .map(path -> path + " : " + CanonicalShape.REFERRAL
                        .resolve(JsonPointer.compile(path.replace("*", "0"))).orElseThrow().javaType())
                .toList();

        assertThat(documented).containsExactlyElementsOf(actual);
    }

    @Test
    void readmeExampleIsAValidMappingThatWritesWhatTheReadmeShows() throws Exception {
        Matcher example = EXAMPLE.matcher(readme());
        assertThat(example.find()).as("a yaml block under ### Example").isTrue();
        PlatformMapping mapping = PlatformMappingReader.read("example-linkworker.yaml",
                new ByteArrayInputStream(example.group(1).getBytes(StandardCharsets.UTF_8)));

        Referral full = JsonMapper.builder().build().readValue(
                Fixtures.read(Fixtures.platformMapping().resolve("full-referral.referral.json")), Referral.class);
        Referral.Person other = new Referral.Person(full.patient().nhsNumber(), full.patient().givenName(),
                full.patient().familyName(), full.patient().birthDate(), "other", full.patient().addressLines(),
                full.patient().postcode(), full.patient().phone(), full.patient().email());
        Referral referral = new Referral(full.referralId(), full.taskId(), full.requestId(), full.correlationId(),
                full.senderIdentifiers(), full.status(), full.priority(), full.authoredOn(), other, full.referrer(),
                full.destination(), full.reasons().subList(0, 2), full.notes().subList(0, 1));

        String payload = new PlatformPayloadMapper(PlatformMappings.of(List.of(mapping)))
                .toPayload(referral, "example-linkworker");

        JSONAssert.assertEquals("""
                {"referral":{"id":"5a4f2c7e-1b3d-4e8f-9a6c-2d1e0f9b8a71","source":"sp-fhir-adapter"},
                 "person":{"sex":"U","address":{"lines":["1 Example Street","Exampletown"],
                                                "text":"1 Example Street, Exampletown"}},
                 "needs":[{"code":"loneliness","label":"Loneliness"},{"code":"debt","label":"Debt or money worries"}],
                 "notes":[{"text":"Prefers a phone call in the morning."}]}
                """, payload, true);
    }

    @Test
    void shapeFollowsTheRecordComponents() {
        assertThat(CanonicalShape.REFERRAL.paths()).startsWith("/referralId", "/taskId", "/requestId", "/correlationId",
                "/senderIdentifiers", "/senderIdentifiers/*/system");
        assertThat(CanonicalShape.REFERRAL.resolve(JsonPointer.compile("/notes/3"))).get()
                .extracting(CanonicalShape::kind).isEqualTo(CanonicalShape.Kind.SCALAR);
        assertThat(CanonicalShape.REFERRAL.resolve(JsonPointer.compile("/notes/x"))).isEmpty();
        assertThat(CanonicalShape.REFERRAL.resolve(JsonPointer.compile("/status/x"))).isEmpty();
    }

    private String readme() throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("mappings/README.md")) {
            assertThat(in).as("mappings/README.md on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
