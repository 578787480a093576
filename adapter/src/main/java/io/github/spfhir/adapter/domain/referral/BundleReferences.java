package io.github.spfhir.adapter.domain.referral;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Resolves references between the entries of one message Bundle, the ways senders write them: a
 * {@code urn:uuid:} fullUrl, an absolute fullUrl, or a relative {@code Type/id}.
 */
final class BundleReferences {

    private final Map<String, Bundle.BundleEntryComponent> byKey = new HashMap<>();

    BundleReferences(Bundle bundle) {
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            if (entry.hasFullUrl()) {
                byKey.putIfAbsent(entry.getFullUrl(), entry);
            }
            if (resource != null && resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
                byKey.putIfAbsent(resource.fhirType() + "/" + resource.getIdElement().getIdPart(), entry);
            }
        }
    }

    /** The entry a reference points at, if it is in the Bundle. */
    Optional<Bundle.BundleEntryComponent> entry(Reference reference) {
        if (reference == null || !reference.hasReference()) {
            return Optional.empty();
        }
        String ref = reference.getReference();
        Bundle.BundleEntryComponent entry = byKey.get(ref);
        if (entry == null && ref.contains("/") && !ref.startsWith("urn:")) {
            // an absolute URL whose tail is Type/id
            String[] parts = ref.split("/");
            if (parts.length >= 2) {
                entry = byKey.get(parts[parts.length - 2] + "/" + parts[parts.length - 1]);
            }
        }
        return Optional.ofNullable(entry);
    }

    /** The resource a reference points at, if it is in the Bundle and of the type wanted. */
    <T extends Resource> Optional<T> resolve(Reference reference, Class<T> type) {
        return entry(reference).map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance).map(type::cast);
    }
}
