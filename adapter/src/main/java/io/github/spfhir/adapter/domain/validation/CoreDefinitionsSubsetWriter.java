package io.github.spfhir.adapter.domain.validation;

import static io.github.spfhir.adapter.domain.validation.CoreDefinitions.STRUCTURE_DEFINITION_BASE;
import static io.github.spfhir.adapter.domain.validation.CoreDefinitions.withoutVersion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.ElementDefinition.TypeRefComponent;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.util.VersionUtil;

/**
 * Writes the start-up subset of FHIR R4's core definitions that {@link CoreDefinitions} serves, from HAPI's own
 * files: run by the build ({@code process-classes}, adapter/pom.xml) into the classes folder, never committed.
 *
 * <p>What the subset holds, so that validating what we emit never needs the rest:
 * <ul>
 * <li>every data type, primitive and complex (not their profiles, such as the 400-odd extension definitions,
 * unless named below);
 * <li>the resource types we validate ({@link #VALIDATED_RESOURCE_TYPES}), those they refer to where the validator
 * checks the type ({@link #REFERENCED_RESOURCE_TYPES}), and the core extensions they carry
 * ({@link #EMITTED_CORE_EXTENSIONS});
 * <li>every definition that a kept one or one of our profiles names as its base, an element type or a type profile;
 * <li>every ValueSet any of them binds, with the ValueSets and CodeSystems those include.
 * </ul>
 * Its last entry, a Parameters resource, lists the last path segment of every canonical URL in HAPI's files
 * ({@link CoreDefinitions#tail}), so that a lookup outside the subset can be answered as HAPI would.
 *
 * <p>Arguments: the output file, and the folder of our conformance resources ({@code fhir-profiles}). Beside it,
 * {@code <output>.stamp} records a hash of HAPI's version, these rules and our conformance resources; while that is
 * unchanged the file is left as it is (writing it takes HAPI about ten seconds).
 */
public final class CoreDefinitionsSubsetWriter {

    /**
     * The resource types the adapter validates: what {@link EmittedResourceValidator} (referrals, events), the
     * directory sync, the GP update and the data-platform planners emit. A type missing here still validates, after
     * a one-off load of everything; {@code CoreDefinitionsTest} fails if an example or golden output needs that.
     */
    static final List<String> VALIDATED_RESOURCE_TYPES = List.of("HealthcareService", "Location", "Observation",
            "Organization", "Patient", "ServiceRequest", "Task");
    /**
     * Resource types that resources we validate refer to, where the core validator looks the referred type's
     * definition up to match it with the element's target profiles: an outcome Observation's {@code derivedFrom}.
     */
    static final List<String> REFERENCED_RESOURCE_TYPES = List.of("QuestionnaireResponse");
    /** Core extensions the resources we validate carry: the Welsh text of bilingual directory entries. */
    static final List<String> EMITTED_CORE_EXTENSIONS = List.of("http://hl7.org/fhir/StructureDefinition/translation");
    /** Change when the way {@link #subset} follows references changes, so that built subsets are rewritten. */
    private static final String RULES_VERSION = "4";

    private CoreDefinitionsSubsetWriter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("Usage: CoreDefinitionsSubsetWriter <output.json> <fhir-profiles folder>");
        }
        Path output = Path.of(args[0]);
        Path profiles = Path.of(args[1]);
        Path stampFile = output.resolveSibling(output.getFileName() + ".stamp");
        String stamp = stamp(profiles);
        if (Files.exists(output) && Files.exists(stampFile) && stamp.equals(Files.readString(stampFile))) {
            System.out.println("[core definitions] " + output + " is up to date");
            return;
        }
        FhirContext fhirContext = FhirContext.forR4();
        Bundle subset = subset(fhirContext, published(fhirContext, profiles));
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, fhirContext.newJsonParser().encodeResourceToString(subset), StandardCharsets.UTF_8);
        Files.writeString(stampFile, stamp, StandardCharsets.UTF_8);
        System.out.println("[core definitions] wrote " + subset.getEntry().size() + " of FHIR R4's core definitions to " + output);
    }

    /** The subset for our published conformance resources, entries in a stable order (type, then URL). */
    static Bundle subset(FhirContext fhirContext, List<IBaseResource> published) {
        DefaultProfileValidationSupport hapi = new DefaultProfileValidationSupport(fhirContext);
        Map<String, StructureDefinition> definitions = new TreeMap<>();
        Map<String, ValueSet> valueSets = new TreeMap<>();
        Map<String, CodeSystem> codeSystems = new TreeMap<>();
        Deque<String> definitionsToVisit = new ArrayDeque<>();
        Set<String> valueSetsToVisit = new TreeSet<>();

        for (IBaseResource resource : hapi.<IBaseResource>fetchAllStructureDefinitions()) {
            StructureDefinition definition = (StructureDefinition) resource;
            // the data types themselves; their profiles (SimpleQuantity, the extension definitions...) when named
            boolean dataType = definition.getKind() == StructureDefinitionKind.PRIMITIVETYPE
                    || definition.getKind() == StructureDefinitionKind.COMPLEXTYPE;
            if (dataType && definition.getDerivation() != TypeDerivationRule.CONSTRAINT) {
                definitionsToVisit.add(definition.getUrl());
            }
        }
        Stream.concat(VALIDATED_RESOURCE_TYPES.stream(), REFERENCED_RESOURCE_TYPES.stream())
                .forEach(type -> definitionsToVisit.add(STRUCTURE_DEFINITION_BASE + type));
        definitionsToVisit.addAll(EMITTED_CORE_EXTENSIONS);
        for (IBaseResource resource : published) {
            if (resource instanceof StructureDefinition ours) {
                collectReferences(ours, definitionsToVisit, valueSetsToVisit);
            } else if (resource instanceof ValueSet ours) {
                ours.getCompose().getInclude().forEach(include -> include.getValueSet()
                        .forEach(included -> valueSetsToVisit.add(withoutVersion(included.getValue()))));
            }
        }
        while (!definitionsToVisit.isEmpty()) {
            String url = withoutVersion(definitionsToVisit.pop());
            if (!definitions.containsKey(url) && hapi.fetchStructureDefinition(url) instanceof StructureDefinition definition) {
                definitions.put(url, definition);
                collectReferences(definition, definitionsToVisit, valueSetsToVisit);
            }
        }

        Deque<String> pendingValueSets = new ArrayDeque<>(valueSetsToVisit);
        Set<String> codeSystemUrls = new TreeSet<>();
        for (IBaseResource resource : published) {
            if (resource instanceof ValueSet ours) {
                Stream.concat(ours.getCompose().getInclude().stream(), ours.getCompose().getExclude().stream())
                        .filter(ConceptSetComponent::hasSystem).forEach(include -> codeSystemUrls.add(include.getSystem()));
            }
        }
        while (!pendingValueSets.isEmpty()) {
            String url = pendingValueSets.pop();
            if (!valueSets.containsKey(url) && hapi.fetchValueSet(url) instanceof ValueSet valueSet) {
                valueSets.put(url, valueSet);
                Stream.concat(valueSet.getCompose().getInclude().stream(), valueSet.getCompose().getExclude().stream())
                        .forEach(include -> {
                            if (include.hasSystem()) {
                                codeSystemUrls.add(include.getSystem());
                            }
                            include.getValueSet().forEach(included -> pendingValueSets.add(withoutVersion(included.getValue())));
                        });
            }
        }
        for (String url : codeSystemUrls) {
            if (hapi.fetchCodeSystem(url) instanceof CodeSystem codeSystem) {
                codeSystems.put(url, codeSystem);
            }
        }

        Bundle bundle = new Bundle().setType(BundleType.COLLECTION);
        Stream.of(definitions.values(), valueSets.values(), codeSystems.values()).flatMap(Collection::stream)
                .forEach(resource -> bundle.addEntry().setResource(resource));
        Set<String> tails = new TreeSet<>();
        for (IBaseResource resource : hapi.fetchAllConformanceResources()) { // everything is loaded by now
            if (resource instanceof MetadataResource metadata && metadata.hasUrl()) {
                tails.add(CoreDefinitions.tail(metadata.getUrl()));
            }
        }
        Parameters urlTails = new Parameters();
        urlTails.setId(CoreDefinitions.URL_TAILS_ID);
        urlTails.addParameter().setName("tails").setValue(new StringType(String.join(" ", tails)));
        bundle.addEntry().setResource(urlTails);
        return bundle;
    }

    private static void collectReferences(StructureDefinition definition, Deque<String> definitions, Set<String> valueSets) {
        if (definition.hasBaseDefinition()) {
            definitions.add(definition.getBaseDefinition());
        }
        Stream.concat(definition.getSnapshot().getElement().stream(), definition.getDifferential().getElement().stream())
                .forEach(element -> collectReferences(element, definitions, valueSets));
    }

    private static void collectReferences(ElementDefinition element, Deque<String> definitions, Set<String> valueSets) {
        for (TypeRefComponent type : element.getType()) {
            String code = type.getCode();
            if (code != null && !code.startsWith("http://hl7.org/fhirpath/")) {
                definitions.add(code.contains("/") ? code : STRUCTURE_DEFINITION_BASE + code);
            }
            for (CanonicalType profile : type.getProfile()) {
                definitions.add(profile.getValue());
            }
        }
        if (element.hasBinding() && element.getBinding().hasValueSet()) {
            valueSets.add(withoutVersion(element.getBinding().getValueSet()));
        }
    }

    private static List<IBaseResource> published(FhirContext fhirContext, Path profiles) throws IOException {
        try (Stream<Path> files = Files.walk(profiles)) {
            List<Path> conformance = files.filter(file -> file.toString().endsWith(".json"))
                    .filter(file -> !file.getParent().getFileName().toString().equals("examples")).sorted().toList();
            List<IBaseResource> resources = new ArrayList<>();
            for (Path file : conformance) {
                resources.add(fhirContext.newJsonParser().parseResource(Files.readString(file)));
            }
            return resources;
        }
    }

    /** HAPI's version, these rules and lists, and the bytes of our conformance resources. */
    private static String stamp(Path profiles) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((VersionUtil.getVersion() + "/" + RULES_VERSION + "/" + VALIDATED_RESOURCE_TYPES + "/"
                    + REFERENCED_RESOURCE_TYPES + "/" + EMITTED_CORE_EXTENSIONS).getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(profiles)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    digest.update(profiles.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                    digest.update(Files.readAllBytes(file));
                }
            }
            return "urn:sha256:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
