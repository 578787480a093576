package io.github.spfhir.adapter.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.ValidationContext;
import ca.uhn.fhir.validation.ValidationOptions;

/**
 * The pooled core validator at every best-practice level: it skips evaluating a best-practice invariant only when
 * its finding would be dropped, so at each level its messages are HAPI's.
 */
class PooledCoreValidationTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static ValidationSupportChain chain;

    @BeforeAll
    static void loadTheCoreDefinitions() {
        chain = new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR), new CommonCodeSystemsTerminologyService(FHIR));
    }

    @ParameterizedTest
    @EnumSource(value = BestPracticeWarningLevel.class, names = { "Ignore", "Hint", "Warning", "Error" })
    void bestPracticeInvariantsAnswerAsHapisOwnPath(BestPracticeWarningLevel level) {
        CoreMessagesOfHapisOwnPath hapisOwnPath = new CoreMessagesOfHapisOwnPath(chain);
        hapisOwnPath.setBestPracticeWarningLevel(level);
        PooledCoreValidation pooled = new PooledCoreValidation(hapisOwnPath, () -> new MemoisingWorkerContext(chain), 1);
        Patient withoutNarrative = new Patient();
        withoutNarrative.addName().setFamily("Example");

        List<String> expected = described(hapisOwnPath.coreMessages(context(withoutNarrative)));
        List<String> actual = described(pooled.validate(context(withoutNarrative)));

        assertThat(actual).isEqualTo(expected);
        // dom-6, "a resource should have narrative", is a best-practice invariant of every DomainResource
        boolean narrativeFinding = actual.stream().anyMatch(message -> message.contains("dom-6"));
        assertThat(narrativeFinding).isEqualTo(level != BestPracticeWarningLevel.Ignore);
    }

    private static IValidationContext<Patient> context(Patient patient) {
        return ValidationContext.forResource(FHIR, patient, new ValidationOptions());
    }

    private static List<String> described(List<ValidationMessage> messages) {
        return messages.stream().map(message -> message.getLevel() + " " + message.getLocation() + " " + message.getMessage())
                .sorted().toList();
    }

    /** HAPI's own validator module, with its core messages in reach of the test. */
    private static final class CoreMessagesOfHapisOwnPath extends FhirInstanceValidator {

        CoreMessagesOfHapisOwnPath(ValidationSupportChain chain) {
            super(chain);
        }

        List<ValidationMessage> coreMessages(IValidationContext<?> context) {
            return validate(context);
        }
    }
}
