package io.github.spfhir.adapter.domain.validation;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;

/**
 * FHIR R4's core conformance resources (StructureDefinitions, ValueSets, CodeSystems) for the validation chain, in
 * place of HAPI's {@link DefaultProfileValidationSupport}, with the same answers, but starting from the subset of
 * them that the resources we emit need.
 *
 * <p>Why: HAPI's support parses all of them (about 35 MB of XML: some 650 StructureDefinitions and 1,500 code systems
 * and value sets) at the first validation, and the core validator then converts every StructureDefinition it is
 * given to R5. That was most of the several seconds a first referral waits after a cold start. The subset
 * ({@value #SUBSET_RESOURCE}, written at build time by {@link CoreDefinitionsSubsetWriter} from HAPI's own files) is
 * about a tenth of it.
 *
 * <p>Answers are HAPI's: a resource found in the subset is a copy of HAPI's own, marked with the same source
 * package; a URL that HAPI's files hold but the subset does not is fetched from HAPI's support, which then loads
 * everything once (logged, and slow, but never wrong); a URL that none of HAPI's files hold gets {@code null} at
 * once, as from HAPI (the subset lists the last segment of every URL in HAPI's files for that test). Only the lists
 * differ: {@link #fetchAllStructureDefinitions()} and {@link #fetchAllConformanceResources()} give the subset, so
 * the core validator does not learn of types it is never asked about, and a lookup that walks that list instead of
 * asking by URL would miss a type outside it (the element-model parser's, which {@code PooledCoreValidation} asks
 * by URL instead). {@code CoreDefinitionsTest} checks that every example and golden output gets the same messages
 * as with HAPI's support, and needs nothing outside the subset, and that types outside it get HAPI's messages too.
 *
 * <p>Without the subset on the classpath (an IDE build that skipped Maven's {@code process-classes}), every
 * lookup goes to HAPI's support: correct, only slower to start.
 */
final class CoreDefinitions implements IValidationSupport {

    /** Where the build writes the subset (adapter/pom.xml runs {@link CoreDefinitionsSubsetWriter}). */
    static final String SUBSET_RESOURCE = "fhir-core/r4-core-subset.json";
    /** The id of the subset's Parameters entry holding {@link #tail} of every canonical URL in HAPI's files. */
    static final String URL_TAILS_ID = "core-definition-url-tails";

    private static final Logger log = LoggerFactory.getLogger(CoreDefinitions.class);
    /** The canonical base of FHIR's own StructureDefinitions: the base plus a type name is that type's URL. */
    static final String STRUCTURE_DEFINITION_BASE = "http://hl7.org/fhir/StructureDefinition/";
    /** What HAPI's support marks its resources with (the key and value of its addPackageInformation). */
    private static final String R4_CORE_PACKAGE = "hl7.fhir.r4.core";

    private final FhirContext fhirContext;
    private final Map<String, IBaseResource> structureDefinitions = new LinkedHashMap<>();
    private final Map<String, IBaseResource> valueSets = new LinkedHashMap<>();
    private final Map<String, IBaseResource> codeSystems = new LinkedHashMap<>();
    /** The last path segment of every canonical URL in HAPI's files, lower case; null: no subset, all go to HAPI. */
    private final Set<String> allUrlTails;
    private final DefaultProfileValidationSupport hapi;
    /** The URLs that needed HAPI's full set (at most every URL in HAPI's files). */
    private final Set<String> urlsOutsideSubset = ConcurrentHashMap.newKeySet();

    /** @param fhirContext the application's one shared R4 context */
    CoreDefinitions(FhirContext fhirContext) {
        this(fhirContext, CoreDefinitions.class.getClassLoader().getResourceAsStream(SUBSET_RESOURCE));
    }

    /** @param subset the subset Bundle as JSON, or null to serve everything from HAPI's support */
    CoreDefinitions(FhirContext fhirContext, InputStream subset) {
        this.fhirContext = fhirContext;
        this.hapi = new DefaultProfileValidationSupport(fhirContext);
        if (subset == null) {
            log.warn("{} is not on the classpath: the validator loads all of FHIR R4's core definitions (slower first "
                    + "validation; run the Maven build to write it)", SUBSET_RESOURCE);
            this.allUrlTails = null;
            return;
        }
        Bundle bundle;
        try (InputStreamReader reader = new InputStreamReader(subset, StandardCharsets.UTF_8)) {
            bundle = fhirContext.newJsonParser().parseResource(Bundle.class, reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + SUBSET_RESOURCE, e);
        }
        Set<String> tails = new HashSet<>();
        for (BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Parameters urlTails && URL_TAILS_ID.equals(urlTails.getIdPart())) {
                tails.addAll(List.of(urlTails.getParameterFirstRep().getValue().primitiveValue().split(" ")));
                continue;
            }
            MetadataResource resource = (MetadataResource) entry.getResource();
            resource.setUserData(DefaultProfileValidationSupport.SOURCE_PACKAGE_ID, R4_CORE_PACKAGE);
            if (resource instanceof StructureDefinition definition) {
                structureDefinitions.put(definition.getUrl(), definition);
            } else if (resource instanceof ValueSet valueSet) {
                valueSets.put(valueSet.getUrl(), valueSet);
            } else if (resource instanceof CodeSystem codeSystem) {
                codeSystems.put(codeSystem.getUrl(), codeSystem);
            } else {
                throw new IllegalStateException(SUBSET_RESOURCE + " holds a " + resource.fhirType());
            }
        }
        if (tails.isEmpty()) {
            throw new IllegalStateException(SUBSET_RESOURCE + " does not list the URLs of FHIR R4's core definitions");
        }
        this.allUrlTails = Collections.unmodifiableSet(tails);
    }

    @Override
    public FhirContext getFhirContext() {
        return fhirContext;
    }

    @Override
    public String getName() {
        return "FHIR R4 core definitions (start-up subset, then HAPI's " + hapi.getName() + ")";
    }

    @Override
    public IBaseResource fetchStructureDefinition(String url) {
        if (allUrlTails == null || url == null) {
            return hapi.fetchStructureDefinition(url);
        }
        // the forms HAPI's support also accepts: a bare type name, a versioned URL, and a primitive type's name
        // with a capital (".../Id" for ".../id")
        String key = withoutVersion(url);
        key = key.indexOf('/') < 0 ? STRUCTURE_DEFINITION_BASE + key : key;
        IBaseResource found = structureDefinitions.get(key);
        if (found == null && key.startsWith(STRUCTURE_DEFINITION_BASE) && key.length() > STRUCTURE_DEFINITION_BASE.length()) {
            String name = key.substring(STRUCTURE_DEFINITION_BASE.length());
            found = structureDefinitions.get(STRUCTURE_DEFINITION_BASE + Character.toLowerCase(name.charAt(0)) + name.substring(1));
        }
        return orFromHapi(found, url, hapi::fetchStructureDefinition);
    }

    @Override
    public IBaseResource fetchValueSet(String url) {
        return allUrlTails == null || url == null ? hapi.fetchValueSet(url)
                : orFromHapi(valueSets.get(withoutVersion(url)), url, hapi::fetchValueSet);
    }

    @Override
    public IBaseResource fetchCodeSystem(String url) {
        return allUrlTails == null || url == null ? hapi.fetchCodeSystem(url)
                : orFromHapi(codeSystems.get(withoutVersion(url)), url, hapi::fetchCodeSystem);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends IBaseResource> List<T> fetchAllStructureDefinitions() {
        return allUrlTails == null ? hapi.fetchAllStructureDefinitions() : (List<T>) new ArrayList<>(structureDefinitions.values());
    }

    @Override
    public <T extends IBaseResource> List<T> fetchAllNonBaseStructureDefinitions() {
        return hapi.fetchAllNonBaseStructureDefinitions(); // null from HAPI's support, whatever it has loaded
    }

    @Override
    public List<IBaseResource> fetchAllConformanceResources() {
        if (allUrlTails == null) {
            return hapi.fetchAllConformanceResources();
        }
        // in HAPI's order: code systems, value sets, structure definitions
        List<IBaseResource> all = new ArrayList<>(codeSystems.values());
        all.addAll(valueSets.values());
        all.addAll(structureDefinitions.values());
        return all;
    }

    @Override
    public <T extends IBaseResource> List<T> fetchAllSearchParameters() {
        return hapi.fetchAllSearchParameters(); // a file of its own in HAPI's support; the validator does not ask
    }

    /** The URLs since start-up that needed HAPI's full set. */
    Set<String> urlsOutsideSubset() {
        return Set.copyOf(urlsOutsideSubset);
    }

    /** How many StructureDefinitions, ValueSets and CodeSystems the subset holds. */
    int subsetSize() {
        return structureDefinitions.size() + valueSets.size() + codeSystems.size();
    }

    /** What the subset found, else HAPI's answer: null where no URL in HAPI's files ends so, else HAPI's lookup. */
    private IBaseResource orFromHapi(IBaseResource inSubset, String url, Function<String, IBaseResource> lookup) {
        if (inSubset != null) {
            return inSubset;
        }
        if (!allUrlTails.contains(tail(url))) {
            return null;
        }
        if (urlsOutsideSubset.add(url)) {
            log.info("{} is outside the start-up subset of FHIR R4's core definitions: from HAPI's full set (loaded once, "
                    + "in seconds)", url);
        }
        return lookup.apply(url);
    }

    /** A canonical URL without its {@code |version}. */
    static String withoutVersion(String url) {
        int bar = url.indexOf('|');
        return bar < 0 ? url : url.substring(0, bar);
    }

    /**
     * The URL's last path segment, lower case, without a version: a key that each of the forms HAPI's support
     * accepts for a resource (a bare or relative name, a version, a lower-case first letter) shares with its URL.
     */
    static String tail(String url) {
        String unversioned = withoutVersion(url);
        return unversioned.substring(unversioned.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }
}
