package io.github.spfhir.adapter.support;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;

/** Reads a FHIR answer as JSON whichever encoding it came in (XML requests are answered in XML). */
public final class FhirResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FhirResponses() {
    }

    public static JsonNode asJson(HttpResponse<String> response) {
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        try {
            if (!contentType.contains("xml")) {
                return JSON.readTree(response.body());
            }
            FhirContext fhir = FhirContext.forR4Cached();
            return JSON.readTree(fhir.newJsonParser().encodeResourceToString(fhir.newXmlParser().parseResource(response.body())));
        } catch (Exception e) {
            throw new AssertionError("not FHIR (" + contentType + "): " + response.body(), e);
        }
    }
}
