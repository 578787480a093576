package io.github.spfhir.adapter.domain.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.support.GoldenFiles;

/** The one check of every directory mapping's golden files: the resources as a Bundle, and each one valid. */
final class MappedServiceGolden {

    private MappedServiceGolden() {
    }

    static void assertMatchesAndValidates(MappedService mapped, Path expectedFile, FhirProfileValidator validator) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (Resource resource : mapped.resources()) {
            bundle.addEntry().setResource(resource);
        }
        GoldenFiles.assertMatches(expectedFile,
                FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle));
        assertThat(validator.validate(mapped.healthcareService(), Profiles.HEALTHCARE_SERVICE).errors()).isEmpty();
        assertThat(validator.validate(mapped.organization()).errors()).isEmpty();
        mapped.locations().forEach(l -> assertThat(validator.validate(l).errors()).isEmpty());
    }
}
