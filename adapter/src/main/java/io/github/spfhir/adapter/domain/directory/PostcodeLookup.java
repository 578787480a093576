package io.github.spfhir.adapter.domain.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.spfhir.adapter.client.directory.PostcodeLookupException;
import io.github.spfhir.adapter.client.directory.PostcodePosition;
import io.github.spfhir.adapter.client.directory.PostcodesIoClient;
import io.github.spfhir.adapter.config.PostcodeLookupProperties;

/**
 * Postcode to position for the directory, through the configured postcodes.io-compatible API, with a bounded
 * cache ({@code cache-size} postcodes for {@code cache-for}; unknown postcodes are remembered too, so a search
 * repeated does not call out again). Postcodes are compared in {@link PostalCodes#normalise} form (upper case, no
 * spaces). Failures are {@link Unavailable} and are not cached. Caffeine is the one HAPI FHIR's caching module
 * ({@code hapi-fhir-caching-caffeine}) brings, 3.2.4, not a dependency of its own.
 */
@Service
public class PostcodeLookup {

    private final PostcodesIoClient client;
    private final Cache<String, Optional<PostcodePosition>> cache;

    public PostcodeLookup(PostcodeLookupProperties properties) {
        this.client = properties.enabled() ? new PostcodesIoClient(properties.baseUrl(), properties.timeout()) : null;
        // upkeep (eviction) on the calling thread: the bound holds when a call returns, not some time later
        this.cache = Caffeine.newBuilder().executor(Runnable::run).maximumSize(Math.max(0, properties.cacheSize()))
                .expireAfterWrite(properties.cacheFor()).build();
    }

    /** False when {@code adapter.postcode-lookup.enabled} is off: then nothing is looked up. */
    public boolean enabled() {
        return client != null;
    }

    /**
     * Where the postcode is; empty when the lookup does not know it.
     *
     * @param postcode in {@link PostalCodes#normalise} form
     * @throws Unavailable          when the lookup cannot answer now
     * @throws IllegalStateException when the lookup is not enabled
     */
    public Optional<PostcodePosition> position(String postcode) {
        requireEnabled();
        Optional<PostcodePosition> cached = cache.getIfPresent(postcode);
        if (cached != null) {
            return cached;
        }
        Optional<PostcodePosition> found;
        try {
            found = client.position(postcode);
        } catch (PostcodeLookupException e) {
            throw new Unavailable(e);
        }
        cache.put(postcode, found);
        return found;
    }

    /**
     * The positions of these postcodes (each in {@link PostalCodes#normalise} form), by postcode; unknown ones are
     * left out. Those not cached are asked for in bulk requests of at most {@value PostcodesIoClient#MAX_BULK}.
     *
     * @throws Unavailable when the lookup cannot answer now (what earlier batches found is cached)
     */
    public Map<String, PostcodePosition> positions(Collection<String> postcodes) {
        requireEnabled();
        Map<String, PostcodePosition> found = new HashMap<>();
        List<String> toAsk = new ArrayList<>();
        Set<String> distinct = new LinkedHashSet<>(postcodes);
        for (String postcode : distinct) {
            Optional<PostcodePosition> cached = cache.getIfPresent(postcode);
            if (cached == null) {
                toAsk.add(postcode);
            } else {
                cached.ifPresent(position -> found.put(postcode, position));
            }
        }
        for (int from = 0; from < toAsk.size(); from += PostcodesIoClient.MAX_BULK) {
            List<String> batch = toAsk.subList(from, Math.min(toAsk.size(), from + PostcodesIoClient.MAX_BULK));
            Map<String, PostcodePosition> answered;
            try {
                answered = client.positions(batch);
            } catch (PostcodeLookupException e) {
                throw new Unavailable(e);
            }
            for (String postcode : batch) {
                Optional<PostcodePosition> position = Optional.ofNullable(answered.get(postcode));
                cache.put(postcode, position);
                position.ifPresent(p -> found.put(postcode, p));
            }
        }
        return found;
    }

    /** The lookup cannot answer now: a transient failure, not a verdict on a postcode (its message quotes none). */
    public static final class Unavailable extends RuntimeException {

        Unavailable(PostcodeLookupException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private void requireEnabled() {
        if (client == null) {
            throw new IllegalStateException("The postcode lookup is not enabled (adapter.postcode-lookup.enabled)");
        }
    }
}
