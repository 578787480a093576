package io.github.spfhir.adapter.domain.platformevent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.platform.InvalidPlatformMappingException;

/**
 * Every inbound events mapping of {@code mappings/platforms/*.events.yaml}, loaded and validated once at start-up
 * and keyed by platform id (the file name). A bad file stops the start with a message naming the file and its
 * problems, as {@link io.github.spfhir.adapter.domain.platform.PlatformMappings} does for the outbound mappings.
 */
@Component
public class PlatformEventMappings {

    /** Where the adapter's events mappings are: beside the outbound mappings, on the classpath. */
    public static final String DEFAULT_LOCATION = "classpath*:mappings/platforms/*" + PlatformEventMappingReader.EXTENSION;

    private static final Logger log = LoggerFactory.getLogger(PlatformEventMappings.class);

    private final Map<String, PlatformEventMapping> byPlatform;

    /** Loads the adapter's events mappings from {@link #DEFAULT_LOCATION}. */
    public PlatformEventMappings() {
        this(DEFAULT_LOCATION);
    }

    /**
     * Loads every events mapping a Spring resource pattern finds, such as {@code file:/some/dir/*.events.yaml}.
     *
     * @throws InvalidPlatformMappingException for the first bad file (in file-name order), for a
     *                                         {@code .events.yml} file beside them, or a platform defined twice
     */
    public PlatformEventMappings(String locationPattern) {
        this(load(locationPattern));
        log.info("Loaded {} platform events mapping(s) from {}: {}", byPlatform.size(), locationPattern, summary());
    }

    private PlatformEventMappings(Map<String, PlatformEventMapping> byPlatform) {
        this.byPlatform = byPlatform;
    }

    /** A registry of mappings already read, for tests and tools. */
    public static PlatformEventMappings of(Collection<PlatformEventMapping> mappings) {
        Map<String, PlatformEventMapping> byPlatform = new TreeMap<>();
        for (PlatformEventMapping mapping : mappings) {
            if (byPlatform.put(mapping.platform(), mapping) != null) {
                throw new IllegalArgumentException("Events mapping '" + mapping.platform() + "' given twice");
            }
        }
        return new PlatformEventMappings(byPlatform);
    }

    /**
     * The events mapping of a platform.
     *
     * @throws UnknownEventPlatformException if there is none (the webhook answers 404)
     */
    public PlatformEventMapping get(String platformId) {
        PlatformEventMapping mapping = byPlatform.get(platformId);
        if (mapping == null) {
            throw new UnknownEventPlatformException(platformId);
        }
        return mapping;
    }

    public Optional<PlatformEventMapping> find(String platformId) {
        return Optional.ofNullable(byPlatform.get(platformId));
    }

    /** The platform ids that have an events mapping, sorted. */
    public Set<String> platforms() {
        return byPlatform.keySet();
    }

    /** The mappings with a {@code polling:} section: the platforms to poll rather than wait for. */
    public List<PlatformEventMapping> polled() {
        return byPlatform.values().stream().filter(mapping -> mapping.polling() != null).toList();
    }

    private String summary() {
        return byPlatform.values().stream()
                .map(m -> m.platform() + " v" + m.mappingVersion() + (m.polling() == null ? "" : " (polled)"))
                .reduce((a, b) -> a + ", " + b)
                .orElse("none");
    }

    private static Map<String, PlatformEventMapping> load(String locationPattern) {
        ResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        Map<String, PlatformEventMapping> byPlatform = new TreeMap<>();
        Map<String, String> origin = new TreeMap<>();
        try {
            if (locationPattern.endsWith(PlatformEventMappingReader.EXTENSION)) {
                String ymlPattern = locationPattern.substring(0, locationPattern.length() - 5) + ".yml";
                Resource[] ymls = resolver.getResources(ymlPattern);
                if (ymls.length > 0) {
                    throw new InvalidPlatformMappingException(ymls[0].getFilename(), List.of(
                            "events mapping files must end in " + PlatformEventMappingReader.EXTENSION + " (rename it)"));
                }
            }
            Resource[] resources = resolver.getResources(locationPattern);
            Arrays.sort(resources, Comparator.comparing(Resource::getFilename).thenComparing(Resource::getDescription));
            for (Resource resource : resources) {
                PlatformEventMapping mapping;
                try (InputStream in = resource.getInputStream()) {
                    mapping = PlatformEventMappingReader.read(resource.getFilename(), in);
                }
                String earlier = origin.put(mapping.platform(), resource.getDescription());
                if (earlier != null) {
                    throw new InvalidPlatformMappingException(resource.getFilename(), List.of(
                            "platform '" + mapping.platform() + "' has two events mappings on the classpath ("
                                    + earlier + " and " + resource.getDescription() + ")"));
                }
                byPlatform.put(mapping.platform(), mapping);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the platform events mappings at " + locationPattern, e);
        }
        return byPlatform;
    }
}
