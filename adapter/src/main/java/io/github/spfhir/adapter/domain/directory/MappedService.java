package io.github.spfhir.adapter.domain.directory;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;

/**
 * One directory service as FHIR: the HealthcareService, the Organization that provides it, and its Locations
 * (none when the record has none).
 *
 * @param sourceRecordId the service's id at the source (HSDS {@code id})
 */
public record MappedService(String sourceRecordId, HealthcareService healthcareService, Organization organization,
        List<Location> locations) {

    public MappedService {
        locations = List.copyOf(locations);
    }

    /** HealthcareService, then Organization, then the Locations in source order. */
    public List<Resource> resources() {
        List<Resource> all = new ArrayList<>();
        all.add(healthcareService);
        all.add(organization);
        all.addAll(locations);
        return all;
    }
}
