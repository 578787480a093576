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

    /** The broker's own connection factory: new connections each time (the broker health check uses it). */
    @Bean(destroyMethod = "close")
    public ActiveMQConnectionFactory artemisConnectionFactory(HandOffProperties handOff) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(handOff.brokerUrl());
        if (StringUtils.hasText(handOff.brokerUser())) {
            factory.setUser(handOff.brokerUser());
            factory.setPassword(handOff.brokerPassword());
        }
        return factory;
    }

    /**
     * Camel's {@code jms} component. Producers share cached sessions (a hand-off is one persistent send, confirmed
     * by the broker before it returns); consumers are transacted, so a message is acknowledged only when its
     * exchange completes, after the attempt is recorded (see route/DeliveryRoutes).
     */
    @Bean
    public JmsComponent jms(ActiveMQConnectionFactory artemisConnectionFactory) {
        CachingConnectionFactory cached = new CachingConnectionFactory(artemisConnectionFactory);
        cached.setSessionCacheSize(10);
        JmsComponent jms = JmsComponent.jmsComponentTransacted(cached);
        jms.setDeliveryPersistent(true);
        return jms;
    }
}
