package io.github.spfhir.adapter.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.delivery.DeliveryTarget;
import io.github.spfhir.adapter.domain.delivery.PartnerDeliveryService;

/**
 * A link-worker platform's deliveries are made up to its {@code concurrent-deliveries} at once, and no more: on a real
 * Camel context with the embedded SEDA queue, each attempt of the (mocked) delivery service held open until released.
 */
class DeliveryConcurrencyTest {

    private static final AdapterProperties.Retry RETRY = new AdapterProperties.Retry(3, Duration.ofMillis(1), 2.0,
            Duration.ofMillis(5));

    private final PartnerDeliveryService deliveries = mock(PartnerDeliveryService.class);
    private CamelContext camel;

    @AfterEach
    void stopCamel() {
        camel.stop();
    }

    @Test
    void upToTheTargetsConcurrencyAreUnderWayAtOnceAndNoMore() throws Exception {
        AtomicInteger underWay = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Set<String> attempted = ConcurrentHashMap.newKeySet();
        CountDownLatch platformAnswers = new CountDownLatch(1);
        doAnswer(call -> {
            mostAtOnce.accumulateAndGet(underWay.incrementAndGet(), Math::max);
            assertThat(platformAnswers.await(10, TimeUnit.SECONDS)).isTrue();
            attempted.add(call.getArgument(0));
            underWay.decrementAndGet();
            return null;
        }).when(deliveries).attempt(anyString());
        DeliveryTarget target = new DeliveryTarget(DeliveryFlow.REFERRAL_TO_LINK_WORKER, "platform-a",
                URI.create("http://localhost/referrals"), Duration.ofSeconds(5), RETRY, 3);
        startRoutes(target);

        ProducerTemplate producer = camel.createProducerTemplate();
        for (int i = 1; i <= 8; i++) {
            producer.sendBody(DeliveryFlow.REFERRAL_TO_LINK_WORKER.queue(target.id()) + "?waitForTaskToComplete=Never",
                    "d-" + i);
        }
        // three under way, and still three half a second on: the other five wait for a place
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> underWay.get() == 3);
        platformAnswers.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> attempted.size() == 8);

        assertThat(mostAtOnce).hasValue(3);
    }

    private void startRoutes(DeliveryTarget target) throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("partnerDeliveryService", deliveries);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                DeliveryRoutes.declareConcurrent(this, target);
            }
        });
        camel.start();
    }
}
