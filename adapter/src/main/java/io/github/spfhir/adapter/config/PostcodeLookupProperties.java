package io.github.spfhir.adapter.config;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The postcode-to-position lookup of the directory (issue #4): a postcodes.io-compatible API ({@code GET
 * {base-url}/postcodes/{postcode}}, bulk {@code POST {base-url}/postcodes}), used by the {@code near-postcode}
 * searches and to give a position to a directory location that has a postcode but none of its own. Its own
 * prefix, {@code adapter.postcode-lookup}, beside {@code adapter.directories}: every key under that one is a
 * directory source.
 *
 * @param enabled   look postcodes up; off, the postcode searches are refused (400) and the sync leaves such
 *                  locations without a position
 * @param baseUrl   the API's base, e.g. {@code https://api.postcodes.io} (ONS Postcode Directory data)
 * @param timeout   per request
 * @param cacheSize postcodes (found or not) remembered at most
 * @param cacheFor  how long a lookup is remembered
 */
@ConfigurationProperties("adapter.postcode-lookup")
public record PostcodeLookupProperties(
        @DefaultValue("false") boolean enabled,
        URI baseUrl,
        @DefaultValue("5s") Duration timeout,
        @DefaultValue("10000") int cacheSize,
        @DefaultValue("24h") Duration cacheFor) {

    public PostcodeLookupProperties {
        if (enabled && baseUrl == null) {
            throw new IllegalArgumentException("adapter.postcode-lookup.base-url must be set when the lookup is enabled");
        }
        timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
        cacheFor = cacheFor == null ? Duration.ofHours(24) : cacheFor;
    }

    /** The lookup switched off (tests and tools that build the directory by hand). */
    public static PostcodeLookupProperties disabled() {
        return new PostcodeLookupProperties(false, null, null, 0, null);
    }
}
