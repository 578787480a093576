package io.github.spfhir.adapter.domain.dataplatform;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.referral.DeterministicIds;
import io.github.spfhir.adapter.domain.referral.PlannedDelivery;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Renders what each enabled data platform gets for one change to a referral: a transaction of conditional
 * updates of the referral's current resources (Patient, ServiceRequest, Task, and whatever the change added),
 * pseudonymised where the platform is configured so. Each publication carries the referral's whole current state,
 * so a platform that missed one is put right by the next. A pseudonymised Patient is validated against its own
 * profile (no name, address or contact), the control against identity leaking to a platform.
 */
@Component
public class DataPlatformPlanner {

    private static final Logger LOG = LoggerFactory.getLogger(DataPlatformPlanner.class);
    private static final int MIN_KEY_LENGTH = 32;

    private final Map<String, Platform> platforms = new LinkedHashMap<>();
    private final FhirProfileValidator validator;
    private final FhirContext fhirContext;

    private record Platform(String id, boolean pseudonymise, DataPlatformBundleBuilder builder) {
    }

    public DataPlatformPlanner(AdapterProperties properties, FhirProfileValidator validator, FhirContext fhirContext) {
        this.validator = validator;
        this.fhirContext = fhirContext;
        properties.dataPlatforms().forEach((id, platform) -> {
            if (platform.enabled()) {
                Pseudonymiser pseudonymiser = platform.pseudonymise()
                        ? new Pseudonymiser(key(id, platform, properties.simulator().enabled())) : null;
                platforms.put(id, new Platform(id, platform.pseudonymise(),
                        new DataPlatformBundleBuilder(properties.fhir().baseUrl(), pseudonymiser)));
            }
        });
    }

    /**
     * The pseudonym key: the configured secret, or in the embedded demo only an ephemeral random one (pseudonyms
     * then change at each restart, which is why a real deployment must set it).
     */
    private static byte[] key(String id, AdapterProperties.DataPlatform platform, boolean demo) {
        String configured = platform.pseudonymKey();
        if (configured != null && !configured.isBlank()) {
            byte[] key = configured.getBytes(StandardCharsets.UTF_8);
            if (key.length < MIN_KEY_LENGTH) {
                throw new IllegalStateException("adapter.data-platforms." + id + ".pseudonym-key must be at least "
                        + MIN_KEY_LENGTH + " bytes");
            }
            return key;
        }
        if (!demo) {
            throw new IllegalStateException("adapter.data-platforms." + id + ".pseudonym-key is not set: set it from a "
                    + "secret (at least " + MIN_KEY_LENGTH + " bytes), or set pseudonymise=false if this platform may "
                    + "receive identifiable data");
        }
        LOG.warn("Data platform {}: no pseudonym key set; using an ephemeral random key (embedded demo only: "
                + "pseudonyms change at each restart)", id);
        byte[] key = new byte[MIN_KEY_LENGTH];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * One delivery per enabled data platform.
     *
     * @param changeKey what makes this change unique for the referral (a referral's first message, an event id)
     * @param resources the referral's current resources to publish, referenced ones first (Patient, ServiceRequest,
     *                  Task, then the rest)
     */
    public List<PlannedDelivery> plan(String changeKey, List<? extends Resource> resources) {
        List<PlannedDelivery> deliveries = new ArrayList<>();
        for (Platform platform : platforms.values()) {
            Bundle transaction = platform.builder().build(resources, platform.pseudonymise());
            if (platform.pseudonymise()) {
                requirePseudonymisedPatientsValid(transaction);
            }
            String deliveryId = DeterministicIds.of("Delivery", "data-platform|" + platform.id() + "|" + changeKey);
            deliveries.add(new PlannedDelivery(deliveryId, DeliveryFlow.DATA_PLATFORM_PUBLISHING, platform.id(),
                    deliveryId, "application/fhir+json", fhirContext.newJsonParser().encodeResourceToString(transaction)));
        }
        return deliveries;
    }

    private void requirePseudonymisedPatientsValid(Bundle transaction) {
        for (Bundle.BundleEntryComponent entry : transaction.getEntry()) {
            if (entry.getResource() instanceof Patient patient) {
                List<Problem> errors = validator.validate(patient, DataPlatformIds.PSEUDONYMISED_PATIENT_PROFILE).errors();
                if (!errors.isEmpty()) {
                    // never sent: a Patient that fails this profile could identify the person
                    throw new RejectedMessageException(RejectionReason.PROCESSING_ERROR, errors);
                }
            }
        }
    }
}
