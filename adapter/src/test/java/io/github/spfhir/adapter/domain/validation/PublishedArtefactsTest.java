package io.github.spfhir.adapter.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;

/** The conformance resources in fhir-profiles/ are well-formed in the ways HAPI would not tell us about. */
class PublishedArtefactsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String BASE_R4 = "http://hl7.org/fhir/StructureDefinition/";

    @Test
    void eachFileIsNamedAfterItsIdAndHasOurCanonicalUrl() throws IOException {
        List<MetadataResource> all = new ArrayList<>();
        for (String folder : List.of("StructureDefinition", "ValueSet", "CodeSystem")) {
            for (Resource file : files(folder)) {
                MetadataResource resource = (MetadataResource) parse(file);
                String type = resource.fhirType();
                assertThat(type).as(file.getFilename()).isEqualTo(folder);
                assertThat(file.getFilename()).isEqualTo(resource.getIdElement().getIdPart() + ".json");
                assertThat(resource.getUrl()).isEqualTo(Profiles.BASE + "/" + type + "/" + resource.getIdElement().getIdPart());
                assertThat(resource.getVersion()).as(file.getFilename()).isNotBlank();
                all.add(resource);
            }
        }
        assertThat(all).extracting(MetadataResource::getUrl).contains(Profiles.SERVICE_REQUEST, Profiles.TASK,
                Profiles.PATIENT, Profiles.HEALTHCARE_SERVICE, Profiles.BUSINESS_STATUS_CODE_SYSTEM, Profiles.BUSINESS_STATUS_VALUE_SET);
    }

    /**
     * stack.md §5.5: a differential out of base element order has constraints silently dropped by the snapshot
     * generator. Top-level elements must follow the base resource's order, and the children of one element
     * (such as a slice's system and value) the order of their datatype.
     */
    @Test
    void differentialElementsAreInBaseElementOrder() throws IOException {
        DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(FHIR);
        List<Resource> files = files("StructureDefinition");
        assertThat(files).hasSize(6);
        for (Resource file : files) {
            StructureDefinition profile = (StructureDefinition) parse(file);
            assertThat(profile.getFhirVersion().toCode()).isEqualTo("4.0.1");
            assertThat(profile.getDerivation()).isEqualTo(StructureDefinition.TypeDerivationRule.CONSTRAINT);
            assertThat(profile.getBaseDefinition()).isEqualTo(BASE_R4 + profile.getType());
            assertThat(profile.hasSnapshot()).as("publish the differential only").isFalse();
            StructureDefinition base = (StructureDefinition) core.fetchStructureDefinition(profile.getBaseDefinition());

            int previousTopLevel = -1;
            ElementDefinition previous = null;
            for (ElementDefinition element : profile.getDifferential().getElement()) {
                String[] segments = element.getPath().split("\\.");
                String topLevelPath = segments.length == 1 ? segments[0] : segments[0] + "." + segments[1];
                int topLevel = indexOf(base, topLevelPath);
                assertThat(topLevel).as("%s: %s is in the base", file.getFilename(), topLevelPath).isNotNegative();
                assertThat(topLevel).as("%s: %s comes after the previous element in base order", file.getFilename(), element.getId())
                        .isGreaterThanOrEqualTo(previousTopLevel);
                if (segments.length > 2 && previous != null && sameParent(previous, element)) {
                    StructureDefinition datatype = (StructureDefinition) core.fetchStructureDefinition(
                            BASE_R4 + elementOf(base, topLevelPath).getTypeFirstRep().getCode());
                    assertThat(indexOf(datatype, datatype.getType() + "." + segments[2]))
                            .as("%s: %s after %s in %s order", file.getFilename(), element.getId(), previous.getId(), datatype.getType())
                            .isGreaterThan(indexOf(datatype, datatype.getType() + "." + previous.getPath().split("\\.")[2]));
                }
                previousTopLevel = topLevel;
                previous = element;
            }
        }
    }

    @Test
    void businessStatusConstantsAreTheCodeSystemsCodes() throws Exception {
        CodeSystem codeSystem = (CodeSystem) parse(files("CodeSystem").stream()
                .filter(f -> Objects.equals(f.getFilename(), "sp-referral-business-status.json")).findFirst().orElseThrow());
        List<String> constants = new ArrayList<>();
        for (Field field : Profiles.BusinessStatus.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                constants.add((String) field.get(null));
            }
        }
        assertThat(codeSystem.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode)
                .containsExactlyInAnyOrderElementsOf(constants);
        assertThat(codeSystem.getCount()).isEqualTo(constants.size());
        assertThat(codeSystem.getContent()).isEqualTo(CodeSystem.CodeSystemContentMode.COMPLETE);
    }

    private static boolean sameParent(ElementDefinition a, ElementDefinition b) {
        return a.getId().contains(".") && b.getId().contains(".")
                && a.getId().substring(0, a.getId().lastIndexOf('.')).equals(b.getId().substring(0, b.getId().lastIndexOf('.')));
    }

    private static int indexOf(StructureDefinition definition, String path) {
        List<ElementDefinition> elements = definition.getSnapshot().getElement();
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i).getPath().equals(path)) {
                return i;
            }
        }
        return -1;
    }

    private static ElementDefinition elementOf(StructureDefinition definition, String path) {
        return definition.getSnapshot().getElement().get(indexOf(definition, path));
    }

    private static List<Resource> files(String folder) throws IOException {
        Resource[] found = new PathMatchingResourcePatternResolver()
                .getResources("classpath*:" + FhirProfileValidator.PROFILES_ROOT + folder + "/*.json");
        return Arrays.asList(found);
    }

    private static IBaseResource parse(Resource file) throws IOException {
        try (InputStream in = file.getInputStream()) {
            return FHIR.newJsonParser().parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
