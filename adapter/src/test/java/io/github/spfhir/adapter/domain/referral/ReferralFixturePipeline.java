package io.github.spfhir.adapter.domain.referral;

import io.github.spfhir.adapter.domain.dataplatform.DataPlatformPlanner;

import java.util.Map;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.platform.FhirTransactionMapper;
import io.github.spfhir.adapter.domain.platform.PlatformMappings;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.TestConfigurations;

/** Runs a fixture referral through the domain steps (without validation) to get what the store is given. */
public final class ReferralFixturePipeline {

    private ReferralFixturePipeline() {
    }

    public static AcceptedReferral accepted(String folder, String scenario, Map<String, String> headers,
            String bodyReplacementFrom, String bodyReplacementTo) {
        FhirContext fhirContext = FhirContext.forR4Cached();
        AdapterProperties properties = TestConfigurations.properties("http://partner.test");
        InboundMessage fromFile = InboundMessageFixtures.inbound(Fixtures.bundleFile(folder, scenario), headers);
        InboundMessage inbound = new InboundMessage(java.util.UUID.randomUUID().toString(), fromFile.requestId(),
                fromFile.correlationId(), fromFile.targetIdentifier(), fromFile.format(), fromFile.contentType(),
                fromFile.headers(), fromFile.body().replace(bodyReplacementFrom, bodyReplacementTo), fromFile.receivedAt());
        MappedReferral mapped = new ReferralMapper(TestConfigurations.fixedClock()).map(
                new DestinationResolver(properties).resolve(new BarsReferralReader(TestConfigurations.fixedClock())
                        .read(new ReferralBundleParser(fhirContext).parse(inbound))));
        return new DeliveryPlanner(new PlatformMappings(), new FhirTransactionMapper(), fhirContext,
                new DataPlatformPlanner(properties, null, fhirContext)).plan(mapped);
    }
}
