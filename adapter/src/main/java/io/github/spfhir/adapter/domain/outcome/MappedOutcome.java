package io.github.spfhir.adapter.domain.outcome;

import java.util.List;
import java.util.Optional;

import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Resource;

/**
 * One outcome measure as FHIR.
 *
 * @param observation           the measure (profile {@link OutcomeProfiles#OBSERVATION})
 * @param questionnaireResponse the item answers, when the platform sent them (the Observation's derivedFrom);
 *                              null otherwise
 */
public record MappedOutcome(Observation observation, QuestionnaireResponse questionnaireResponse) {

    public Optional<QuestionnaireResponse> itemAnswers() {
        return Optional.ofNullable(questionnaireResponse);
    }

    /** The resources to store: the QuestionnaireResponse (when any) first, then the Observation derived from it. */
    public List<Resource> resources() {
        return questionnaireResponse == null ? List.of(observation) : List.of(questionnaireResponse, observation);
    }
}
