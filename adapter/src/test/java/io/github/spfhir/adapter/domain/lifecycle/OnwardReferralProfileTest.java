package io.github.spfhir.adapter.domain.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.ValidationResult;

/**
 * The SocialPrescribingOnwardReferral profile: its bundled example is valid, and each constraint fails an
 * instance that breaks it (so a constraint the snapshot generator dropped would show here, stack.md §5.5).
 */
class OnwardReferralProfileTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static FhirProfileValidator validator;

    @BeforeAll
    static void buildValidatorOnce() {
        validator = new FhirProfileValidator(FHIR);
    }

    static ServiceRequest example() {
        try (InputStream in = OnwardReferralProfileTest.class.getClassLoader()
                .getResourceAsStream(FhirProfileValidator.PROFILES_ROOT + "examples/sp-onward-referral.json")) {
            return FHIR.newJsonParser().parseResource(ServiceRequest.class,
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theProfileIsLoaded() {
        assertThat(validator.canonicalUrls()).contains(LifecycleProfiles.ONWARD_REFERRAL);
    }

    @Test
    void exampleHasNoErrors() {
        ValidationResult result = validator.validate(example());
        assertThat(result.errors()).isEmpty();
        assertThat(result.isValid()).isTrue();
    }

    static Stream<Arguments> missingElements() {
        return Stream.of(
                Arguments.of("basedOn", (Consumer<ServiceRequest>) r -> r.setBasedOn(null)),
                Arguments.of("subject", (Consumer<ServiceRequest>) r -> r.setSubject(null)),
                Arguments.of("authoredOn", (Consumer<ServiceRequest>) r -> r.setAuthoredOnElement(null)),
                Arguments.of("requester", (Consumer<ServiceRequest>) r -> r.setRequester(null)),
                Arguments.of("performer", (Consumer<ServiceRequest>) r -> r.setPerformer(null)));
    }

    @ParameterizedTest(name = "without {0}")
    @MethodSource("missingElements")
    void requiredElementMissing(String element, Consumer<ServiceRequest> change) {
        ServiceRequest request = example();
        change.accept(request);

        assertThat(validator.validate(request).errors()).anySatisfy(p -> {
            assertThat(p.diagnostics()).contains("ServiceRequest." + element + ": minimum required = 1");
            assertThat(p.code()).isEqualTo(IssueType.STRUCTURE);
        });
    }

    @Test
    void basedOnMoreThanOneReferral() {
        ServiceRequest request = example();
        request.addBasedOn(new Reference("ServiceRequest/another-referral"));

        assertThat(validator.validate(request).errors()).anySatisfy(p ->
                assertThat(p.diagnostics()).contains("ServiceRequest.basedOn: max allowed = 1"));
    }

    @Test
    void basedOnThatIsNotAServiceRequest() {
        ServiceRequest request = example();
        request.getBasedOnFirstRep().setReference("CarePlan/example-care-plan");

        assertThat(validator.validate(request).errors()).singleElement().satisfies(p -> {
            assertThat(p.diagnostics()).contains("sp-onward-1");
            assertThat(p.expression()).isEqualTo("ServiceRequest.basedOn[0]");
        });
    }

    @Test
    void subjectThatIsNotAPatient() {
        ServiceRequest request = example();
        request.setSubject(new Reference("Group/example-group"));

        assertThat(validator.validate(request).errors()).singleElement().satisfies(p -> {
            assertThat(p.diagnostics()).contains("sp-onward-2");
            assertThat(p.expression()).isEqualTo("ServiceRequest.subject");
        });
    }

    @Test
    void performerThatIsNotAHealthcareService() {
        ServiceRequest request = example();
        Reference performer = request.getPerformerFirstRep();
        performer.setReference("Organization/example-community-organisation").setType(null);

        assertThat(validator.validate(request).errors()).singleElement().satisfies(p -> {
            assertThat(p.diagnostics()).contains("sp-onward-3");
            assertThat(p.expression()).isEqualTo("ServiceRequest.performer[0]");
        });
    }

    @Test
    void twoPerformers() {
        ServiceRequest request = example();
        request.addPerformer(request.getPerformerFirstRep().copy());

        assertThat(validator.validate(request).errors()).anySatisfy(p ->
                assertThat(p.diagnostics()).contains("ServiceRequest.performer: max allowed = 1"));
    }

    @Test
    void performerWithoutItsDirectoryIdentifier() {
        ServiceRequest request = example();
        request.getPerformerFirstRep().setIdentifier(null);

        assertThat(validator.validate(request).errors()).singleElement().satisfies(p ->
                assertThat(p.diagnostics()).contains("ServiceRequest.performer.identifier: minimum required = 1"));
    }

    @Test
    void performerIdentifierWithoutSystemOrValue() {
        ServiceRequest noSystem = example();
        noSystem.getPerformerFirstRep().setIdentifier(new Identifier().setValue("ac148810-d857-441c-9679-408f346de14b"));
        ServiceRequest noValue = example();
        noValue.getPerformerFirstRep().getIdentifier().setValue(null);

        for (ServiceRequest request : new ServiceRequest[] {noSystem, noValue}) {
            assertThat(validator.validate(request).errors()).singleElement().satisfies(p -> {
                assertThat(p.diagnostics()).contains("sp-onward-4");
                assertThat(p.expression()).isEqualTo("ServiceRequest.performer[0]");
            });
        }
    }
}
