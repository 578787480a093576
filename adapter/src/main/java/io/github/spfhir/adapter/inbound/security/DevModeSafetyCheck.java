package io.github.spfhir.adapter.inbound.security;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;

/**
 * Refuses to start in development mode unless the simulator is on. Dev mode lets anyone who can reach the adapter
 * mint a token for any role, so it belongs with the simulated platform of the embedded run only; and the simulator
 * is itself refused against anything but an embedded H2 store ({@code config/SimulatorSafetyCheck}). So a deployment
 * with the simulator off, as every deployment on a production database must be, never accepts dev tokens
 * (docs/clinical-safety.md, HAZ-020).
 */
@Component
public class DevModeSafetyCheck implements InitializingBean {

    private final boolean devMode;
    private final boolean simulator;

    public DevModeSafetyCheck(SecurityProperties security, AdapterProperties adapter) {
        this.devMode = security.devMode().enabled();
        this.simulator = adapter.simulator().enabled();
    }

    @Override
    public void afterPropertiesSet() {
        if (devMode && !simulator) {
            throw new IllegalStateException("adapter.security.dev-mode.enabled is true with the simulator off: the "
                    + "development token issuer is only for the embedded run. Set ADAPTER_SECURITY_DEV_MODE=false and "
                    + "configure a token issuer (adapter.security.issuers) in any deployment that handles real "
                    + "referrals");
        }
    }
}
