package io.github.spfhir.adapter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point: a Spring Boot application whose Camel routes carry social-prescribing referrals as FHIR R4. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdapterApplication {

    public static void main(String[] args) {
        SpringApplication.run(AdapterApplication.class, args);
    }
}
