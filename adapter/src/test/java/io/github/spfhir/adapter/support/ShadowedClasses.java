package io.github.spfhir.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.JarFile;

/** What the tests of our shadowed HL7 classes check about the upstream jars (docs/development.md). */
public final class ShadowedClasses {

    private ShadowedClasses() {
    }

    /** The jar a class was loaded from; fails when it was not a jar (a shadow in target/classes, say). */
    public static Path jarOf(Class<?> type) {
        try {
            Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertThat(jar.getFileName().toString()).as("where %s was loaded from", type.getName()).endsWith(".jar");
            return jar;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Maven version recorded in a ca.uhn.hapi.fhir jar's pom.properties. */
    public static String hapiArtifactVersion(Path jar, String artifactId) throws IOException {
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            var entry = jarFile.getJarEntry("META-INF/maven/ca.uhn.hapi.fhir/" + artifactId + "/pom.properties");
            assertThat(entry).as("pom.properties of %s in %s", artifactId, jar).isNotNull();
            Properties pom = new Properties();
            try (InputStream in = jarFile.getInputStream(entry)) {
                pom.load(in);
            }
            return pom.getProperty("version");
        }
    }
}
