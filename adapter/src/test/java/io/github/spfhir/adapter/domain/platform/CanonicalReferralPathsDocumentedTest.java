package io.github.spfhir.adapter.domain.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonPointer;

import io.github.spfhir.adapter.domain.referral.Referral;

/** The table of canonical paths in mappings/README.md must match the {@link Referral} record, path and type. */
class CanonicalReferralPathsDocumentedTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(/[^`]*)` \\| ([^|]+?) \\|");

    @Test
    void readmeTableListsEveryPathOfTheReferralRecordInOrder() throws IOException {
        List<String> documented = new ArrayList<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("mappings/README.md")) {
            assertThat(in).as("mappings/README.md on the classpath").isNotNull();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(line -> {
                Matcher row = ROW.matcher(line);
                if (row.find()) {
                    documented.add(row.group(1) + " : " + row.group(2));
                }
            });
        }

        List<String> actual = CanonicalShape.REFERRAL.paths().stream()
                .map(path -> path + " : " + CanonicalShape.REFERRAL
                        .resolve(JsonPointer.compile(path.replace("*", "0"))).orElseThrow().javaType())
                .toList();

        assertThat(documented).containsExactlyElementsOf(actual);
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
}
