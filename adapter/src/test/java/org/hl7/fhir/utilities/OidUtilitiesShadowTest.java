package org.hl7.fhir.utilities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.exceptions.FHIRException;
import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.support.ShadowedClasses;

/**
 * Guards the shadowed {@link OIDUtilities} (see the comment in that class): it is only a faithful copy for
 * org.hl7.fhir.utilities 6.7.9, it must be the class actually loaded, and it must answer like upstream.
 */
class OidUtilitiesShadowTest {

    /** The core version the shadow was copied from. Bumping HAPI? Re-copy OIDUtilities and change this. */
    private static final String SHADOWED_VERSION = "6.7.9";

    private static final List<String> SAMPLE = List.of(
            "urn:oid:2.16.840.1.113883.6.96",      // SNOMED CT
            "urn:oid:2.16.840.1.113883.6.1",       // LOINC
            "urn:oid:2.16.840.1.113883",           // HL7 root
            "urn:oid:2.16.840.1.113883.1.2",       // CMET
            "urn:oid:1.2.3.4.5.6.7.8.9.999999",    // not registered
            "2.16.840.1.113883.6.96",              // no urn:oid: prefix
            "http://snomed.info/sct");

    @Test
    void utilitiesJarIsTheShadowedVersion() throws Exception {
        assertThat(ShadowedClasses.hapiArtifactVersion(upstreamJar(), "org.hl7.fhir.utilities"))
                .as("org.hl7.fhir.utilities changed version: re-copy OIDUtilities from its sources jar, "
                        + "re-apply the parse-once change, then update SHADOWED_VERSION")
                .isEqualTo(SHADOWED_VERSION);
    }

    @Test
    void theShadowIsTheClassLoaded() throws Exception {
        URL loadedFrom = OIDUtilities.class.getProtectionDomain().getCodeSource().getLocation();
        assertThat(Path.of(loadedFrom.toURI())).isNotEqualTo(upstreamJar());
        assertThat(loadedFrom.getPath()).doesNotEndWith(".jar");
        // the behavioural marker of the shadow: all instances share one parsed registry
        var oidMap = OIDUtilities.class.getDeclaredField("oidMap");
        oidMap.setAccessible(true);
        assertThat(oidMap.get(new OIDUtilities())).isSameAs(oidMap.get(new OIDUtilities()));
    }

    @Test
    void answersLikeUpstream() throws Exception {
        OIDUtilities shadow = new OIDUtilities();
        // upstream, loaded straight from the jar in isolation (its only dependency, FHIRException, is in it)
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {upstreamJar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> upstreamClass = isolated.loadClass(OIDUtilities.class.getName());
            assertThat(upstreamClass).isNotSameAs(OIDUtilities.class);
            Object upstream = upstreamClass.getConstructor().newInstance();
            Method isKnownOid = upstreamClass.getMethod("isKnownOID", String.class);
            Method uriForOid = upstreamClass.getMethod("getUriForOid", String.class);
            for (String oid : SAMPLE) {
                assertThat(shadow.isKnownOID(oid)).as("isKnownOID(%s)", oid).isEqualTo(isKnownOid.invoke(upstream, oid));
                String bare = oid.replace("urn:oid:", "");
                assertThat(OIDUtilities.getUriForOid(bare)).as("getUriForOid(%s)", bare)
                        .isEqualTo(uriForOid.invoke(null, bare));
            }
            assertThat(isKnownOid.invoke(upstream, (Object) null)).isEqualTo(false);
        }
        assertThat(shadow.isKnownOID("urn:oid:2.16.840.1.113883.6.96")).isTrue();
        assertThat(shadow.isKnownOID("urn:oid:1.2.3.4.5.6.7.8.9.999999")).isFalse();
        assertThat(shadow.isKnownOID(null)).isFalse();
        assertThat(OIDUtilities.getUriForOid("2.16.840.1.113883.6.96")).isEqualTo("http://snomed.info/sct");
    }

    @Test
    void registryIsUnmodifiable() throws Exception {
        var oidMap = OIDUtilities.class.getDeclaredField("oidMap");
        oidMap.setAccessible(true);
        @SuppressWarnings("unchecked")
        var map = (Map<String, Object>) oidMap.get(new OIDUtilities());
        assertThat(map).hasSizeGreaterThan(10_000);
        assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    /** The jar org.hl7.fhir.utilities classes come from: FHIRException is not shadowed. */
    private static Path upstreamJar() {
        Path jar = ShadowedClasses.jarOf(FHIRException.class);
        assertThat(jar.getFileName().toString()).startsWith("org.hl7.fhir.utilities-");
        return jar;
    }
}
