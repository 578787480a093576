package io.github.spfhir.adapter.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;

class ProblemTest {

    @Test
    void whatXmlCannotCarryIsReplacedSoTheRefusalIsWellFormedXml() {
        Problem problem = Problem.error(IssueType.INVALID,
                "bad value 'a\uFFFFb\u0000c\uD800d' near Llanfair\u0175 \uD83D\uDE00", "Patient.name[0].\uFFFE");

        assertThat(problem.diagnostics()).isEqualTo("bad value 'a\uFFFDb\uFFFDc\uFFFDd' near Llanfair\u0175 \uD83D\uDE00");
        assertThat(problem.expression()).isEqualTo("Patient.name[0].\uFFFD");

        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setDiagnostics(problem.diagnostics()).addExpression(problem.expression());
        FhirContext fhir = FhirContext.forR4Cached();
        String xml = fhir.newXmlParser().encodeResourceToString(outcome);
        OperationOutcome read = fhir.newXmlParser().parseResource(OperationOutcome.class, xml);
        assertThat(read.getIssueFirstRep().getDiagnostics()).isEqualTo(problem.diagnostics());
    }

    @Test
    void ordinaryTextIsKeptAsItIs() {
        Problem problem = Problem.error(IssueType.VALUE, "Tab\there,\nnew line, Cymraeg: \u0175\u0177", null);

        assertThat(problem.diagnostics()).isEqualTo("Tab\there,\nnew line, Cymraeg: \u0175\u0177");
        assertThat(problem.expression()).isNull();
    }
}
