package io.github.spfhir.adapter.inbound.security;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.client.RestTemplate;

import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

import io.github.spfhir.adapter.store.SeenTokenStore;
import jakarta.servlet.DispatcherType;

/**
 * The adapter as an OAuth 2.0 resource server: every request but the open ones carries a bearer JWT from a trusted
 * issuer ({@code adapter.security.issuers}; several, told apart by the token's {@code iss}), checked for its
 * signature against the issuer's published keys (JWKS, fetched with timeouts and cached), its issuer, audience,
 * expiry and not-before times (with {@code adapter.security.clock-skew}), and, for an issuer that requires it, that
 * the token was not used before ({@link UniqueTokenValidator}); then the client's rate limit applies
 * ({@link RateLimitFilter}) and {@link AccessRules} decides. Stateless:
 * no session, no cookie, no CSRF token (nothing is sent automatically by a browser). In development mode the
 * adapter's own issuer ({@link DevTokenIssuer}) is trusted too. When client certificates are mapped
 * ({@code adapter.security.client-certificates}) and the adapter serves HTTPS asking for them, a TLS client certificate
 * authenticates a caller as well ({@link ClientCertificateFilter}).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);
    private static final Duration JWKS_TIMEOUT = Duration.ofSeconds(5);

    /**
     * No Spring Security observations: they wrap each of the chain's filters, and the authentication and the
     * authorisation, in a timed observation on every request, about 2 % of the adapter's CPU under load, for metrics
     * ({@code spring.security.*}) that say less than what the adapter records itself: every request's status and time
     * ({@code http.server.requests}), every refusal in the audit trail, and each flow's own counters.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain adapterSecurity(HttpSecurity http, AccessRules rules, SecurityRefusals refusals,
            SecurityProperties properties, ObjectProvider<DevTokenIssuer> devIssuer, Clock clock,
            SeenTokenStore seenTokens, ClientRateLimiter rateLimiter, ClientCertificates certificates)
            throws Exception {
        Map<String, AuthenticationManager> managers = issuers(properties, devIssuer.getIfAvailable(), clock,
                seenTokens);
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a
                        // the container's error dispatch of a request already authorised
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .anyRequest().access(rules))
                .oauth2ResourceServer(o -> o
                        .authenticationManagerResolver(new JwtIssuerAuthenticationManagerResolver(managers::get))
                        .authenticationEntryPoint(refusals)
                        .accessDeniedHandler(refusals))
                .exceptionHandling(e -> e.authenticationEntryPoint(refusals).accessDeniedHandler(refusals));
        RateLimitFilter rateLimit = new RateLimitFilter(rateLimiter, refusals);
        if (certificates.any()) {
            // after the token (if any) is verified, so that a certificate and a token can be checked against each other
            http.addFilterAfter(new ClientCertificateFilter(certificates), BearerTokenAuthenticationFilter.class);
            // the per-client rate limit once the caller is known, by token or certificate
            http.addFilterAfter(rateLimit, ClientCertificateFilter.class);
        } else {
            // the per-client rate limit: once the caller is known, before access is decided or the body read
            http.addFilterAfter(rateLimit, BearerTokenAuthenticationFilter.class);
        }
        return http.build();
    }

    /** One authentication manager per trusted issuer, by its {@code iss}. */
    static Map<String, AuthenticationManager> issuers(SecurityProperties properties, DevTokenIssuer devIssuer,
            Clock clock, SeenTokenStore seenTokens) {
        CallerTokenConverter converter = new CallerTokenConverter(properties);
        Map<String, AuthenticationManager> managers = new LinkedHashMap<>();
        properties.issuers().forEach((name, issuer) -> {
            if (!issuer.isSet()) {
                return;
            }
            if (issuer.jwkSetUri() == null || issuer.jwkSetUri().toString().isBlank()) {
                throw new IllegalStateException("adapter.security.issuers." + name + ".jwk-set-uri is not set: the "
                        + "issuer's public keys are read from there, never from a token");
            }
            if (issuer.audiences().isEmpty()) {
                throw new IllegalStateException("adapter.security.issuers." + name + ".audiences is empty: name the "
                        + "audience(s) this adapter's tokens carry");
            }
            SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
            requests.setConnectTimeout(JWKS_TIMEOUT);
            requests.setReadTimeout(JWKS_TIMEOUT);
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(issuer.jwkSetUri().toString())
                    .jwsAlgorithms(algorithms -> algorithms.addAll(Set.of(SignatureAlgorithm.RS256,
                            SignatureAlgorithm.RS384, SignatureAlgorithm.RS512, SignatureAlgorithm.PS256,
                            SignatureAlgorithm.ES256, SignatureAlgorithm.ES384)))
                    .restOperations(new RestTemplate(requests))
                    .build();
            OAuth2TokenValidator<Jwt> checks = validator(issuer.issuerUri(), issuer.audiences(),
                    properties.clockSkew(), clock);
            managers.put(issuer.issuerUri(), manager(decoder(decoder, issuer.requireUniqueJti()
                    ? new UniqueTokenValidator(checks, seenTokens, properties.clockSkew()) : checks,
                    properties.verifiedTokens(), clock), converter));
            LOG.info("Bearer tokens of issuer '{}' ({}) are accepted, keys from {}, audiences {}{}", name,
                    issuer.issuerUri(), issuer.jwkSetUri(), issuer.audiences(),
                    issuer.requireUniqueJti() ? ", each once (unique jti)" : "");
        });
        if (devIssuer != null) {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(devIssuer.publicKeys()))
                    .jwsAlgorithm(SignatureAlgorithm.ES256).build();
            managers.put(DevTokenIssuer.ISSUER, manager(decoder(decoder, validator(DevTokenIssuer.ISSUER,
                    List.of(DevTokenIssuer.AUDIENCE), properties.clockSkew(), clock), properties.verifiedTokens(), clock),
                    converter));
        }
        if (managers.isEmpty()) {
            LOG.warn("No token issuer is configured (adapter.security.issuers): every endpoint but the open ones "
                    + "answers 401");
        }
        return Map.copyOf(managers);
    }

    /** Expiry (required) and not-before with the clock skew, the exact issuer, and at least one accepted audience. */
    static OAuth2TokenValidator<Jwt> validator(String issuer, List<String> audiences, Duration clockSkew, Clock clock) {
        JwtTimestampValidator times = new JwtTimestampValidator(clockSkew);
        times.setClock(clock);
        times.setAllowEmptyExpiryClaim(false);
        List<String> accepted = List.copyOf(audiences);
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(times);
        validators.add(new JwtIssuerValidator(issuer));
        validators.add(new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                aud -> aud != null && aud.stream().anyMatch(accepted::contains)));
        return new DelegatingOAuth2TokenValidator<>(validators);
    }

    /**
     * The issuer's decoder with its checks: verified tokens kept ({@link VerifiedTokenCache}) and the checks run on
     * every use, or, with {@code verified-tokens.time-to-live} zero, Spring's decoder doing both each time.
     */
    static JwtDecoder decoder(NimbusJwtDecoder signatureVerifier, OAuth2TokenValidator<Jwt> checks,
            SecurityProperties.VerifiedTokens verifiedTokens, Clock clock) {
        if (!verifiedTokens.kept()) {
            signatureVerifier.setJwtValidator(checks);
            return signatureVerifier;
        }
        signatureVerifier.setJwtValidator(token -> OAuth2TokenValidatorResult.success()); // checked on every use below
        return new VerifiedTokenCache(signatureVerifier, checks, verifiedTokens.timeToLive(),
                verifiedTokens.maximumSize(), clock);
    }

    private static AuthenticationManager manager(JwtDecoder decoder, CallerTokenConverter converter) {
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        provider.setJwtAuthenticationConverter(converter);
        return new ProviderManager(provider);
    }
}
