package io.github.spfhir.adapter.route;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.SyncRun;
import io.github.spfhir.adapter.support.AdapterIntegrationTest;
import io.github.spfhir.adapter.support.TestPartners;

/** The directory sync route: present per source, not started unless enabled, and a tick runs a sync. */
@AdapterIntegrationTest
class DirectorySyncRouteTest {

    @Autowired
    CamelContext camel;

    @Autowired
    DirectoryStore store;

    @AfterEach
    void tearDown() throws Exception {
        camel.getRouteController().stopRoute(DirectorySyncRoute.routeId("example-oruk"));
        TestPartners.reset();
    }

    @Test
    void aSourceThatIsNotEnabledHasItsRouteStopped() {
        assertThat(camel.getRoute(DirectorySyncRoute.routeId("example-oruk"))).isNotNull();
        assertThat(camel.getRouteController().getRouteStatus(DirectorySyncRoute.routeId("example-oruk")))
                .isEqualTo(ServiceStatus.Stopped);
    }

    @Test
    void aTickRunsASyncAndADownSourceIsRecordedAsAFailedRun() throws Exception {
        TestPartners.reset(); // no stub for the feed: WireMock answers 404
        long before = store.lastRun("example-oruk").map(SyncRun::id).orElse(0L);

        camel.getRouteController().startRoute(DirectorySyncRoute.routeId("example-oruk"));

        await().atMost(Duration.ofSeconds(20)).until(() -> store.lastRun("example-oruk")
                .filter(r -> r.id() > before && !SyncRun.RUNNING.equals(r.state())).isPresent());
        assertThat(store.lastRun("example-oruk")).hasValueSatisfying(run -> {
            assertThat(run.state()).isEqualTo(SyncRun.FAILED);
            assertThat(run.error()).isEqualTo("HTTP 404");
        });
        TestPartners.server().verify(getRequestedFor(urlPathEqualTo("/example-oruk/services")));
    }
}
