package io.github.spfhir.adapter.inbound.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

/**
 * The FHIR search parameters we answer for the referral resources, per type: one catalogue read by the search
 * endpoint and by the CapabilityStatement, so what we claim is what we do. Names are FHIR R4's.
 */
final class SearchParameters {

    /**
     * @param name          the parameter as a client writes it (with its modifier, e.g. {@code owner:identifier})
     * @param type          its FHIR type
     * @param targetType    for references: the type a bare id refers to ({@code patient=123} is {@code Patient/123})
     * @param documentation what it matches
     */
    record Parameter(String name, SearchParamType type, String targetType, String documentation) {
    }

    static final Map<String, List<Parameter>> BY_TYPE = new LinkedHashMap<>();

    static {
        BY_TYPE.put("ServiceRequest", List.of(
                token("identifier", "A sender's or our identifier: value or system|value"),
                token("status", "active | revoked | completed | ..."),
                reference("patient", "Patient", "The person referred: Patient/{id}"),
                reference("subject", "Patient", "As patient"),
                reference("based-on", "ServiceRequest", "For onward referrals: the social prescribing ServiceRequest"),
                reference("performer", "HealthcareService", "For onward referrals: HealthcareService/{id}")));
        BY_TYPE.put("Task", List.of(
                reference("focus", "ServiceRequest", "The ServiceRequest the Task fulfils: ServiceRequest/{id}"),
                reference("patient", "Patient", "The person referred: Patient/{id}"),
                token("status", "requested | accepted | rejected | in-progress | on-hold | completed | failed | cancelled"),
                token("business-status", "A stage of the local business-status code system: code or system|code"),
                reference("owner", "Organization", "The link-worker organisation, when referenced"),
                token("owner:identifier", "The link-worker organisation's ODS code: system|value or value"),
                token("identifier", "An identifier of the Task")));
        BY_TYPE.put("Observation", List.of(
                reference("based-on", "ServiceRequest", "The social prescribing ServiceRequest: ServiceRequest/{id}"),
                token("code", "The measure: code or system|code (e.g. http://snomed.info/sct|718426000 for WEMWBS)"),
                reference("patient", "Patient", "The person: Patient/{id}"),
                reference("subject", "Patient", "As patient"),
                token("status", "final | amended | ...")));
        BY_TYPE.put("QuestionnaireResponse", List.of(
                reference("patient", "Patient", "The person: Patient/{id}"),
                reference("subject", "Patient", "As patient"),
                reference("based-on", "ServiceRequest", "The social prescribing ServiceRequest")));
    }

    private SearchParameters() {
    }

    static Optional<Parameter> find(String resourceType, String name) {
        return BY_TYPE.getOrDefault(resourceType, List.of()).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    private static Parameter token(String name, String documentation) {
        return new Parameter(name, SearchParamType.TOKEN, null, documentation);
    }

    private static Parameter reference(String name, String targetType, String documentation) {
        return new Parameter(name, SearchParamType.REFERENCE, targetType, documentation);
    }
}
