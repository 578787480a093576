package io.github.spfhir.adapter.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.config.SyncSchedule;

/**
 * A directory source's {@code schedule}: a duration or a six-field cron expression, as bound from configuration;
 * a cron schedule drives Camel's scheduler component (Spring's cron trigger) and fires at its times.
 */
class DirectorySyncScheduleTest {

    @Test
    void aScheduleIsADurationOrASixFieldCronExpression() {
        assertThat(SyncSchedule.valueOf("6h")).isEqualTo(SyncSchedule.every(Duration.ofHours(6)));
        assertThat(SyncSchedule.valueOf("PT30M").period()).isEqualTo(Duration.ofMinutes(30));
        assertThat(SyncSchedule.valueOf("0 30 2 * * *").cron()).isEqualTo("0 30 2 * * *");
        assertThat(SyncSchedule.valueOf(" 0 0 6-18/4 * * MON-FRI ").cron()).isEqualTo("0 0 6-18/4 * * MON-FRI");
        assertThat(SyncSchedule.valueOf("@daily").isCron()).isTrue();

        for (String wrong : new String[] {"0 2 * * *", "every day", "", "0 0 25 * * *"}) {
            assertThatThrownBy(() -> SyncSchedule.valueOf(wrong)).as(wrong).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a cron expression of six fields");
        }
        assertThatThrownBy(() -> SyncSchedule.valueOf("0s")).hasMessageContaining("more than zero");
    }

    @Test
    void theScheduleBindsFromConfigurationEitherWayWithSixHoursByDefault() {
        Binder binder = new Binder(new MapConfigurationPropertySource(java.util.Map.of(
                "adapter.directories.nightly.kind", "oruk-v3",
                "adapter.directories.nightly.base-url", "https://example.org/oruk",
                "adapter.directories.nightly.schedule", "0 30 2 * * *",
                "adapter.directories.often.kind", "oruk-v3",
                "adapter.directories.often.base-url", "https://example.org/oruk",
                "adapter.directories.often.schedule", "15m",
                "adapter.directories.plain.kind", "oruk-v3",
                "adapter.directories.plain.base-url", "https://example.org/oruk")));

        AdapterProperties properties = binder.bind("adapter", Bindable.of(AdapterProperties.class)).get();

        assertThat(properties.directories().get("nightly").schedule().cron()).isEqualTo("0 30 2 * * *");
        assertThat(properties.directories().get("often").schedule().period()).isEqualTo(Duration.ofMinutes(15));
        assertThat(properties.directories().get("plain").schedule().period()).isEqualTo(Duration.ofHours(6));
        assertThat(DirectorySyncRoute.trigger("nightly", properties.directories().get("nightly")))
                .isEqualTo("scheduler:directory-sync.nightly?scheduler=spring&scheduler.cron=0+30+2+*+*+*");
        assertThat(DirectorySyncRoute.trigger("often", properties.directories().get("often")))
                .isEqualTo("timer:directory-sync.often?period=900000&delay=60000&fixedRate=false");
    }

    @Test
    void aCronScheduleFiresAtItsTimesThroughCamelsScheduler() throws Exception {
        AdapterProperties.DirectorySource everySecond = new AdapterProperties.DirectorySource(
                AdapterProperties.DirectorySourceKind.ORUK_V3, URI.create("https://example.org/oruk"), null, true,
                SyncSchedule.valueOf("* * * * * *"), Duration.ofMinutes(1), Duration.ofSeconds(30), 100, false, null, null, null);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(DirectorySyncRoute.trigger("cron-test", everySecond)).routeId("cron-test").to("mock:fired");
                }
            });
            NotifyBuilder twoTicks = new NotifyBuilder(camel).fromRoute("cron-test").whenCompleted(2).create();

            camel.start();

            assertThat(twoTicks.matches(10, TimeUnit.SECONDS)).isTrue();
            assertThat(camel.getRoute("cron-test").getEndpoint().getEndpointUri()).startsWith("scheduler://directory-sync.cron-test");
        }
    }
}
