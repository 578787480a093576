package io.github.spfhir.adapter.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;

/**
 * The validator on the start-up subset of FHIR R4's core definitions ({@link CoreDefinitions}) gives HAPI's answers
 * (the validator on HAPI's {@link DefaultProfileValidationSupport}) for everything we emit, and never needs the rest
 * for it.
 */
class CoreDefinitionsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private static CoreDefinitions coreDefinitions;
    private static FhirProfileValidator onSubset;
    private static FhirProfileValidator onHapisDefinitions;

    @BeforeAll
    static void buildBothValidators() {
        coreDefinitions = new CoreDefinitions(FHIR);
        onSubset = new FhirProfileValidator(FHIR, true, coreDefinitions);
        onHapisDefinitions = new FhirProfileValidator(FHIR, true, new DefaultProfileValidationSupport(FHIR));
    }

    @Test
    void theBuildPutTheSubsetOnTheClasspathAndItHoldsWhatWeValidate() {
        assertThat(CoreDefinitions.class.getClassLoader().getResource(CoreDefinitions.SUBSET_RESOURCE))
                .as("written by the build's process-classes phase (adapter/pom.xml)").isNotNull();
        List<String> definitions = new CoreDefinitions(FHIR).<IBaseResource>fetchAllStructureDefinitions().stream()
                .map(definition -> ((StructureDefinition) definition).getUrl()).toList();
        for (String type : CoreDefinitionsSubsetWriter.VALIDATED_RESOURCE_TYPES) {
            assertThat(definitions).contains("http://hl7.org/fhir/StructureDefinition/" + type);
        }
        assertThat(definitions).contains("http://hl7.org/fhir/StructureDefinition/DomainResource",
                "http://hl7.org/fhir/StructureDefinition/Extension", "http://hl7.org/fhir/StructureDefinition/string",
                "http://hl7.org/fhir/StructureDefinition/SimpleQuantity");
        // about a tenth of HAPI's files: no resource type we do not validate, no extension definition we do not use
        assertThat(definitions).doesNotContain("http://hl7.org/fhir/StructureDefinition/Questionnaire",
                "http://hl7.org/fhir/StructureDefinition/patient-birthPlace");
        assertThat(definitions.size()).isLessThan(new DefaultProfileValidationSupport(FHIR).fetchAllStructureDefinitions().size() / 5);
    }

    /** Every bundled example and every resource of a validated type in the golden outputs of test-fixtures/. */
    @Test
    void everythingWeEmitGetsHapisMessagesWithoutTheRestOfTheDefinitions() throws IOException {
        List<Resource> emitted = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Files.walk(REPOSITORY.resolve("fhir-profiles/examples")),
                Files.walk(REPOSITORY.resolve("test-fixtures")).filter(file -> file.toString().endsWith(".expected.json")))) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                collectValidatedResources(new ObjectMapper().readTree(file.toFile()), emitted);
            }
        }
        assertThat(emitted).hasSizeGreaterThan(60);
        assertThat(emitted.stream().map(Resource::fhirType).distinct())
                .containsExactlyInAnyOrderElementsOf(CoreDefinitionsSubsetWriter.VALIDATED_RESOURCE_TYPES);

        // on a subset of its own, which no other test has sent outside it
        CoreDefinitions subsetOfItsOwn = new CoreDefinitions(FHIR);
        FhirProfileValidator validator = new FhirProfileValidator(FHIR, true, subsetOfItsOwn);
        for (Resource resource : emitted) {
            assertSameMessages(validator, resource);
        }
        assertThat(subsetOfItsOwn.urlsOutsideSubset()).as("lookups that needed HAPI's full set").isEmpty();
    }

    /** Invalid instances, and contained resources of types outside the subset: HAPI's answers too. */
    @Test
    void invalidResourcesAndContainedResourcesOfOtherTypesGetHapisMessages() {
        ServiceRequest withoutCode = FhirProfileValidatorTest.serviceRequest();
        withoutCode.setCode(null);
        Task wrongIntent = FhirProfileValidatorTest.task();
        wrongIntent.setIntent(Task.TaskIntent.PLAN);
        ServiceRequest unknownProfileAndExtension = FhirProfileValidatorTest.serviceRequest();
        unknownProfileAndExtension.getMeta().addProfile("https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest");
        unknownProfileAndExtension.addExtension("https://sender.example.org/fhir/StructureDefinition/unknown", new StringType("kept"));
        for (Resource resource : List.<Resource>of(withoutCode, wrongIntent, unknownProfileAndExtension)) {
            assertSameMessages(resource);
        }
        assertThat(onSubset.validate(withoutCode).isValid()).isFalse();
        assertThat(onSubset.validate(wrongIntent).isValid()).isFalse();

        ServiceRequest contained = FhirProfileValidatorTest.serviceRequest();
        contained.addContained(new Practitioner().addName(new HumanName().setFamily("Contained")).setId("gp"));
        contained.getRequester().setReference("#gp");
        Task containedOrganisation = FhirProfileValidatorTest.task();
        containedOrganisation.addContained(new Organization().setName("Two").setId("two"));
        containedOrganisation.getOwner().setReference("#two");
        assertSameMessages(contained);
        assertSameMessages(containedOrganisation);
    }

    /** Resource types outside the subset, at the top: a GP update message Bundle, a Practitioner. */
    @Test
    void resourceTypesOutsideTheSubsetGetHapisMessages() throws IOException {
        Bundle message = FHIR.newJsonParser().parseResource(Bundle.class,
                Files.readString(REPOSITORY.resolve("test-fixtures/gp-update/accepted.expected.json")));
        assertSameMessages(message);
        assertThat(onSubset.validate(message).errors()).isEmpty();
        Practitioner withoutName = new Practitioner();
        withoutName.addIdentifier().setSystem("https://fhir.nhs.uk/Id/sds-user-id").setValue("G1234567");
        withoutName.addName(new HumanName().setText(" "));
        assertSameMessages(withoutName);
        assertThat(coreDefinitions.urlsOutsideSubset()).contains("http://hl7.org/fhir/StructureDefinition/Bundle",
                "http://hl7.org/fhir/StructureDefinition/Practitioner");
    }

    @Test
    void aDefinitionOutsideTheSubsetIsHapisAndOneHapiHasNotIsNullWithoutLoadingEverything() {
        CoreDefinitions fresh = new CoreDefinitions(FHIR);
        DefaultProfileValidationSupport hapi = new DefaultProfileValidationSupport(FHIR);

        assertThat(fresh.fetchStructureDefinition("http://hl7.org/fhir/fhirpath/System.String")).isNull();
        assertThat(fresh.fetchStructureDefinition("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient")).isNull();
        assertThat(fresh.fetchValueSet("https://sender.example.org/ValueSet/unknown|1.0")).isNull();
        assertThat(fresh.urlsOutsideSubset()).isEmpty();
        // in the subset, by the forms HAPI accepts too: a bare type name, a versioned URL, a capitalised primitive
        assertThat(fresh.fetchStructureDefinition("Patient")).isSameAs(fresh.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Patient"));
        assertThat(fresh.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Id"))
                .isSameAs(fresh.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/id")).isNotNull();
        assertThat(((ValueSet) fresh.fetchValueSet("http://hl7.org/fhir/ValueSet/request-status|4.0.1")).getUrl())
                .isEqualTo("http://hl7.org/fhir/ValueSet/request-status");
        assertThat(fresh.fetchStructureDefinition("Patient").getUserData(DefaultProfileValidationSupport.SOURCE_PACKAGE_ID))
                .isEqualTo("hl7.fhir.r4.core");
        assertThat(fresh.urlsOutsideSubset()).isEmpty();

        StructureDefinition questionnaire = (StructureDefinition) fresh.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Questionnaire");
        assertThat(questionnaire).isSameAs(hapi.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Questionnaire"));
        assertThat(fresh.urlsOutsideSubset()).containsExactly("http://hl7.org/fhir/StructureDefinition/Questionnaire");
        assertThat(fresh.fetchCodeSystem("http://terminology.hl7.org/CodeSystem/v2-0001"))
                .isSameAs(hapi.fetchCodeSystem("http://terminology.hl7.org/CodeSystem/v2-0001")).isNotNull();
    }

    @Test
    void withoutTheSubsetEveryLookupIsHapis() {
        CoreDefinitions withoutSubset = new CoreDefinitions(FHIR, null);
        DefaultProfileValidationSupport hapi = new DefaultProfileValidationSupport(FHIR);
        assertThat(withoutSubset.subsetSize()).isZero();
        assertThat(withoutSubset.fetchAllStructureDefinitions()).hasSameSizeAs(hapi.fetchAllStructureDefinitions());
        assertThat(withoutSubset.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Questionnaire"))
                .isSameAs(hapi.fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/Questionnaire"));
    }

    @Test
    void aSubsetWithoutTheUrlListIsRefused() {
        InputStream noList = new ByteArrayInputStream("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}".getBytes(StandardCharsets.UTF_8));
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> new CoreDefinitions(FHIR, noList))
                .withMessageContaining("does not list the URLs");
    }

    private static void assertSameMessages(Resource resource) {
        assertSameMessages(onSubset, resource);
    }

    private static void assertSameMessages(FhirProfileValidator onSubset, Resource resource) {
        String profile = EmittedResourceValidator.profileOf(resource);
        assertThat(onSubset.validate(resource)).as(resource.fhirType() + "/" + resource.getIdPart())
                .isEqualTo(onHapisDefinitions.validate(resource));
        if (profile != null) {
            assertThat(onSubset.validate(resource, profile)).as(resource.fhirType() + "/" + resource.getIdPart() + " as " + profile)
                    .isEqualTo(onHapisDefinitions.validate(resource, profile));
        }
    }

    /** Every JSON object in the tree that is a resource of a type we validate, parsed by HAPI. */
    private static void collectValidatedResources(JsonNode node, List<Resource> found) {
        if (node.isObject() && node.has("resourceType")
                && CoreDefinitionsSubsetWriter.VALIDATED_RESOURCE_TYPES.contains(node.get("resourceType").asText())) {
            found.add((Resource) FHIR.newJsonParser().parseResource(node.toString()));
            return;
        }
        node.forEach(child -> collectValidatedResources(child, found));
    }
}
