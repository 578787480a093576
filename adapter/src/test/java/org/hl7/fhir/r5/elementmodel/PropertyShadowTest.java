package org.hl7.fhir.r5.elementmodel;

import static io.github.spfhir.adapter.support.ShadowedClasses.jarOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.r5.formats.JsonParser;
import org.hl7.fhir.r5.model.ElementDefinition;
import org.hl7.fhir.r5.model.ElementDefinition.TypeRefComponent;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.support.ShadowedClasses;

/**
 * Guards the shadowed {@link Property} (see the comment in that class): it is only a faithful copy for
 * org.hl7.fhir.r5 6.7.9, it must be the class actually loaded, and its remembered answers must be upstream's.
 */
class PropertyShadowTest {

    /** The core version the shadow was copied from. Bumping HAPI? Re-copy Property and change this. */
    private static final String SHADOWED_VERSION = "6.7.9";

    /** FHIR R4 core definitions with what the adapter reads and emits: resources, choices, backbones, datatypes. */
    private static final List<String> DEFINITIONS = List.of("Bundle", "MessageHeader", "ServiceRequest", "Task",
            "Patient", "Observation", "Extension", "Identifier", "HumanName", "CodeableConcept", "Reference", "Meta",
            "Narrative", "Quantity");

    @Test
    void r5JarIsTheShadowedVersion() throws Exception {
        assertThat(ShadowedClasses.hapiArtifactVersion(jarOf(StructureDefinition.class), "org.hl7.fhir.r5"))
                .as("org.hl7.fhir.r5 changed version: re-copy Property from its sources jar, re-apply the "
                        + "remembered-answers change, then update SHADOWED_VERSION")
                .isEqualTo(SHADOWED_VERSION);
    }

    @Test
    void theShadowIsTheClassLoaded() throws Exception {
        URL loadedFrom = Property.class.getProtectionDomain().getCodeSource().getLocation();
        assertThat(Path.of(loadedFrom.toURI())).isNotEqualTo(jarOf(StructureDefinition.class));
        assertThat(loadedFrom.getPath()).doesNotEndWith(".jar");
        // the shadow's marker: upstream's getType(), kept as the method whose answer is remembered
        assertThat(Property.class.getDeclaredMethod("computeType")).isNotNull();
    }

    /**
     * Upstream's Property, loaded in isolation from the jars (not from our classes), and the shadow, each built on
     * the same element definitions, give the same answers; the shadow gives them again from memory. The answers
     * compared are those that need no worker context (name, JSON name, type, the type for an element name, choice,
     * list, JSON list), for every element of each definition and, for a choice, every one of its types; isResource,
     * isPrimitive, getExtensionStyle, getChildProperties and the type for a choice's element name ask the worker
     * context, and the whole suite's golden validation outcomes cover them.
     */
    @Test
    void remembersUpstreamsAnswers() throws Exception {
        List<URL> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                jars.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> upstream = isolated.loadClass(Property.class.getName());
            assertThat(upstream).isNotSameAs(Property.class);
            Class<?> upstreamContext = isolated.loadClass("org.hl7.fhir.r5.context.IWorkerContext");
            Class<?> upstreamElement = isolated.loadClass(ElementDefinition.class.getName());
            Class<?> upstreamStructure = isolated.loadClass(StructureDefinition.class.getName());
            Class<?> upstreamUtilities = isolated.loadClass("org.hl7.fhir.r5.conformance.profile.ProfileUtilities");
            Class<?> upstreamContextUtilities = isolated.loadClass("org.hl7.fhir.r5.context.ContextUtilities");
            Constructor<?> untyped = upstream.getConstructor(upstreamContext, upstreamElement, upstreamStructure,
                    upstreamUtilities, upstreamContextUtilities);
            Constructor<?> typed = upstream.getConstructor(upstreamContext, upstreamElement, upstreamStructure,
                    upstreamUtilities, upstreamContextUtilities, String.class);
            Object upstreamParser = isolated.loadClass(JsonParser.class.getName()).getConstructor().newInstance();
            Method parse = upstreamParser.getClass().getMethod("parse", byte[].class);

            int compared = 0;
            int choices = 0;
            for (String name : DEFINITIONS) {
                StructureDefinition ours = r5Definition(name);
                Object theirs = parse.invoke(upstreamParser, new JsonParser().composeBytes(ours));
                List<?> theirElements = (List<?>) call(call(theirs, "getSnapshot"), "getElement");
                List<ElementDefinition> ourElements = ours.getSnapshot().getElement();
                assertThat(theirElements).hasSameSizeAs(ourElements);
                for (int i = 0; i < ourElements.size(); i++) {
                    ElementDefinition element = ourElements.get(i);
                    assertSameAnswers(new Property(null, element, ours, null, null),
                            untyped.newInstance(null, theirElements.get(i), theirs, null, null), element.getPath());
                    compared++;
                    if (element.getType().size() > 1) {
                        choices++;
                        for (TypeRefComponent type : element.getType()) {
                            assertSameAnswers(new Property(null, element, ours, null, null, type.getWorkingCode()),
                                    typed.newInstance(null, theirElements.get(i), theirs, null, null,
                                            type.getWorkingCode()),
                                    element.getPath() + " as " + type.getWorkingCode());
                        }
                    }
                }
            }
            assertThat(compared).isGreaterThan(300);
            assertThat(choices).as("choice elements (value[x], occurrence[x], ...)").isGreaterThan(5);
        }
    }

    private static void assertSameAnswers(Property shadow, Object upstream, String what) throws Exception {
        for (int round = 1; round <= 2; round++) { // the second round answers from memory
            assertThat(shadow.getName()).as("getName of %s, round %s", what, round).isEqualTo(call(upstream, "getName"));
            assertThat(shadow.getJsonName()).as("getJsonName of %s, round %s", what, round)
                    .isEqualTo(call(upstream, "getJsonName"));
            assertThat(shadow.getType()).as("getType of %s, round %s", what, round).isEqualTo(call(upstream, "getType"));
            assertThat(shadow.isChoice()).as("isChoice of %s, round %s", what, round).isEqualTo(call(upstream, "isChoice"));
            assertThat(shadow.isList()).as("isList of %s, round %s", what, round).isEqualTo(call(upstream, "isList"));
            assertThat(shadow.isJsonList()).as("isJsonList of %s, round %s", what, round)
                    .isEqualTo(call(upstream, "isJsonList"));
            if (!shadow.isChoice() || shadow.getDefinition().getType().size() <= 1) {
                // (upstream asks the worker context about a choice's element name, and there is none here)
                for (String elementName : new String[] { shadow.getName(), null, shadow.getName() }) {
                    assertThat(shadow.getType(elementName)).as("getType(%s) of %s, round %s", elementName, what, round)
                            .isEqualTo(upstream.getClass().getMethod("getType", String.class).invoke(upstream, elementName));
                }
            }
        }
    }

    /** FHIR R4's core definition of a type, in the R5 model the core validator works on. */
    private static StructureDefinition r5Definition(String name) {
        org.hl7.fhir.r4.model.StructureDefinition r4 = (org.hl7.fhir.r4.model.StructureDefinition) FhirContext
                .forR4Cached().getValidationSupport()
                .fetchStructureDefinition("http://hl7.org/fhir/StructureDefinition/" + name);
        assertThat(r4).as("R4 core definition of %s", name).isNotNull();
        return (StructureDefinition) VersionConvertorFactory_40_50.convertResource(r4);
    }

    private static Object call(Object target, String method) throws Exception {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
