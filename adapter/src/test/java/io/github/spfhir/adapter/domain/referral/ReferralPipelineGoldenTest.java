package io.github.spfhir.adapter.domain.referral;

import io.github.spfhir.adapter.domain.dataplatform.DataPlatformPlanner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.platform.FhirTransactionMapper;
import io.github.spfhir.adapter.domain.platform.PlatformMappings;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.GoldenFiles;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Golden files for the referral mapping, without Camel or HTTP: each
 * {@code test-fixtures/referral-to-link-worker/valid/<scenario>.bundle.*} becomes exactly
 * {@code <scenario>.expected.json}: the ServiceRequest, Task and Patient we emit (validated against our profiles)
 * and the payload each destination receives. Ids and clock are fixed, so the output is reproducible.
 */
class ReferralPipelineGoldenTest {

    private static final String FOLDER = "referral-to-link-worker/valid";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FhirContext fhirContext;
    private static ReferralBundleParser parser;
    private static BarsReferralReader reader;
    private static DestinationResolver resolver;
    private static ReferralMapper mapper;
    private static ReferralOutputValidator validator;
    private static DeliveryPlanner planner;

    @BeforeAll
    static void buildPipeline() {
        fhirContext = FhirContext.forR4Cached();
        Clock clock = TestConfigurations.fixedClock();
        AdapterProperties properties = TestConfigurations.properties("http://partner.test");
        parser = new ReferralBundleParser(fhirContext);
        reader = new BarsReferralReader(clock);
        resolver = new DestinationResolver(properties);
        mapper = new ReferralMapper(clock);
        validator = new ReferralOutputValidator(new io.github.spfhir.adapter.domain.validation.EmittedResourceValidator(
                new FhirProfileValidator(fhirContext), new SimpleMeterRegistry()));
        // no data platform configured: the golden deliveries are the link-worker platform's
        planner = new DeliveryPlanner(new PlatformMappings(), new FhirTransactionMapper(), fhirContext,
                new DataPlatformPlanner(properties, null, fhirContext));
    }

    static List<String> scenarios() {
        return Fixtures.scenarios(FOLDER);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void mapsReferralToExpectedFhirAndPayloads(String scenario) throws Exception {
        Path bundleFile = Fixtures.bundleFile(FOLDER, scenario);
        Map<String, String> headers = Fixtures.headers(FOLDER, scenario);
        InboundMessage inbound = InboundMessageFixtures.inbound(bundleFile, headers);

        AcceptedReferral accepted = planner.plan(validator.requireValid(mapper.map(resolver.resolve(
                reader.read(parser.parse(inbound))))));

        ObjectNode actual = JSON.createObjectNode();
        actual.set("serviceRequest", JSON.readTree(encode(accepted.mapped().serviceRequest())));
        actual.set("task", JSON.readTree(encode(accepted.mapped().task())));
        actual.set("patient", JSON.readTree(encode(accepted.mapped().patient())));
        ArrayNode deliveries = actual.putArray("deliveries");
        for (PlannedDelivery delivery : accepted.deliveries()) {
            ObjectNode d = deliveries.addObject();
            d.put("destinationId", delivery.destinationId());
            d.put("idempotencyKey", delivery.idempotencyKey());
            d.put("contentType", delivery.contentType());
            d.set("payload", JSON.readTree(delivery.payload()));
        }
        GoldenFiles.assertMatches(bundleFile.resolveSibling(scenario + ".expected.json"), actual.toString());
        // the same input maps to the same output, byte for byte
        AcceptedReferral again = planner.plan(mapper.map(resolver.resolve(reader.read(parser.parse(inbound)))));
        org.assertj.core.api.Assertions.assertThat(again.deliveries().get(0).payload())
                .isEqualTo(accepted.deliveries().get(0).payload());
        org.assertj.core.api.Assertions.assertThat(Files.exists(bundleFile)).isTrue();
    }

    private static String encode(org.hl7.fhir.r4.model.Resource resource) {
        return fhirContext.newJsonParser().encodeResourceToString(resource);
    }
}
