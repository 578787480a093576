package io.github.spfhir.adapter.store;

import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * The search parameters we index per resource type (FHIR R4 search parameter names). Tokens are indexed as
 * {@code system|value} and as bare {@code value}; references as {@code Type/id}.
 */
final class SearchIndex {

    private SearchIndex() {
    }

    static List<Map.Entry<String, String>> entries(Resource resource) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        if (resource instanceof ServiceRequest sr) {
            sr.getIdentifier().forEach(i -> token(entries, "identifier", i));
            if (sr.hasStatus()) {
                entries.add(new SimpleEntry<>("status", sr.getStatus().toCode()));
            }
            reference(entries, "subject", sr.getSubject());
            reference(entries, "patient", sr.getSubject());
            sr.getBasedOn().forEach(r -> reference(entries, "based-on", r));
            sr.getPerformer().forEach(r -> reference(entries, "performer", r));
            if (sr.getRequester().hasIdentifier()) {
                // who may read the referral: the practice that sent it (ReferralScope), not a search parameter served
                token(entries, ReferralScope.REQUESTER_IDENTIFIER, sr.getRequester().getIdentifier());
            }
        } else if (resource instanceof Observation observation) {
            if (observation.hasStatus()) {
                entries.add(new SimpleEntry<>("status", observation.getStatus().toCode()));
            }
            observation.getCode().getCoding().forEach(c -> token(entries, "code", c.getSystem(), c.getCode()));
            observation.getBasedOn().forEach(r -> reference(entries, "based-on", r));
            reference(entries, "subject", observation.getSubject());
            reference(entries, "patient", observation.getSubject());
        } else if (resource instanceof QuestionnaireResponse response) {
            reference(entries, "subject", response.getSubject());
            reference(entries, "patient", response.getSubject());
            response.getBasedOn().forEach(r -> reference(entries, "based-on", r));
        } else if (resource instanceof Task task) {
            task.getIdentifier().forEach(i -> token(entries, "identifier", i));
            if (task.hasStatus()) {
                entries.add(new SimpleEntry<>("status", task.getStatus().toCode()));
            }
            reference(entries, "focus", task.getFocus());
            reference(entries, "patient", task.getFor());
            reference(entries, "owner", task.getOwner());
            if (task.getOwner().hasIdentifier()) {
                token(entries, "owner:identifier", task.getOwner().getIdentifier());
            }
            if (task.hasBusinessStatus()) {
                task.getBusinessStatus().getCoding().forEach(c -> token(entries, "business-status", c.getSystem(), c.getCode()));
            }
        }
        return entries;
    }

    private static void token(List<Map.Entry<String, String>> entries, String name, String system, String code) {
        if (code != null && !code.isEmpty()) {
            entries.add(new SimpleEntry<>(name, code));
            if (system != null && !system.isEmpty()) {
                entries.add(new SimpleEntry<>(name, system + "|" + code));
            }
        }
    }

    private static void token(List<Map.Entry<String, String>> entries, String name, Identifier identifier) {
        if (identifier.hasValue()) {
            entries.add(new SimpleEntry<>(name, identifier.getValue()));
            if (identifier.hasSystem()) {
                entries.add(new SimpleEntry<>(name, identifier.getSystem() + "|" + identifier.getValue()));
            }
        }
    }

    private static void reference(List<Map.Entry<String, String>> entries, String name, Reference reference) {
        if (reference != null && reference.hasReference()) {
            entries.add(new SimpleEntry<>(name, reference.getReference()));
        }
    }
}
