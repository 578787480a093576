package io.github.spfhir.adapter.inbound.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.config.AdapterProperties;

/** Dev mode lets anyone mint a token for any role: never without the simulator, so never on a production store. */
class DevModeSafetyCheckTest {

    private static AdapterProperties simulator(boolean enabled) {
        return new AdapterProperties(new AdapterProperties.Fhir("http://localhost:8080/fhir", false, false),
                new AdapterProperties.Intake(1000), Map.of(), new AdapterProperties.Simulator(enabled, 8089), Map.of(),
                Map.of(), Map.of(), null, null);
    }

    private static SecurityProperties devMode(boolean enabled) {
        return new SecurityProperties(Map.of(), null, null, null, Duration.ofSeconds(60),
                new SecurityProperties.DevMode(enabled, Duration.ofHours(1)), null);
    }

    @Test
    void refusesToStartInDevModeWithTheSimulatorOff() {
        DevModeSafetyCheck check = new DevModeSafetyCheck(devMode(true), simulator(false));

        assertThatThrownBy(check::afterPropertiesSet)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ADAPTER_SECURITY_DEV_MODE=false");
    }

    @Test
    void theEmbeddedRunAndADeploymentWithoutDevModeStart() {
        assertThatCode(() -> new DevModeSafetyCheck(devMode(true), simulator(true)).afterPropertiesSet())
                .doesNotThrowAnyException();
        assertThatCode(() -> new DevModeSafetyCheck(devMode(false), simulator(false)).afterPropertiesSet())
                .doesNotThrowAnyException();
    }
}
