package io.github.spfhir.adapter.domain.directory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * An Open Referral UK service record (v3, the HSDS 3.0 UK profile; or v1) as FHIR R4: HealthcareService +
 * Organization + Locations, following the HL7 Human Services Directory IG's HSDS mapping (see docs/directories.md). Plain Java:
 * no I/O, no clock, no framework; the same record always gives the same resources.
 *
 * <p>Taxonomy terms are taken as the source sends them (code, else id; name as display): a term with no
 * parent ({@code parent_id} in v3 {@code attributes[].taxonomy_term}, {@code parent} in v1
 * {@code service_taxonomys[].taxonomy}) becomes a {@code category}, a child term a {@code type}. Nothing is
 * invented.
 */
public final class HsdsToFhirMapper {

    private HsdsToFhirMapper() {
    }

    /**
     * @param sourceId the source's id in our configuration ({@code adapter.directories.<source-id>})
     * @param service  one service record as the source sent it
     * @throws InvalidDirectoryRecordException when the record has no id or no organisation to attach it to
     */
    public static MappedService map(String sourceId, JsonNode service) {
        if (service == null || !service.isObject()) {
            throw new InvalidDirectoryRecordException("record is not a JSON object");
        }
        String serviceId = text(service, "id");
        if (serviceId == null) {
            throw new InvalidDirectoryRecordException("id missing");
        }
        JsonNode org = service.path("organization");
        String organizationId = text(org, "id") != null ? text(org, "id") : text(service, "organization_id");
        if (organizationId == null) {
            throw new InvalidDirectoryRecordException("organization_id missing");
        }
        String system = DirectoryIds.identifierSystem(sourceId);

        Organization organization = organization(sourceId, system, organizationId, org);

        List<Location> locations = new ArrayList<>();
        for (JsonNode sal : service.path("service_at_locations")) {
            JsonNode location = sal.path("location");
            String locationId = text(location, "id") != null ? text(location, "id") : text(sal, "location_id");
            if (locationId != null && location.isObject()) {
                locations.add(location(sourceId, system, locationId, location, organization));
            }
        }

        HealthcareService hs = new HealthcareService();
        hs.setId(DirectoryIds.of("HealthcareService", sourceId, serviceId));
        hs.getMeta().addProfile(Profiles.HEALTHCARE_SERVICE);
        hs.addIdentifier(new Identifier().setSystem(system).setValue(serviceId));
        String status = text(service, "status");
        if (status != null) {
            hs.setActive("active".equals(status.toLowerCase(Locale.ROOT)));
        }
        hs.setProvidedBy(reference(organization).setDisplay(organization.getName()));
        for (JsonNode attribute : service.path("attributes")) { // ORUK v3
            JsonNode term = attribute.path("taxonomy_term");
            Coding coding = taxonomyCoding(sourceId, term, "taxonomy");
            if (coding != null) {
                (text(term, "parent_id") == null ? hs.addCategory() : hs.addType()).addCoding(coding);
            }
        }
        for (JsonNode serviceTaxonomy : service.path("service_taxonomys")) { // ORUK v1
            JsonNode taxonomy = serviceTaxonomy.path("taxonomy");
            Coding coding = taxonomyCoding(sourceId, taxonomy, "vocabulary");
            if (coding != null) {
                (text(taxonomy, "parent") == null ? hs.addCategory() : hs.addType()).addCoding(coding);
            }
        }
        for (Location location : locations) {
            hs.addLocation(reference(location));
        }
        hs.setName(text(service, "name"));
        hs.setComment(text(service, "description"));
        telecom(service, hs.getTelecom());
        return new MappedService(serviceId, hs, organization, locations);
    }

    private static Organization organization(String sourceId, String system, String organizationId, JsonNode org) {
        Organization organization = new Organization();
        organization.setId(DirectoryIds.of("Organization", sourceId, organizationId));
        organization.addIdentifier(new Identifier().setSystem(system).setValue(organizationId));
        organization.setActive(true);
        organization.setName(text(org, "name"));
        if (text(org, "email") != null) {
            organization.addTelecom(contact(ContactPoint.ContactPointSystem.EMAIL, text(org, "email")));
        }
        String website = text(org, "website") != null ? text(org, "website") : text(org, "url"); // v3, v1
        if (website != null) {
            organization.addTelecom(contact(ContactPoint.ContactPointSystem.URL, website));
        }
        return organization;
    }

    private static Location location(String sourceId, String system, String locationId, JsonNode source,
            Organization organization) {
        Location location = new Location();
        location.setId(DirectoryIds.of("Location", sourceId, locationId));
        location.addIdentifier(new Identifier().setSystem(system).setValue(locationId));
        location.setStatus(Location.LocationStatus.ACTIVE);
        location.setName(text(source, "name"));
        location.setDescription(text(source, "description"));
        location.setMode(Location.LocationMode.INSTANCE);
        // v3: addresses[] with address_type; v1: physical_addresses[]
        JsonNode address = firstAddress(source.path("addresses"));
        JsonNode physical = firstAddress(source.path("physical_addresses"));
        if (address != null) {
            location.setAddress(address(address));
        } else if (physical != null) {
            location.setAddress(address(physical).setType(Address.AddressType.PHYSICAL));
        }
        BigDecimal latitude = decimal(source.path("latitude"));
        BigDecimal longitude = decimal(source.path("longitude"));
        if (latitude != null && longitude != null) {
            location.getPosition().setLatitude(latitude).setLongitude(longitude);
        }
        location.setManagingOrganization(reference(organization));
        return location;
    }

    /** The first physical address, else the first of any type. */
    private static JsonNode firstAddress(JsonNode addresses) {
        JsonNode first = null;
        for (JsonNode a : addresses) {
            if (first == null) {
                first = a;
            }
            if ("physical".equalsIgnoreCase(text(a, "address_type"))) {
                return a;
            }
        }
        return first;
    }

    private static Address address(JsonNode source) {
        Address address = new Address().setUse(Address.AddressUse.WORK);
        String type = text(source, "address_type");
        if ("physical".equalsIgnoreCase(type)) {
            address.setType(Address.AddressType.PHYSICAL);
        } else if ("postal".equalsIgnoreCase(type)) {
            address.setType(Address.AddressType.POSTAL);
        }
        for (String line : List.of("address_1", "address_2")) {
            if (text(source, line) != null) {
                address.addLine(text(source, line));
            }
        }
        address.setCity(text(source, "city"));
        address.setDistrict(text(source, "region"));
        address.setState(text(source, "state_province"));
        address.setPostalCode(text(source, "postal_code"));
        address.setCountry(text(source, "country"));
        return address;
    }

    /** A taxonomy term as a coding; {@code taxonomyField} names the term's taxonomy (v3 {@code taxonomy}, v1 {@code vocabulary}). */
    private static Coding taxonomyCoding(String sourceId, JsonNode term, String taxonomyField) {
        if (!term.isObject()) {
            return null;
        }
        String code = text(term, "code") != null ? text(term, "code") : text(term, "id");
        if (code == null) {
            return null;
        }
        String taxonomy = text(term, taxonomyField) != null ? text(term, taxonomyField) : text(term, "taxonomy_id");
        return new Coding(DirectoryIds.taxonomySystem(sourceId, taxonomy == null ? "unnamed" : taxonomy), code,
                text(term, "name"));
    }

    private static void telecom(JsonNode service, List<ContactPoint> telecom) {
        Set<String> numbers = new LinkedHashSet<>();
        for (JsonNode phone : service.path("phones")) {
            if (text(phone, "number") != null) {
                numbers.add(text(phone, "number"));
            }
        }
        numbers.forEach(n -> telecom.add(contact(ContactPoint.ContactPointSystem.PHONE, n)));
        if (text(service, "email") != null) {
            telecom.add(contact(ContactPoint.ContactPointSystem.EMAIL, text(service, "email")));
        }
        if (text(service, "url") != null) {
            telecom.add(contact(ContactPoint.ContactPointSystem.URL, text(service, "url")));
        }
    }

    private static ContactPoint contact(ContactPoint.ContactPointSystem system, String value) {
        return new ContactPoint().setSystem(system).setValue(value).setUse(ContactPoint.ContactPointUse.WORK);
    }

    private static Reference reference(org.hl7.fhir.r4.model.Resource resource) {
        return new Reference(resource.fhirType() + "/" + resource.getIdElement().getIdPart());
    }

    private static BigDecimal decimal(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            try {
                return new BigDecimal(node.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A field's text, trimmed; null when absent, null, not a scalar or blank. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }
}
