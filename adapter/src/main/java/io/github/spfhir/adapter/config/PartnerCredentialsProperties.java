package io.github.spfhir.adapter.config;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the adapter proves who it is to each partner it calls: {@code adapter.destinations.<id>.credentials},
 * {@code adapter.gp-systems.<id>.credentials} and {@code adapter.data-platforms.<id>.credentials}. Bound beside
 * {@link AdapterProperties} (same prefix, only these keys), so the partner settings keep their own record. Secrets come
 * from the environment or from files (Spring's configtree), never from the repository, and are never printed: the
 * records' {@code toString} leaves them out.
 */
@ConfigurationProperties("adapter")
public record PartnerCredentialsProperties(
        Map<String, Partner> destinations,
        Map<String, Partner> gpSystems,
        Map<String, Partner> dataPlatforms) {

    public PartnerCredentialsProperties {
        destinations = destinations == null ? Map.of() : Map.copyOf(destinations);
        gpSystems = gpSystems == null ? Map.of() : Map.copyOf(gpSystems);
        dataPlatforms = dataPlatforms == null ? Map.of() : Map.copyOf(dataPlatforms);
    }

    /** One partner's entry, as far as credentials go. */
    public record Partner(@DefaultValue Credentials credentials) {
    }

    /** The ways of authenticating to a partner. */
    public enum Kind {
        /** nothing sent (a partner on a private network, or the simulator) */
        NONE,
        /** a fixed key in a header of the partner's choosing */
        API_KEY,
        /** an OAuth 2.0 access token from the partner's token endpoint (client credentials grant, client_secret_basic) */
        OAUTH2_CLIENT_CREDENTIALS
    }

    /**
     * @param kind         none, api-key or oauth2-client-credentials
     * @param apiKeyHeader for api-key: the header the key goes in
     * @param apiKey       for api-key: the key (a secret)
     * @param tokenUrl     for oauth2-client-credentials: the token endpoint
     * @param clientId     for oauth2-client-credentials: our client id at the partner
     * @param clientSecret for oauth2-client-credentials: our client secret (a secret)
     * @param scope        for oauth2-client-credentials: the scope asked for; blank for none
     */
    public record Credentials(
            @DefaultValue("none") Kind kind,
            @DefaultValue("X-API-Key") String apiKeyHeader,
            String apiKey,
            String tokenUrl,
            String clientId,
            String clientSecret,
            String scope) {

        @Override
        public String toString() {
            // the key and the secret are never printed
            return "Credentials[kind=" + kind + ", apiKeyHeader=" + apiKeyHeader + ", apiKey=" + mask(apiKey)
                    + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=" + mask(clientSecret)
                    + ", scope=" + scope + "]";
        }

        private static String mask(String secret) {
            return secret == null || secret.isEmpty() ? "(none)" : "(set)";
        }
    }
}
