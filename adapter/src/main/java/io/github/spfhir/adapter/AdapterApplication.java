package io.github.spfhir.adapter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.github.spfhir.adapter.config.EarlyValidatorStart;
import io.github.spfhir.adapter.config.H2ValueCache;

/** Entry point: a Spring Boot application whose Camel routes carry social-prescribing referrals as FHIR R4. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdapterApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /**
     * The application as the run command starts it: the validator's build and warm-up begin before any bean, and
     * H2's value cache is off unless the command line says otherwise ({@link H2ValueCache}).
     */
    public static SpringApplication application() {
        H2ValueCache.turnOffUnlessSet(System.getProperties());
        SpringApplication application = new SpringApplication(AdapterApplication.class);
        application.addInitializers(new EarlyValidatorStart());
        return application;
    }
}
