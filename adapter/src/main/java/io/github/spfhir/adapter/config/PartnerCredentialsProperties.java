package io.github.spfhir.adapter.config;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the adapter proves who it is to each partner it calls: {@code adapter.destinations.<id>.credentials},
 * {@code adapter.gp-systems.<id>.credentials}, {@code adapter.data-platforms.<id>.credentials} and, for the directory
 * sources it reads, {@code adapter.directories.<id>.credentials}. Bound beside
 * {@link AdapterProperties} (same prefix, only these keys), so the partner settings keep their own record. Secrets come
 * from the environment or from files (Spring's configtree), never from the repository, and are never printed: the
 * records' {@code toString} leaves them out.
 */
@ConfigurationProperties("adapter")
public record PartnerCredentialsProperties(
        Map<String, Partner> destinations,
        Map<String, Partner> gpSystems,
        Map<String, Partner> dataPlatforms,
        Map<String, Partner> directories) {

    public PartnerCredentialsProperties {
        destinations = destinations == null ? Map.of() : Map.copyOf(destinations);
        gpSystems = gpSystems == null ? Map.of() : Map.copyOf(gpSystems);
        dataPlatforms = dataPlatforms == null ? Map.of() : Map.copyOf(dataPlatforms);
        directories = directories == null ? Map.of() : Map.copyOf(directories);
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
        OAUTH2_CLIENT_CREDENTIALS,
        /**
         * a client certificate only (mutual TLS, from {@code key-store}); no header. Any other kind takes a
         * {@code key-store} too, for a certificate and a header (mutual TLS is the transport)
         */
        MTLS
    }

    /** How the adapter proves itself to a partner's token endpoint (oauth2-client-credentials). */
    public enum ClientAuthentication {
        /** client id and secret in HTTP Basic (RFC 6749 §2.3.1) */
        CLIENT_SECRET_BASIC,
        /**
         * a JWT signed with our private key (RFC 7523, {@code private_key_jwt}): the NHS API platform's signed-JWT
         * authentication; no secret is sent
         */
        PRIVATE_KEY_JWT
    }

    /**
     * @param kind         none, api-key, oauth2-client-credentials or mtls
     * @param apiKeyHeader for api-key: the header the key goes in
     * @param apiKey       for api-key: the key (a secret)
     * @param tokenUrl     for oauth2-client-credentials: the token endpoint
     * @param clientId     for oauth2-client-credentials: our client id at the partner
     * @param clientSecret for oauth2-client-credentials: our client secret (a secret)
     * @param scope        for oauth2-client-credentials: the scope asked for; blank for none
     * @param keyStore           for mutual TLS (kind mtls, or with any other kind): the file holding our client
     *                           certificate and its private key; blank for none
     * @param keyStorePassword   the key store's password, also the key's (a secret)
     * @param keyStoreType       {@code PKCS12} (the default) or {@code JKS}
     * @param trustStore         the file holding the CA certificates the partner's server certificate is checked
     *                           against; blank: the JDK's own trusted CAs
     * @param trustStorePassword the trust store's password (not a secret, but kept out of logs all the same)
     * @param trustStoreType     {@code PKCS12} (the default) or {@code JKS}
     * @param clientAuthentication for oauth2-client-credentials: client-secret-basic (the default) or private-key-jwt
     * @param signingKey           for private-key-jwt: the file of our RSA private key (PEM, PKCS#8), a secret
     * @param signingKeyId         for private-key-jwt: the key's id ({@code kid}) in the JWKS the partner knows
     */
    public record Credentials(
            @DefaultValue("none") Kind kind,
            @DefaultValue("X-API-Key") String apiKeyHeader,
            String apiKey,
            String tokenUrl,
            String clientId,
            String clientSecret,
            String scope,
            String keyStore,
            String keyStorePassword,
            @DefaultValue("PKCS12") String keyStoreType,
            String trustStore,
            String trustStorePassword,
            @DefaultValue("PKCS12") String trustStoreType,
            @DefaultValue("client-secret-basic") ClientAuthentication clientAuthentication,
            String signingKey,
            String signingKeyId) {

        @Override
        public String toString() {
            // the key, the secret and the passwords are never printed
            return "Credentials[kind=" + kind + ", apiKeyHeader=" + apiKeyHeader + ", apiKey=" + mask(apiKey)
                    + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=" + mask(clientSecret)
                    + ", scope=" + scope + ", keyStore=" + keyStore + ", keyStorePassword=" + mask(keyStorePassword)
                    + ", trustStore=" + trustStore + ", trustStorePassword=" + mask(trustStorePassword)
                    + ", clientAuthentication=" + clientAuthentication + ", signingKey=" + signingKey + ", signingKeyId="
                    + signingKeyId + "]";
        }

        private static String mask(String secret) {
            return secret == null || secret.isEmpty() ? "(none)" : "(set)";
        }
    }
}
