package io.github.spfhir.adapter.inbound.http;

import java.util.Map;
import java.util.Optional;

import java.time.Clock;
import java.util.Date;

import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceInteractionComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.outcome.OutcomeProfiles;
import io.github.spfhir.adapter.domain.referral.BarsReferralReader;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.inbound.security.SecurityCapability;

/**
 * The CapabilityStatement served at /fhir/metadata. It lists exactly what the controllers implement, so a client
 * that trusts it is never surprised; {@code CapabilityStatementTest} checks it against the endpoints.
 */
@Component
public class CapabilityStatementFactory {

    /** The profile each searchable type's resources conform to. */
    private static final Map<String, String> PROFILES = Map.of(
            "ServiceRequest", Profiles.SERVICE_REQUEST,
            "Task", Profiles.TASK);

    private final Clock clock;
    private final String baseUrl;
    private final SecurityCapability security;

    public CapabilityStatementFactory(Clock clock, AdapterProperties properties, SecurityCapability security) {
        this.clock = clock;
        this.baseUrl = properties.fhir().baseUrl();
        this.security = security;
    }

    public CapabilityStatement capabilityStatement() {
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(PublicationStatus.ACTIVE);
        cs.setDate(Date.from(clock.instant()));
        cs.setPublisher("sp-fhir-adapter");
        cs.setKind(CapabilityStatementKind.INSTANCE);
        cs.getSoftware().setName("sp-fhir-adapter");
        cs.getImplementation().setDescription("Social prescribing FHIR adapter").setUrl(baseUrl);
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.addFormat("application/fhir+json");
        cs.addFormat("application/fhir+xml");

        CapabilityStatement.CapabilityStatementRestComponent rest = cs.addRest();
        rest.setMode(RestfulCapabilityMode.SERVER);
        security.describe(rest);
        rest.addOperation().setName("process-message")
                .setDefinition("http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message");
        SearchParameters.BY_TYPE.forEach((type, parameters) -> {
            CapabilityStatement.CapabilityStatementRestResourceComponent resource = rest.addResource().setType(type)
                    .addInteraction(read())
                    .addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.VREAD))
                    .addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.HISTORYINSTANCE))
                    .addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.SEARCHTYPE));
            Optional.ofNullable(PROFILES.get(type)).ifPresent(resource::setProfile);
            if (type.equals("Task")) {
                // FhirTaskUpdateController: the link-worker platform a referral was sent to reports on it
                resource.addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.UPDATE)
                        .setDocumentation("By the link-worker platform the referral was sent to: status,"
                                + " businessStatus and output changes are applied as events under the Task state"
                                + " machine (an illegal change is 422). X-Request-ID (a UUID) is required and is the"
                                + " event id; If-Match (W/\"n\") is honoured (412 when stale). No create."))
                        .setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE)
                        .setUpdateCreate(false);
            }
            if (type.equals("Observation")) {
                // FhirObservationCreateController: the link-worker platform a referral was sent to records a measure
                resource.addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.CREATE)
                        .setDocumentation("By the link-worker platform the referral was sent to: an outcome measure"
                                + " basedOn the referral's ServiceRequest, its code one of the measures of "
                                + OutcomeProfiles.MEASURES_VALUE_SET + ", valueInteger or valueQuantity,"
                                + " effectiveDateTime with an offset. Range-checked (422) and applied as an event:"
                                + " listed in Task.output. X-Request-ID (a UUID) is required and is the event id: the"
                                + " same X-Request-ID again is answered 200 with the Observation stored the first"
                                + " time. What is stored is the adapter's own Observation (its id, profile "
                                + OutcomeProfiles.OBSERVATION + "), not the one posted."))
                        .setConditionalCreate(false);
            }
            parameters.forEach(p -> resource.addSearchParam().setName(p.name()).setType(p.type())
                    .setDocumentation(p.documentation()));
        });
        rest.addResource().setType("Patient").setProfile(Profiles.PATIENT).addInteraction(read())
                .addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.HISTORYINSTANCE));
        CapabilityStatement.CapabilityStatementRestResourceComponent service = rest.addResource()
                .setType("HealthcareService").setProfile(Profiles.HEALTHCARE_SERVICE).addInteraction(read())
                .addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.SEARCHTYPE));
        service.addSearchParam().setName("name").setType(Enumerations.SearchParamType.STRING)
                .setDocumentation("The name starts with this, ignoring case");
        service.addSearchParam().setName("service-category").setType(Enumerations.SearchParamType.TOKEN)
                .setDocumentation("A category: code or system|code, as the source directory's taxonomy has it");
        service.addSearchParam().setName("service-type").setType(Enumerations.SearchParamType.TOKEN)
                .setDocumentation("A type: code or system|code, as the source directory's taxonomy has it");
        service.addSearchParam().setName("organization").setType(Enumerations.SearchParamType.REFERENCE)
                .setDocumentation("The providing Organization: Organization/{id} or {id}");
        service.addSearchParam().setName("location").setType(Enumerations.SearchParamType.REFERENCE)
                .setDocumentation("A Location of the service: Location/{id} or {id}. Chained through the service's"
                        + " locations: " + HealthcareServiceController.LOCATION_NEAR + "=" + NearSearchParameters.NEAR_VALUE
                        + ": services with a location within the distance, nearest first, each with the distance of"
                        + " its nearest location (extension location-distance on Bundle.entry.search); "
                        + HealthcareServiceController.LOCATION_NEAR_POSTCODE + "=" + NearSearchParameters.NEAR_POSTCODE_VALUE
                        + ": the same from a postcode's position; and "
                        + HealthcareServiceController.LOCATION_POSTAL_CODE + "=: "
                        + NearSearchParameters.POSTAL_CODE_DOCUMENTATION.replace("The postal code", "a location's postal code"));
        service.addSearchParam().setName("active").setType(Enumerations.SearchParamType.TOKEN)
                .setDocumentation("true or false; services no longer listed by their source are false");
        HealthcareServiceController.INCLUDES.forEach(service::addSearchInclude);
        CapabilityStatement.CapabilityStatementRestResourceComponent organization = rest.addResource()
                .setType("Organization").addInteraction(read())
                .addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.SEARCHTYPE))
                .setDocumentation("Organisations providing directory services");
        organization.addSearchParam().setName(OrganizationSearchController.NAME)
                .setType(Enumerations.SearchParamType.STRING)
                .setDefinition("http://hl7.org/fhir/SearchParameter/Organization-name")
                .setDocumentation("The name starts with this, ignoring case");
        organization.addSearchParam().setName(OrganizationSearchController.IDENTIFIER)
                .setType(Enumerations.SearchParamType.TOKEN)
                .setDefinition("http://hl7.org/fhir/SearchParameter/Organization-identifier")
                .setDocumentation("An identifier: system|value or value (the directory's: system "
                        + "https://spfhir.github.io/fhir/Id/directory/<source-id>, the source's id for it)");
        CapabilityStatement.CapabilityStatementRestResourceComponent location = rest.addResource().setType("Location")
                .addInteraction(read())
                .addInteraction(new ResourceInteractionComponent().setCode(TypeRestfulInteraction.SEARCHTYPE))
                .setDocumentation("Where directory services are delivered");
        location.addSearchParam().setName(LocationSearchController.NEAR).setType(Enumerations.SearchParamType.SPECIAL)
                .setDefinition(NearSearchParameters.NEAR_DEFINITION)
                .setDocumentation(NearSearchParameters.NEAR_DOCUMENTATION);
        location.addSearchParam().setName(LocationSearchController.NEAR_POSTCODE)
                .setType(Enumerations.SearchParamType.SPECIAL)
                .setDocumentation(NearSearchParameters.NEAR_POSTCODE_DOCUMENTATION);
        location.addSearchParam().setName(LocationSearchController.POSTAL_CODE).setType(Enumerations.SearchParamType.STRING)
                .setDefinition(NearSearchParameters.POSTAL_CODE_DEFINITION)
                .setDocumentation(NearSearchParameters.POSTAL_CODE_DOCUMENTATION);

        CapabilityStatement.CapabilityStatementMessagingComponent messaging = cs.addMessaging();
        messaging.addSupportedMessage().setMode(CapabilityStatement.EventCapabilityMode.RECEIVER)
                .setDefinition("https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-request-referral");
        messaging.addSupportedMessage().setMode(CapabilityStatement.EventCapabilityMode.RECEIVER)
                .setDefinition("https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-referral");
        messaging.setDocumentation("Receives BaRS " + BarsReferralReader.EVENT_REFERRAL_REQUEST + " messages ("
                + new Coding().setSystem(BarsReferralReader.BARS_EVENT_SYSTEM).getSystem()
                + ") with reason 'new', answering synchronously with " + BarsReferralReader.EVENT_REFERRAL_RESPONSE
                + "; and " + BarsReferralReader.EVENT_REFERRAL_RESPONSE + " messages from the link-worker platform a"
                + " referral was sent to (accepted, declined or cancelled, from the Task or ServiceRequest in focus),"
                + " applied to the referral's Task and answered with an informational OperationOutcome");
        return cs;
    }

    private static ResourceInteractionComponent read() {
        return new ResourceInteractionComponent().setCode(TypeRestfulInteraction.READ);
    }
}
