package io.github.spfhir.adapter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.AdapterApplication;

class H2ValueCacheTest {

    @Test
    void isTurnedOffWhenTheCommandLineDoesNotNameIt() {
        Properties systemProperties = new Properties();
        systemProperties.setProperty("h2.objectCacheSize", "2048");

        H2ValueCache.turnOffUnlessSet(systemProperties);

        assertThat(systemProperties.getProperty("h2.objectCache")).isEqualTo("false");
        assertThat(systemProperties.getProperty("h2.objectCacheSize")).isEqualTo("2048");
    }

    @Test
    void anOperatorsSettingIsKept() {
        Properties systemProperties = new Properties();
        systemProperties.setProperty("h2.objectCache", "true");

        H2ValueCache.turnOffUnlessSet(systemProperties);

        assertThat(systemProperties.getProperty("h2.objectCache")).isEqualTo("true");
    }

    @Test
    void theRunCommandsApplicationTurnsItOffBeforeTheStoreOpens() {
        String before = System.getProperty(H2ValueCache.PROPERTY);
        System.clearProperty(H2ValueCache.PROPERTY);
        try {
            AdapterApplication.application(); // built, not run: nothing has opened a store

            assertThat(System.getProperty(H2ValueCache.PROPERTY)).isEqualTo("false");
        } finally {
            if (before == null) {
                System.clearProperty(H2ValueCache.PROPERTY);
            } else {
                System.setProperty(H2ValueCache.PROPERTY, before);
            }
        }
    }
}
