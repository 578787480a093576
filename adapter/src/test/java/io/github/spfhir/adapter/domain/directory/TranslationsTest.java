package io.github.spfhir.adapter.domain.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.HealthcareService;
import org.junit.jupiter.api.Test;

/** Welsh and English side by side with the FHIR translation extension. */
class TranslationsTest {

    static HealthcareService bilingual() {
        HealthcareService service = new HealthcareService();
        service.setName("Example Walking Group");
        Translations.add(service.getNameElement(), Translations.WELSH, "Grŵp Cerdded Enghreifftiol");
        service.setComment("A weekly walk.");
        return service;
    }

    @Test
    void localisingSwapsInTheWelshAndKeepsTheEnglishAsATranslation() {
        HealthcareService service = bilingual();

        assertThat(Translations.localise(service, Translations.WELSH, Translations.ENGLISH)).isTrue();

        assertThat(service.getName()).isEqualTo("Grŵp Cerdded Enghreifftiol");
        assertThat(Translations.get(service.getNameElement(), Translations.ENGLISH)).isEqualTo("Example Walking Group");
        assertThat(Translations.get(service.getNameElement(), Translations.WELSH)).isNull();
        assertThat(service.getComment()).as("no Welsh held: the English stays").isEqualTo("A weekly walk.");
    }

    @Test
    void withoutAWelshTranslationNothingChanges() {
        HealthcareService service = new HealthcareService().setName("Example Befriending Calls");

        assertThat(Translations.localise(service, Translations.WELSH, Translations.ENGLISH)).isFalse();
        assertThat(service.getName()).isEqualTo("Example Befriending Calls");
        assertThat(service.getNameElement().getExtension()).isEmpty();
    }

    @Test
    void aRegionalTagCountsAsTheLanguageAndBlankTextIsNotATranslation() {
        HealthcareService service = new HealthcareService().setName("Example");
        Translations.add(service.getNameElement(), "cy-GB", "Enghraifft");
        Translations.add(service.getNameElement(), "fr", " ");

        assertThat(Translations.get(service.getNameElement(), Translations.WELSH)).isEqualTo("Enghraifft");
        assertThat(service.getNameElement().getExtension()).hasSize(1);
    }
}
