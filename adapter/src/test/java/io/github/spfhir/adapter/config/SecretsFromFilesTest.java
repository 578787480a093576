package io.github.spfhir.adapter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.github.spfhir.adapter.client.linkworker.PartnerCredentials;
import io.github.spfhir.adapter.observability.LogCapture;
import io.github.spfhir.adapter.support.TestCertificates;
import io.github.spfhir.adapter.support.TestConfigurations;

/**
 * Secrets as files, the way Docker and Kubernetes mount them (docs/operations.md §9): with
 * {@code spring.config.import=optional:configtree:<folder>/}, each file of the folder sets the variable it is named
 * after, which {@code application.yml} reads; a key store is a file too. No secret is then in an environment
 * variable, nor in the repository, and none reaches a log line, even at DEBUG.
 */
class SecretsFromFilesTest {

    private static final String API_KEY = "test-only-api-key-from-a-file-6d0b";
    private static final String STORE_PASSWORD = "test-only-store-password-from-a-file-2a9f";

    /** Only what the credentials need, with {@code application.yml} as deployed. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PartnerCredentialsProperties.class)
    @Import(PartnerCredentials.class)
    static class CredentialsOnly {

        @Bean
        Clock clock() {
            return TestConfigurations.fixedClock();
        }
    }

    @Test
    void secretsMountedAsFilesReachTheCredentialsAndNoLogLine(@TempDir Path dir) throws IOException {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        // as `docker secret` / a Kubernetes Secret volume would mount them: one file per variable, a trailing newline
        Files.writeString(secrets.resolve("ADAPTER_EXAMPLE_LINKWORKER_AUTH"), "api-key");
        Files.writeString(secrets.resolve("ADAPTER_EXAMPLE_LINKWORKER_API_KEY"), API_KEY);
        Files.writeString(secrets.resolve("ADAPTER_EXAMPLE_GP_SYSTEM_AUTH"), "mtls");
        Files.writeString(secrets.resolve("ADAPTER_EXAMPLE_GP_SYSTEM_KEY_STORE_PASSWORD"), STORE_PASSWORD + "\n");
        TestCertificates authority = TestCertificates.authority("CN=Partner CA,O=Tests");
        Path keyStore = authority.issue("CN=sp-fhir-adapter").keyStore(dir.resolve("adapter.p12"), STORE_PASSWORD);

        String loggingSystem = System.getProperty("org.springframework.boot.logging.LoggingSystem");
        // Spring Boot would otherwise set logging up afresh, dropping the capture
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        try (LogCapture logs = LogCapture.everyLevel(List.of());
                ConfigurableApplicationContext context = new SpringApplicationBuilder(CredentialsOnly.class)
                        .web(WebApplicationType.NONE)
                        .run("--spring.config.import=optional:configtree:" + secrets + "/",
                                // a path is not a secret: an ordinary setting
                                "--ADAPTER_EXAMPLE_GP_SYSTEM_KEY_STORE=" + keyStore)) {
            PartnerCredentials credentials = context.getBean(PartnerCredentials.class);

            assertThat(credentials.headersFor("example-linkworker")).containsEntry("X-API-Key", API_KEY);
            assertThat(credentials.sslContext("example-gp-system")).isPresent();
            assertThat(credentials.headersFor("example-gp-system")).isEmpty();
            assertThat(context.getBean(PartnerCredentialsProperties.class).toString()).doesNotContain(API_KEY)
                    .doesNotContain(STORE_PASSWORD);

            assertThat(logs.lines()).isNotEmpty();
            assertThat(logs.lines()).allSatisfy(line -> assertThat(line.text()).doesNotContain(API_KEY)
                    .doesNotContain(STORE_PASSWORD));
        } finally {
            if (loggingSystem == null) {
                System.clearProperty("org.springframework.boot.logging.LoggingSystem");
            } else {
                System.setProperty("org.springframework.boot.logging.LoggingSystem", loggingSystem);
            }
        }
    }
}
