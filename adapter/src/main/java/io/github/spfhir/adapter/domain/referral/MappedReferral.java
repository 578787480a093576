package io.github.spfhir.adapter.domain.referral;

import java.util.List;

import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * What one referral message becomes: the FHIR resources we emit and the canonical referral the destination
 * mappings read.
 */
public record MappedReferral(
        RoutedReferral routed,
        ServiceRequest serviceRequest,
        Task task,
        Patient patient,
        Referral referral) {

    /** The emitted resources in a fixed order: Patient, ServiceRequest, Task. */
    public List<Resource> resources() {
        return List.of(patient, serviceRequest, task);
    }
}
