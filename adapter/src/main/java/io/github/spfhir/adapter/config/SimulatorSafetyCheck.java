package io.github.spfhir.adapter.config;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with the simulated platform switched on against a production database: the simulator
 * answers every referral with success, so referrals would be marked delivered that no link worker received
 * (docs/clinical-safety.md, HAZ-019). The simulator belongs to the embedded (H2) run only.
 */
@Component
public class SimulatorSafetyCheck implements InitializingBean {

    private final boolean simulatorEnabled;
    private final String datasourceUrl;

    public SimulatorSafetyCheck(AdapterProperties properties, @Value("${spring.datasource.url:}") String datasourceUrl) {
        this.simulatorEnabled = properties.simulator().enabled();
        this.datasourceUrl = datasourceUrl;
    }

    @Override
    public void afterPropertiesSet() {
        if (simulatorEnabled && !datasourceUrl.startsWith("jdbc:h2:")) {
            throw new IllegalStateException("adapter.simulator.enabled is true with a non-embedded database ("
                    + datasourceUrl.replaceAll("//[^/@]*@", "//***@").split("\\?")[0] + "): set "
                    + "ADAPTER_SIMULATOR_ENABLED=false in any deployment that handles real referrals");
        }
    }
}
