package io.github.spfhir.adapter.config;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;

/**
 * The lock that keeps scheduled work on one instance at a time: ShedLock over the message store's own database
 * (table {@code shedlock}, Flyway V4), with the database's clock so instances whose clocks differ agree.
 */
@Configuration(proxyBeanMethods = false)
public class ScheduledWorkLockConfiguration {

    @Bean
    public LockProvider scheduledWorkLockProvider(DataSource dataSource) {
        return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(dataSource))
                .usingDbTime()
                .build());
    }
}
