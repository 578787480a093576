package io.github.spfhir.adapter.domain.directory;

import java.util.List;
import java.util.Locale;

import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.StringType;

/**
 * Bilingual text with FHIR R4's core translation extension
 * ({@value #TRANSLATION}, sub-extensions {@code lang} and {@code content}) on a string element: the element's
 * value is one language, each translation sits beside it. Plain Java.
 */
public final class Translations {

    public static final String TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";
    public static final String WELSH = "cy";
    public static final String ENGLISH = "en";

    private Translations() {
    }

    /** Adds a translation of the element's text (nothing when the content is blank). */
    public static void add(StringType element, String lang, String content) {
        if (content == null || content.isBlank()) {
            return;
        }
        Extension translation = element.addExtension().setUrl(TRANSLATION);
        translation.addExtension("lang", new CodeType(lang));
        translation.addExtension("content", new StringType(content.trim()));
    }

    /** The element's translation into the language given (or a regional variant of it), or null. */
    public static String get(StringType element, String lang) {
        for (Extension translation : element.getExtensionsByUrl(TRANSLATION)) {
            if (matches(translation, lang)) {
                Extension content = translation.getExtensionByUrl("content");
                return content == null || content.getValue() == null ? null : content.getValue().primitiveValue();
            }
        }
        return null;
    }

    /**
     * Puts the service's name and comment in the language given where a translation exists: the translated text
     * becomes the value, and the text it replaces becomes a translation in {@code originalLang}, so nothing is
     * lost.
     *
     * @return true when at least one element was changed
     */
    public static boolean localise(HealthcareService service, String lang, String originalLang) {
        boolean changed = false;
        for (StringType element : List.of(service.getNameElement(), service.getCommentElement())) {
            changed |= swap(element, lang, originalLang);
        }
        return changed;
    }

    private static boolean swap(StringType element, String lang, String originalLang) {
        String translated = get(element, lang);
        if (translated == null) {
            return false;
        }
        String original = element.getValue();
        element.getExtension().removeIf(e -> TRANSLATION.equals(e.getUrl()) && matches(e, lang));
        element.setValue(translated);
        add(element, originalLang, original);
        return true;
    }

    private static boolean matches(Extension translation, String lang) {
        Extension code = translation.getExtensionByUrl("lang");
        if (code == null || code.getValue() == null || code.getValue().primitiveValue() == null) {
            return false;
        }
        String value = code.getValue().primitiveValue().toLowerCase(Locale.ROOT);
        return value.equals(lang) || value.startsWith(lang + "-");
    }
}
