package org.hl7.fhir.validation.instance.utils;

import static io.github.spfhir.adapter.support.ShadowedClasses.jarOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.lang3.StringUtils;
import org.hl7.fhir.utilities.VersionUtilities;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.support.ShadowedClasses;

/**
 * Guards the shadowed {@link FHIRPathExpressionFixer} (see the comment in that class): it is only a faithful copy
 * for org.hl7.fhir.validation 6.7.9, it must be the class actually loaded, and it must answer like upstream.
 */
class FhirPathExpressionFixerShadowTest {

    /** The core version the shadow was copied from. Bumping HAPI? Re-copy FHIRPathExpressionFixer and change this. */
    private static final String SHADOWED_VERSION = "6.7.9";

    private static final List<String> VERSIONS = Arrays.asList("4.0.1", "4.0", "4.3.0", "5.0.0", "4.5.0", "3.0.2", "1.0.2",
            "6.0.0-ballot", "r4", "R5", null);

    /** (key, expression): upstream's rewrites by key and by expression, and expressions it leaves alone. */
    private static final List<String[]> CONSTRAINTS = List.of(
            new String[] { "opd-3", "anything" },
            new String[] { "eld-19", "path.matches('x')" },
            new String[] { "eld-20", "path.matches('y')" },
            new String[] { "dom-6", "text.`div`.exists()" },
            new String[] { "txt-2", "htmlChecks()" },
            new String[] { "que-7", "anything" },
            new String[] { "ref-1", "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))" },
            new String[] { "tim-9", "offset.empty() or (when.exists() and ((when in ('C' | 'CM' | 'CD' | 'CV')).not()))" },
            new String[] { "ele-1", "hasValue() or (children().count() > id.count())" },
            new String[] { "ext-1", "extension.exists() != value.exists()" },
            new String[] { "ras-2", "probability is decimal implies probability.as(decimal) <= 100" },
            new String[] { "x-1", "" });

    @Test
    void validationJarIsTheShadowedVersion() throws Exception {
        assertThat(ShadowedClasses.hapiArtifactVersion(jarOf(InstanceValidator.class), "org.hl7.fhir.validation"))
                .as("org.hl7.fhir.validation changed version: re-copy FHIRPathExpressionFixer from its sources jar, "
                        + "re-apply the version-flags change, then update SHADOWED_VERSION")
                .isEqualTo(SHADOWED_VERSION);
    }

    @Test
    void theShadowIsTheClassLoaded() throws Exception {
        URL loadedFrom = FHIRPathExpressionFixer.class.getProtectionDomain().getCodeSource().getLocation();
        assertThat(Path.of(loadedFrom.toURI())).isNotEqualTo(jarOf(InstanceValidator.class));
        assertThat(loadedFrom.getPath()).doesNotEndWith(".jar");
        // the shadow's marker: the remembered release flags
        assertThat(FHIRPathExpressionFixer.class.getDeclaredField("RELEASE_FLAGS")).isNotNull();
    }

    @Test
    void answersLikeUpstream() throws Exception {
        // upstream, loaded in isolation from the validation jar and the two jars it needs
        URL[] jars = { jarOf(InstanceValidator.class).toUri().toURL(), jarOf(VersionUtilities.class).toUri().toURL(),
                jarOf(StringUtils.class).toUri().toURL() };
        try (URLClassLoader isolated = new URLClassLoader(jars, ClassLoader.getPlatformClassLoader())) {
            Class<?> upstream = isolated.loadClass(FHIRPathExpressionFixer.class.getName());
            assertThat(upstream).isNotSameAs(FHIRPathExpressionFixer.class);
            Method fixExpr = upstream.getMethod("fixExpr", String.class, String.class, String.class);
            Method fixRegex = upstream.getMethod("fixRegex", String.class);
            List<String> rewritten = new ArrayList<>();
            for (int round = 0; round < 2; round++) { // the second round answers from the remembered flags
                for (String version : VERSIONS) {
                    for (String[] constraint : CONSTRAINTS) {
                        String expected = invoke(fixExpr, constraint[1], constraint[0], version);
                        String actual = fixExpr(constraint[1], constraint[0], version);
                        assertThat(actual).as("fixExpr(%s, %s, %s)", constraint[1], constraint[0], version).isEqualTo(expected);
                        if (!actual.equals(constraint[1])) {
                            rewritten.add(constraint[0] + "@" + version);
                        }
                    }
                }
            }
            for (String regex : Arrays.asList(null, "[ \\r\\n\\t\\S]+", "-?(0|[1-9][0-9]{0,17})(\\.[0-9]{1,17})?([eE][+-]?[0-9]{1,9}})?", "[0-9]+")) {
                assertThat(FHIRPathExpressionFixer.fixRegex(regex)).isEqualTo(fixRegex.invoke(null, regex));
            }
            // the samples do reach the version-dependent rewrites both ways
            assertThat(rewritten).contains("opd-3@4.0.1", "opd-3@5.0.0", "eld-19@4.0.1", "tim-9@4.0.1", "dom-6@4.0.1")
                    .doesNotContain("eld-19@5.0.0", "tim-9@5.0.0", "ele-1@4.0.1");
        }
    }

    private static String fixExpr(String expr, String key, String version) {
        try {
            return FHIRPathExpressionFixer.fixExpr(expr, key, version);
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getName();
        }
    }

    private static String invoke(Method fixExpr, String expr, String key, String version) throws Exception {
        try {
            return (String) fixExpr.invoke(null, expr, key, version);
        } catch (java.lang.reflect.InvocationTargetException e) {
            return "threw " + e.getCause().getClass().getName();
        }
    }

}
