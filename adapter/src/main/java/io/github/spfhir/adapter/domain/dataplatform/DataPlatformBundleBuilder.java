package io.github.spfhir.adapter.domain.dataplatform;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.referral.DeterministicIds;

/**
 * Builds what a regional data platform receives when a referral's resources change: one FHIR transaction Bundle of
 * <b>conditional updates</b>, one entry per resource, {@code PUT <Type>?identifier=<system>|<value>}, so the
 * platform upserts by our business identifier and a Bundle sent twice changes nothing the second time.
 *
 * <p><b>Identifiers.</b> Each resource is identified by our own identifier, {@link DataPlatformIds#identifierSystem}
 * with our resource id as value, added to the copy when it has none of ours; the sender's identifiers stay beside it.
 * Pseudonymised, the identifier is {@link DataPlatformIds#pseudonymisedIdentifierSystem} with the keyed pseudonym of
 * our id instead (our ids can be read back at our own FHIR API), and the sender's identifiers are gone.
 *
 * <p><b>Ids and references.</b> The platform assigns its own ids, so ours are removed from the copies (FHIR R4
 * conditional update: a body id that differs from the matched resource's is a 400) and every literal reference to
 * one of our resources ({@code Patient/<id>}, or absolute under our base) becomes a <em>conditional reference</em>
 * by the same identifier, {@code Patient?identifier=<system>|<value>}. Why not references to the entries' fullUrls:
 * FHIR R4 (http.html, "Transaction Processing Rules") obliges a server to rewrite references to an entry's fullUrl
 * only for entries it creates by POST, and a reference to a resource published in an earlier Bundle has no fullUrl
 * to point at. Conditional references are resolved by every conforming server ("When processing transactions,
 * servers SHALL: check all references for search URIs ... if there is a single match, the server replaces the
 * search URI with a reference to the matching resource"), and only after the PUTs are processed (step 5 of the
 * processing order), so they find a resource created by the same Bundle as well as one published before. The rule
 * is the same whether or not the target is in this Bundle, so a resource always publishes the same way.
 * Contained ({@code #}), {@code urn:} and other servers' absolute references are left as they are.
 *
 * <p>Entries are ordered Patient, ServiceRequest, QuestionnaireResponse, Observation, Task, then the rest (input
 * order within a type): referenced before referring, for servers that resolve entry by entry; R4 itself makes the
 * outcome independent of order. Each fullUrl is a {@code urn:uuid} derived from the entry's identifier (no id of
 * ours in pseudonymised output). The Bundle has no id, meta or timestamp: the same resources give the same Bundle.
 */
public class DataPlatformBundleBuilder {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Map<String, Integer> ENTRY_ORDER = Map.of(
            "Patient", 0, "ServiceRequest", 1, "QuestionnaireResponse", 2, "Observation", 3, "Task", 4);

    private final String ourBase;
    private final Pseudonymiser pseudonymiser;

    /**
     * @param ourFhirBase   our FHIR API's base ({@code AdapterProperties.fhir().baseUrl()}): absolute references under
     *                      it are ours; a trailing slash is ignored
     * @param pseudonymiser the keyed pseudonymiser, or null when no platform is fed pseudonymised data
     */
    public DataPlatformBundleBuilder(String ourFhirBase, Pseudonymiser pseudonymiser) {
        this.ourBase = Objects.requireNonNull(ourFhirBase, "ourFhirBase").replaceAll("/+$", "");
        this.pseudonymiser = pseudonymiser;
    }

    /**
     * @param changed      the resources to publish (ours, each with an id); copied, never changed
     * @param pseudonymise true to publish pseudonymised copies (see {@link Pseudonymiser})
     * @return a transaction Bundle of conditional updates, one entry per resource
     * @throws IllegalArgumentException if a resource has no id, appears twice, or cannot carry our identifier
     * @throws IllegalStateException    if pseudonymisation is asked for and this builder has no pseudonymiser
     */
    public Bundle build(List<? extends Resource> changed, boolean pseudonymise) {
        Objects.requireNonNull(changed, "changed");
        if (pseudonymise && pseudonymiser == null) {
            throw new IllegalStateException("Pseudonymised publishing needs a pseudonymisation key");
        }
        List<Resource> ordered = new ArrayList<>(changed);
        ordered.sort(Comparator.comparingInt(r -> ENTRY_ORDER.getOrDefault(r.fhirType(), ENTRY_ORDER.size())));

        Bundle bundle = new Bundle();
        bundle.setType(BundleType.TRANSACTION);
        Set<String> seen = new HashSet<>();
        for (Resource resource : ordered) {
            String type = resource.fhirType();
            String id = resource.getIdElement().getIdPart();
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException(type + " has no id: it cannot be given our identifier");
            }
            if (!seen.add(type + "/" + id)) {
                throw new IllegalArgumentException(type + "/" + id + " appears twice: a transaction may hold a resource once");
            }
            Resource copy = pseudonymise ? pseudonymiser.pseudonymise(resource) : resource.copy();
            Identifier identifier = identifier(type, id, pseudonymise);
            addIdentifier(copy, identifier);
            rewriteReferences(copy, pseudonymise);
            copy.setIdElement(null);
            copy.getMeta().setVersionIdElement(null).setLastUpdatedElement(null);

            bundle.addEntry()
                    .setFullUrl("urn:uuid:" + DeterministicIds.of(type, identifier.getSystem() + "|" + identifier.getValue()))
                    .setResource(copy)
                    .getRequest().setMethod(HTTPVerb.PUT).setUrl(conditionalUrl(type, identifier));
        }
        return bundle;
    }

    /**
     * Our identifier of a resource: plain (system per type, value our id) or its pseudonymised counterpart.
     *
     * @throws IllegalStateException if {@code pseudonymised} and this builder has no pseudonymiser
     */
    public Identifier identifier(String resourceType, String id, boolean pseudonymised) {
        if (pseudonymised && pseudonymiser == null) {
            throw new IllegalStateException("Pseudonymised publishing needs a pseudonymisation key");
        }
        return pseudonymised
                ? new Identifier().setSystem(DataPlatformIds.pseudonymisedIdentifierSystem(resourceType))
                        .setValue(pseudonymiser.recordPseudonym(resourceType, id))
                : new Identifier().setSystem(DataPlatformIds.identifierSystem(resourceType)).setValue(id);
    }

    /**
     * {@code <Type>?identifier=<system>|<value>}. Neither part needs escaping: systems are our URIs, values are FHIR
     * ids or hex pseudonyms (no {@code , $ | \} or spaces).
     */
    private static String conditionalUrl(String resourceType, Identifier identifier) {
        return resourceType + "?identifier=" + identifier.getSystem() + "|" + identifier.getValue();
    }

    private static void addIdentifier(Resource copy, Identifier ours) {
        Property property = copy.getNamedProperty("identifier");
        if (property == null || !"Identifier".equals(property.getTypeCode())) {
            throw new IllegalArgumentException(copy.fhirType() + " has no identifier element: it cannot be upserted by identifier");
        }
        boolean hasOurs = property.getValues().stream()
                .anyMatch(value -> value instanceof Identifier existing && ours.getSystem().equals(existing.getSystem()));
        if (hasOurs) {
            return;
        }
        if (property.getMaxCardinality() == 1 && property.hasValues()) {
            throw new IllegalArgumentException(copy.fhirType() + " has room for one identifier and holds another's");
        }
        copy.setProperty("identifier", ours.copy());
    }

    private void rewriteReferences(Resource copy, boolean pseudonymise) {
        for (Reference reference : FHIR.newTerser().getAllPopulatedChildElementsOfType(copy, Reference.class)) {
            String target = reference.getReference();
            if (target == null || target.startsWith("#") || target.startsWith("urn:") || target.contains("?")) {
                continue;
            }
            if (target.startsWith(ourBase + "/")) {
                target = target.substring(ourBase.length() + 1);
            } else if (target.contains("://")) {
                continue; // another server's resource: its address is already valid there
            }
            IdType literal = new IdType(target);
            if (!literal.hasResourceType() || !literal.hasIdPart()) {
                continue;
            }
            String type = literal.getResourceType();
            reference.setReference(conditionalUrl(type, identifier(type, literal.getIdPart(), pseudonymise)));
        }
    }
}
