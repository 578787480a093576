package io.github.spfhir.adapter.domain.platform;

import java.net.URI;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

/**
 * Builds what a FHIR-speaking link-worker platform receives: the referral's Patient, ServiceRequest and Task in
 * one transaction Bundle, each as a {@code PUT <type>/<id>}. Our ids are deterministic, so a redelivered
 * Bundle updates the same resources instead of creating copies (an idempotent upsert).
 *
 * <p>The Bundle has no id, meta or timestamp, and its entries are always Patient, ServiceRequest, Task, so the
 * same resources give the same Bundle. Each entry's {@code fullUrl} is the resource's address on the receiving
 * server, {@code <server base>/<type>/<id>}: the FHIR validator requires an absolute fullUrl
 * ({@code BUNDLE_ENTRY_URL_ABSOLUTE}), and with it the relative references between the three resources
 * ({@code Patient/<id>}) resolve to the entries of this Bundle.
 */
@Component
public class FhirTransactionMapper {

    /**
     * @param serverBase the receiving FHIR server's base, the URL the Bundle is POSTed to (for example
     *                   {@code https://platform.example/fhir}); a trailing slash is ignored
     * @param sr         the referral; copied, not changed
     * @param task       its Task; copied, not changed
     * @param patient    the person referred; copied, not changed
     * @throws IllegalArgumentException if a resource has no id
     */
    public Bundle toTransaction(URI serverBase, ServiceRequest sr, Task task, Patient patient) {
        String base = serverBase.toString().replaceAll("/+$", "");
        Bundle bundle = new Bundle();
        bundle.setType(BundleType.TRANSACTION);
        add(bundle, base, patient);
        add(bundle, base, sr);
        add(bundle, base, task);
        return bundle;
    }

    private static void add(Bundle bundle, String base, Resource resource) {
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(type + " has no id: a transaction PUT needs our deterministic id");
        }
        Resource copy = resource.copy();
        copy.setId(id); // drop any base URL or version the id carried: the entry is addressed by type and id
        String url = type + "/" + id;
        bundle.addEntry()
                .setFullUrl(base + "/" + url)
                .setResource(copy)
                .getRequest().setMethod(HTTPVerb.PUT).setUrl(url);
    }
}
