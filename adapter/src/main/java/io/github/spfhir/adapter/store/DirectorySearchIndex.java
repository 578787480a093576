package io.github.spfhir.adapter.store;

import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The search parameters indexed for directory resources (FHIR R4 HealthcareService search parameter names; an
 * Organization's {@code identifier}).
 * Tokens as {@code system|code} and bare {@code code}; references as {@code Type/id}. Name and active are
 * columns of {@code directory_resource}, not index rows.
 */
final class DirectorySearchIndex {

    private DirectorySearchIndex() {
    }

    static List<Map.Entry<String, String>> entries(Resource resource) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        if (resource instanceof HealthcareService hs) {
            hs.getIdentifier().forEach(i -> identifier(entries, i));
            hs.getCategory().forEach(c -> tokens(entries, "service-category", c));
            hs.getType().forEach(c -> tokens(entries, "service-type", c));
            reference(entries, "organization", hs.getProvidedBy());
            hs.getLocation().forEach(l -> reference(entries, "location", l));
        } else if (resource instanceof Organization org) {
            org.getIdentifier().forEach(i -> identifier(entries, i));
        }
        return entries;
    }

    private static void identifier(List<Map.Entry<String, String>> entries, Identifier identifier) {
        if (identifier.hasValue()) {
            add(entries, "identifier", identifier.getValue());
            if (identifier.hasSystem()) {
                add(entries, "identifier", identifier.getSystem() + "|" + identifier.getValue());
            }
        }
    }

    private static void tokens(List<Map.Entry<String, String>> entries, String name, CodeableConcept concept) {
        for (Coding coding : concept.getCoding()) {
            if (coding.hasCode()) {
                add(entries, name, coding.getCode());
                if (coding.hasSystem()) {
                    add(entries, name, coding.getSystem() + "|" + coding.getCode());
                }
            }
        }
    }

    private static void reference(List<Map.Entry<String, String>> entries, String name, Reference reference) {
        if (reference != null && reference.hasReference()) {
            add(entries, name, reference.getReference());
        }
    }

    private static void add(List<Map.Entry<String, String>> entries, String name, String value) {
        // longer values cannot be searched for exactly; they are not indexed rather than truncated
        if (value.length() <= 512) {
            SimpleEntry<String, String> entry = new SimpleEntry<>(name, value);
            if (!entries.contains(entry)) {
                entries.add(entry);
            }
        }
    }
}
