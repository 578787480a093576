package io.github.spfhir.adapter.inbound.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.config.FhirConfiguration;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.support.Fixtures;

/**
 * {@link FhirFormats#encode(Bundle, FhirFormat, Map)}: a Bundle whose entries' resources were encoded before is the
 * same text as HAPI's encoding of the whole Bundle, for every resource of the referral golden files.
 */
class FhirFormatsTest {

    private static final FhirContext FHIR = FhirConfiguration.sharedFhirContext();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FhirFormats formats = new FhirFormats(FHIR);

    static Stream<Path> goldenReferrals() throws IOException {
        return Files.list(Fixtures.path("referral-to-link-worker/valid"))
                .filter(p -> p.getFileName().toString().endsWith(".expected.json")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenReferrals")
    void aResponseWithItsResourcesEncodedBeforeIsTheSameTextAsHapisEncoding(Path golden) {
        List<Resource> resources = resources(golden);
        Bundle bundle = responseLike(resources);
        Map<IBaseResource, String> encoded = new IdentityHashMap<>();
        resources.forEach(r -> encoded.put(r, FHIR.newJsonParser().encodeResourceToString(r)));

        String spliced = formats.encode(bundle, FhirFormat.JSON, encoded);

        assertThat(spliced).isEqualTo(formats.encode(bundle, FhirFormat.JSON));
        assertThat(bundle.getEntry()).extracting(Bundle.BundleEntryComponent::getResource)
                .as("the Bundle is left as it was").containsExactly(bundle.getEntry().get(0).getResource(),
                        resources.get(0), resources.get(1), resources.get(2));
    }

    @Test
    void theGivenJsonIsWhatIsSentSoItMustBeTheResourcesOwn() throws IOException {
        // what shows that the resources are not encoded again: JSON given for one is put in as it is
        List<Resource> resources = resources(goldenReferrals().findFirst().orElseThrow());
        Bundle bundle = responseLike(resources);
        Map<IBaseResource, String> encoded = new IdentityHashMap<>();
        encoded.put(resources.get(1), "{\"resourceType\":\"ServiceRequest\",\"id\":\"as-stored\"}");

        JsonNode answer = readTree(formats.encode(bundle, FhirFormat.JSON, encoded));

        assertThat(answer.get("entry").get(2).get("resource").get("id").asText()).isEqualTo("as-stored");
        assertThat(answer.get("entry").get(2).get("fullUrl").asText()).isEqualTo(bundle.getEntry().get(2).getFullUrl());
        assertThat(answer.get("entry").get(1).get("resource").get("resourceType").asText()).isEqualTo("Patient");
        assertThat(answer.get("timestamp").asText()).isEqualTo("2026-12-07T10:00:00.000Z");
    }

    @Test
    void xmlAndEntriesWithMoreThanAFullUrlAreEncodedByHapiAsBefore() throws IOException {
        List<Resource> resources = resources(goldenReferrals().findFirst().orElseThrow());
        Bundle bundle = responseLike(resources);
        bundle.getEntry().get(1).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl("Patient/p1");
        Map<IBaseResource, String> wrong = new IdentityHashMap<>();
        resources.forEach(r -> wrong.put(r, "{\"resourceType\":\"Basic\"}"));

        assertThat(formats.encode(bundle, FhirFormat.XML, wrong)).isEqualTo(formats.encode(bundle, FhirFormat.XML));
        JsonNode answer = readTree(formats.encode(bundle, FhirFormat.JSON, wrong));
        assertThat(answer.get("entry").get(1).get("resource").get("resourceType").asText())
                .as("an entry with a request is HAPI's").isEqualTo("Patient");
        assertThat(answer.get("entry").get(2).get("resource").get("resourceType").asText()).isEqualTo("Basic");
        assertThat(answer.get("entry").get(1).get("request").get("method").asText()).isEqualTo("PUT");
    }

    @Test
    void decimalsAndTextOfTheBundleItselfAreKeptAsHapiWritesThem() {
        Observation observation = new Observation();
        observation.setId("o1");
        observation.getValueQuantity().setValue(new java.math.BigDecimal("12.50"));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        bundle.addEntry().setFullUrl("urn:uuid:1").setResource(observation);
        MessageHeader header = new MessageHeader();
        header.getSource().setName("Ysbyty \u201cGwynedd\u201d / \\ \u2028 <tag>");
        bundle.addEntry().setFullUrl("urn:uuid:2").setResource(header);
        Map<IBaseResource, String> encoded = new IdentityHashMap<>();
        encoded.put(observation, FHIR.newJsonParser().encodeResourceToString(observation));

        assertThat(formats.encode(bundle, FhirFormat.JSON, encoded)).isEqualTo(formats.encode(bundle, FhirFormat.JSON))
                .contains("12.50");
    }

    /** Patient, ServiceRequest and Task of a golden file, as the mapper made them. */
    private static List<Resource> resources(Path golden) {
        JsonNode expected = readTree(read(golden));
        return Stream.of("patient", "serviceRequest", "task")
                .map(name -> (Resource) FHIR.newJsonParser().parseResource(expected.get(name).toString())).toList();
    }

    /** A message Bundle as the referral response is made: a header, then the resources with their fullUrls. */
    private static Bundle responseLike(List<Resource> resources) {
        MessageHeader header = new MessageHeader();
        header.setId("h1");
        header.getEventCoding().setSystem("https://fhir.nhs.uk/CodeSystem/message-events-bars")
                .setCode("servicerequest-response");
        resources.forEach(r -> header.addFocus(new Reference(r.fhirType() + "/" + r.getIdElement().getIdPart())));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.MESSAGE);
        bundle.setId("b1");
        bundle.setTimestampElement(new org.hl7.fhir.r4.model.InstantType("2026-12-07T10:00:00.000Z"));
        bundle.addEntry().setFullUrl("http://localhost/fhir/MessageHeader/h1").setResource(header);
        resources.forEach(r -> bundle.addEntry()
                .setFullUrl("http://localhost/fhir/" + r.fhirType() + "/" + r.getIdElement().getIdPart()).setResource(r));
        return bundle;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
