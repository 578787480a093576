package io.github.spfhir.adapter.route;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import io.github.spfhir.adapter.client.linkworker.PermanentDeliveryException;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.delivery.PartnerDeliveryService;

/**
 * The one error policy of every delivery route ({@link DeliveryRoutes#declareErrorHandling}), on a real Camel context
 * with the delivery service mocked: what it was asked to do is the output. A store that fails mid-attempt, however
 * Spring reports it, is retried like a partner's 503; only a permanent failure is given up on at once. (Found by
 * {@code DatabaseOutageTest}: a rollback on a connection the stopping database had closed came as a
 * {@link TransactionSystemException}, which the policy took for permanent and gave the delivery up.)
 */
class DeliveryErrorPolicyTest {

    private static final AdapterProperties.Retry RETRY = new AdapterProperties.Retry(3, Duration.ofMillis(1), 2.0,
            Duration.ofMillis(5));

    private final PartnerDeliveryService deliveries = mock(PartnerDeliveryService.class);
    private CamelContext camel;

    @BeforeEach
    void startRoute() throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("partnerDeliveryService", deliveries);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                var route = from("direct:attempt");
                DeliveryRoutes.declareErrorHandling(route, RETRY, false);
                route.bean(PartnerDeliveryService.class, "attempt");
            }
        });
        camel.start();
    }

    @AfterEach
    void stopRoute() {
        camel.stop();
    }

    @Test
    void aTransactionThatCannotEndOrBeginIsRetriedNotGivenUp() {
        doThrow(new TransactionSystemException("JDBC rollback failed"))
                .doThrow(new CannotCreateTransactionException("Could not open JDBC Connection for transaction"))
                .doNothing().when(deliveries).attempt("d-1");

        camel.createProducerTemplate().sendBody("direct:attempt", "d-1");

        verify(deliveries, times(3)).attempt("d-1");
        verify(deliveries, never()).giveUp(anyString(), any());
    }

    @Test
    void aPermanentFailureIsGivenUpOnAtOnce() {
        PermanentDeliveryException refused = new PermanentDeliveryException(400, "HTTP 400");
        doThrow(refused).when(deliveries).attempt("d-2");
        doNothing().when(deliveries).giveUp(anyString(), any());

        camel.createProducerTemplate().sendBody("direct:attempt", "d-2");

        verify(deliveries, times(1)).attempt("d-2");
        verify(deliveries).giveUp(eq("d-2"), eq(refused));
    }
}
