package io.github.spfhir.adapter.domain.referral;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.TestConfigurations;

/** Builds the InboundMessage a fixture file and its headers would arrive as. */
final class InboundMessageFixtures {

    private InboundMessageFixtures() {
    }

    static InboundMessage inbound(Path bundleFile, Map<String, String> headers) {
        try {
            String contentType = Fixtures.contentType(bundleFile);
            InboundMessage.TargetIdentifier target = null;
            String encodedTarget = headers.get("NHSD-Target-Identifier");
            if (encodedTarget != null) {
                JsonNode node = new ObjectMapper().readTree(Base64.getDecoder().decode(encodedTarget));
                target = new InboundMessage.TargetIdentifier(node.get("system").asText(), node.get("value").asText());
            }
            return new InboundMessage("message-" + headers.get("X-Request-ID"), headers.get("X-Request-ID"),
                    headers.get("X-Correlation-ID"), target,
                    contentType.endsWith("xml") ? InboundMessage.FhirFormat.XML : InboundMessage.FhirFormat.JSON,
                    contentType, headers, Files.readString(bundleFile, StandardCharsets.UTF_8), TestConfigurations.NOW);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
