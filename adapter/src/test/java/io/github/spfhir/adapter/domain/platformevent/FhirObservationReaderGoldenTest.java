package io.github.spfhir.adapter.domain.platformevent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.outcome.OutcomeInstrument;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.GoldenFiles;
import io.github.spfhir.adapter.support.ReferralEventJson;

/**
 * Golden files of outcome measures created as FHIR Observations ({@code POST Observation}), in
 * {@code test-fixtures/events-from-link-worker/fhir/observation/}: {@code <scenario>.observation.json|xml} (the
 * Observation the platform posts, about the fixture referral) gives the event in {@code <scenario>.expected.json};
 * scenarios in {@code invalid/} give the refusal, its problems pointing into the Observation. Write expected files
 * with {@code -Dgolden.update=true}, then read them.
 */
class FhirObservationReaderGoldenTest {

    private static final String FOLDER = "events-from-link-worker/fhir/observation/";
    private static final String PLATFORM = "example-fhir-platform";
    /** The X-Request-ID of the POST. */
    private static final String REQUEST_ID = "0b6c2f7e-5a41-4c3d-9e8f-7a6b5c4d3e2f";
    /** The fixture referral's subject, as our ServiceRequest holds it. */
    private static final String REFERRAL_PATIENT = "Patient/f730adc3-17ab-343b-abb5-5395b79e34f0";
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final FhirObservationReader reader = new FhirObservationReader();

    static Stream<String> observations() {
        return scenarios(FOLDER);
    }

    static Stream<String> invalidObservations() {
        return scenarios(FOLDER + "invalid/").map(s -> "invalid/" + s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("observations")
    void observationGivesTheGoldenEvent(String scenario) {
        Observation posted = observation(scenario);

        ReferralEvent event = reader.read(PLATFORM, REQUEST_ID, posted, REFERRAL_PATIENT);

        GoldenFiles.assertMatches(Fixtures.path(FOLDER + scenario + ".expected.json"), ReferralEventJson.write(event));
        assertThat(reader.referralId(posted)).isEqualTo(event.referralId());
        assertThat(reader.read(PLATFORM, REQUEST_ID, observation(scenario), REFERRAL_PATIENT))
                .as("the same Observation again gives the same event").isEqualTo(event);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidObservations")
    void invalidObservationIsRefusedWithTheGoldenProblems(String scenario) {
        PlatformEventRejectedException rejected = catchThrowableOfType(PlatformEventRejectedException.class,
                () -> reader.read(PLATFORM, REQUEST_ID, observation(scenario), REFERRAL_PATIENT));

        assertThat(rejected).as("refused").isNotNull();
        assertThat(rejected.reason()).isEqualTo(RejectionReason.INVALID_CONTENT);
        GoldenFiles.assertMatches(Fixtures.path(FOLDER + scenario + ".expected.json"), ReferralEventJson.refusal(rejected));
    }

    @Test
    void everyInstrumentIsReadFromItsOwnObservationCode() {
        for (OutcomeInstrument instrument : OutcomeInstrument.values()) {
            Observation posted = observation("wemwbs-baseline");
            posted.getCode().getCodingFirstRep().setSystem(instrument.system()).setCode(instrument.observationCode());
            posted.setValue(new IntegerType(instrument.max().intValue()));

            ReferralEvent event = reader.read(PLATFORM, REQUEST_ID, posted, REFERRAL_PATIENT);

            assertThat(event.measure().instrument()).as(instrument.name()).isEqualTo(instrument.code());
            assertThat(event.measure().score()).as(instrument.name()).isEqualByComparingTo(instrument.max());
        }
    }

    @Test
    void anObservationBasedOnNoReferralHasNoReferralId() {
        Observation posted = observation("wemwbs-baseline");
        posted.getBasedOn().clear();

        PlatformEventRejectedException rejected = catchThrowableOfType(PlatformEventRejectedException.class,
                () -> reader.referralId(posted));

        assertThat(rejected.problems()).singleElement()
                .satisfies(p -> assertThat(p.expression()).isEqualTo("Observation.basedOn"));
    }

    /** The Observation as posted, JSON or XML, parsed as the endpoint does. */
    private static Observation observation(String scenario) {
        Path json = Fixtures.path(FOLDER + scenario + ".observation.json");
        Path file = Files.exists(json) ? json : Fixtures.path(FOLDER + scenario + ".observation.xml");
        try {
            String body = Files.readString(file);
            return file.toString().endsWith(".xml")
                    ? FHIR.newXmlParser().parseResource(Observation.class, body)
                    : FHIR.newJsonParser().parseResource(Observation.class, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> scenarios(String folder) {
        try (Stream<Path> files = Files.list(Fixtures.path(folder))) {
            List<String> names = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".observation.json") || n.endsWith(".observation.xml"))
                    .map(n -> n.substring(0, n.indexOf(".observation.")))
                    .sorted().toList();
            assertThat(names).as("scenarios in %s", folder).isNotEmpty();
            return names.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
