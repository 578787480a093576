package io.github.spfhir.adapter.domain.directory;

import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * One record of a DEWIS Cymru export as FHIR: HealthcareService + Organization + (when it has an address) one
 * Location, with Welsh and English side by side. The English text is the element's value and the Welsh its
 * translation (FHIR translation extension, {@code lang} {@code cy}); a text held only in Welsh is the value.
 * Every record in the export is taken as published, so active. Plain Java; the fields come from
 * {@link DewisExportMapping}.
 */
public final class DewisExportMapper {

    private final DewisExportMapping mapping;

    public DewisExportMapper(DewisExportMapping mapping) {
        this.mapping = mapping;
    }

    public MappedService map(String sourceId, JsonNode record) {
        if (record == null || !record.isObject()) {
            throw new InvalidDirectoryRecordException("record is not a JSON object");
        }
        String id = single(record, "id");
        if (id == null) {
            throw new InvalidDirectoryRecordException("id missing");
        }
        String organisationId = single(record, "organisation-id");
        if (organisationId == null) {
            throw new InvalidDirectoryRecordException("organisation-id missing");
        }
        String system = DirectoryIds.identifierSystem(sourceId);

        Organization organization = new Organization();
        organization.setId(DirectoryIds.of("Organization", sourceId, organisationId));
        organization.addIdentifier(new Identifier().setSystem(system).setValue(organisationId));
        organization.setActive(true);
        bilingual(record, "organisation-name", organization.getNameElement());

        List<Location> locations = List.of();
        String line = single(record, "address-line");
        String town = single(record, "town");
        String postcode = single(record, "postcode");
        if (line != null || town != null || postcode != null) {
            Location location = new Location();
            location.setId(DirectoryIds.of("Location", sourceId, id));
            location.addIdentifier(new Identifier().setSystem(system).setValue(id));
            location.setStatus(Location.LocationStatus.ACTIVE);
            location.setMode(Location.LocationMode.INSTANCE);
            Address address = location.getAddress().setUse(Address.AddressUse.WORK).setType(Address.AddressType.PHYSICAL);
            if (line != null) {
                address.addLine(line);
            }
            address.setCity(town).setPostalCode(postcode);
            location.setManagingOrganization(new Reference("Organization/" + organization.getIdElement().getIdPart()));
            locations = List.of(location);
        }

        HealthcareService service = new HealthcareService();
        service.setId(DirectoryIds.of("HealthcareService", sourceId, id));
        service.getMeta().addProfile(Profiles.HEALTHCARE_SERVICE);
        service.addIdentifier(new Identifier().setSystem(system).setValue(id));
        service.setActive(true);
        service.setProvidedBy(new Reference("Organization/" + organization.getIdElement().getIdPart())
                .setDisplay(organization.getName()));
        locations.forEach(l -> service.addLocation(new Reference("Location/" + l.getIdElement().getIdPart())));
        bilingual(record, "name", service.getNameElement());
        bilingual(record, "description", service.getCommentElement());
        contact(service, ContactPoint.ContactPointSystem.PHONE, single(record, "phone"));
        contact(service, ContactPoint.ContactPointSystem.EMAIL, single(record, "email"));
        contact(service, ContactPoint.ContactPointSystem.URL, single(record, "website"));
        return new MappedService(id, service, organization, locations);
    }

    private void bilingual(JsonNode record, String field, StringType element) {
        Map<String, JsonPointer> languages = mapping.bilingual().getOrDefault(field, Map.of());
        String english = languages.containsKey(Translations.ENGLISH) ? at(record, languages.get(Translations.ENGLISH)) : null;
        String welsh = languages.containsKey(Translations.WELSH) ? at(record, languages.get(Translations.WELSH)) : null;
        if (english != null) {
            element.setValue(english);
            Translations.add(element, Translations.WELSH, welsh);
        } else if (welsh != null) {
            element.setValue(welsh);
        }
    }

    private static void contact(HealthcareService service, ContactPoint.ContactPointSystem system, String value) {
        if (value != null) {
            service.addTelecom().setSystem(system).setValue(value).setUse(ContactPoint.ContactPointUse.WORK);
        }
    }

    private String single(JsonNode record, String field) {
        JsonPointer pointer = mapping.fields().get(field);
        return pointer == null ? null : at(record, pointer);
    }

    private static String at(JsonNode record, JsonPointer pointer) {
        JsonNode value = record.at(pointer);
        if (value.isMissingNode() || value.isNull() || !value.isValueNode()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() ? null : text;
    }
}
