package io.github.spfhir.adapter.config;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * Distributed mode only ({@code adapter.hand-off.mode=artemis}): the connection to the ActiveMQ Artemis broker and
 * Camel's {@code jms} component over it. Built here from {@code adapter.hand-off.*} rather than by Spring Boot's
 * Artemis auto-configuration, so the one mode setting switches everything and no embedded broker is ever started
 * by accident. In the embedded default none of these beans exist.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "adapter.hand-off.mode", havingValue = "artemis")
public class ArtemisHandOffConfiguration {

    /**
     * The broker's own connection factory: new connections each time. The consumers and the broker health check
     * use it.
     */
    @Bean(destroyMethod = "close")
    public ActiveMQConnectionFactory artemisConnectionFactory(HandOffProperties handOff) {
        return brokerConnectionFactory(handOff);
    }

    /**
     * One attempt to connect, no transparent reconnection: while the broker is down a hand-off fails at once and is
     * left to the sweep, rather than holding the intake thread (and the sender's answer) until the broker is back.
     */
    private static ActiveMQConnectionFactory brokerConnectionFactory(HandOffProperties handOff) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(handOff.brokerUrl());
        factory.setInitialConnectAttempts(1);
        factory.setReconnectAttempts(0);
        if (StringUtils.hasText(handOff.brokerUser())) {
            factory.setUser(handOff.brokerUser());
            factory.setPassword(handOff.brokerPassword());
        }
        return factory;
    }

    /**
     * What the hand-off sends with: cached sessions over one connection (a hand-off is one persistent send, confirmed
     * by the broker before it returns). A broken connection is dropped and made again at the next send.
     */
    @Bean(destroyMethod = "destroy")
    public CachingConnectionFactory handOffProducerConnectionFactory(HandOffProperties handOff) {
        // a factory of its own: the consumers' reconnection attempts during an outage do not delay a send
        CachingConnectionFactory cached = new CachingConnectionFactory(brokerConnectionFactory(handOff));
        cached.setSessionCacheSize(10);
        cached.setReconnectOnException(true);
        return cached;
    }

    /**
     * Camel's {@code jms} component, as the delivery routes consume with it: on the broker's own factory (each
     * listener container keeps, and after a broker outage re-makes, its own connection; a shared cached one would
     * not recover), with transacted sessions, so a message is acknowledged only when its exchange completes, after
     * the attempt is recorded (see route/DeliveryRoutes). Senders name {@link #handOffProducerConnectionFactory}.
     */
    @Bean
    public JmsComponent jms(ActiveMQConnectionFactory artemisConnectionFactory) {
        JmsComponent jms = JmsComponent.jmsComponentTransacted(artemisConnectionFactory);
        jms.setDeliveryPersistent(true);
        return jms;
    }
}
