package io.github.spfhir.adapter.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The simulated platform answers every referral with success: it must never run against a production store. */
class SimulatorSafetyCheckTest {

    private static AdapterProperties simulator(boolean enabled) {
        return new AdapterProperties(new AdapterProperties.Fhir("http://localhost:8080/fhir", false, false),
                new AdapterProperties.Intake(1000), Map.of(), new AdapterProperties.Simulator(enabled, 8089), Map.of(), Map.of(), Map.of(), null, null);
    }

    @Test
    void refusesToStartWithTheSimulatorOnAPostgreSqlStoreAndHidesTheCredentials() {
        SimulatorSafetyCheck check = new SimulatorSafetyCheck(simulator(true),
                "jdbc:postgresql://adapter:s3cret@db.example:5432/adapter?ssl=true");

        assertThatThrownBy(check::afterPropertiesSet)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ADAPTER_SIMULATOR_ENABLED=false")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void theEmbeddedRunAndProductionWithoutTheSimulatorStart() {
        assertThatCode(() -> new SimulatorSafetyCheck(simulator(true), "jdbc:h2:file:./data/adapter").afterPropertiesSet())
                .doesNotThrowAnyException();
        assertThatCode(() -> new SimulatorSafetyCheck(simulator(false), "jdbc:postgresql://db.example/adapter")
                .afterPropertiesSet()).doesNotThrowAnyException();
    }
}
