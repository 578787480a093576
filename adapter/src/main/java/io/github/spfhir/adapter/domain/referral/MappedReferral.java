package io.github.spfhir.adapter.domain.referral;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * What one referral message becomes: the FHIR resources we emit and the canonical referral the destination
 * mappings read.
 *
 * @param validatedJson empty until the resources are validated; then each one's JSON as the validator read it, in the
 *                      order of {@link #resources()} (an element may be null: see {@link #validatedJson(int)})
 */
public record MappedReferral(
        RoutedReferral routed,
        ServiceRequest serviceRequest,
        Task task,
        Patient patient,
        Referral referral,
        List<String> validatedJson) {

    public MappedReferral {
        validatedJson = validatedJson == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(validatedJson));
    }

    /** Mapped, not validated yet. */
    public MappedReferral(RoutedReferral routed, ServiceRequest serviceRequest, Task task, Patient patient,
            Referral referral) {
        this(routed, serviceRequest, task, patient, referral, List.of());
    }

    /** The emitted resources in a fixed order: Patient, ServiceRequest, Task. */
    public List<Resource> resources() {
        return List.of(patient, serviceRequest, task);
    }

    /** The same referral with its resources' validated JSON, in the order of {@link #resources()}. */
    public MappedReferral withValidatedJson(List<String> json) {
        if (json.size() != resources().size()) {
            throw new IllegalArgumentException("One JSON per resource expected: " + json.size() + " for "
                    + resources().size());
        }
        return new MappedReferral(routed, serviceRequest, task, patient, referral, json);
    }

    /** Each resource's validated JSON, by the resource itself (identity); empty until validated. */
    public Map<IBaseResource, String> validatedJsonByResource() {
        Map<IBaseResource, String> byResource = new IdentityHashMap<>();
        List<Resource> resources = resources();
        for (int i = 0; i < resources.size(); i++) {
            String json = validatedJson(i);
            if (json != null) {
                byResource.put(resources.get(i), json);
            }
        }
        return byResource;
    }

    /** The validated JSON of the resource at {@code index} of {@link #resources()}; null when there is none. */
    public String validatedJson(int index) {
        return validatedJson.isEmpty() ? null : validatedJson.get(index);
    }
}
