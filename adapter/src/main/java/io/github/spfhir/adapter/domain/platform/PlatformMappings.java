package io.github.spfhir.adapter.domain.platform;

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

import io.github.spfhir.adapter.domain.platformevent.PlatformEventMappingReader;

/**
 * Every platform mapping of {@code mappings/platforms/*.yaml} (except the inbound {@code *.events.yaml}), loaded and validated once at start-up. A bad file
 * stops the start with a message naming the file and its problems. Resources are found with Spring's pattern
 * resolver, so this works from the build output, the IDE and inside the Spring Boot jar alike.
 */
@Component
public class PlatformMappings {

    /** Where the adapter's mapping files are: the top-level {@code mappings/platforms/} folder, on the classpath. */
    public static final String DEFAULT_LOCATION = "classpath*:mappings/platforms/*" + PlatformMappingReader.EXTENSION;

    private static final Logger log = LoggerFactory.getLogger(PlatformMappings.class);

    private final Map<String, PlatformMapping> byName;

    /** Loads the adapter's mapping files from {@link #DEFAULT_LOCATION}. */
    public PlatformMappings() {
        this(DEFAULT_LOCATION);
    }

    /**
     * Loads every mapping file a Spring resource pattern finds, such as {@code file:/some/dir/*.yaml}.
     *
     * @throws InvalidPlatformMappingException for the first bad file (in file-name order), or for a {@code .yml}
     *                                         file beside them, or a platform defined twice
     */
    public PlatformMappings(String locationPattern) {
        this(load(locationPattern));
        log.info("Loaded {} platform mapping(s) from {}: {}", byName.size(), locationPattern, summary());
    }

    private PlatformMappings(Map<String, PlatformMapping> byName) {
        this.byName = byName;
    }

    /** A registry of mappings already read, for tests and tools. */
    public static PlatformMappings of(Collection<PlatformMapping> mappings) {
        Map<String, PlatformMapping> byName = new TreeMap<>();
        for (PlatformMapping mapping : mappings) {
            if (byName.put(mapping.platform(), mapping) != null) {
                throw new IllegalArgumentException("Platform mapping '" + mapping.platform() + "' given twice");
            }
        }
        return new PlatformMappings(byName);
    }

    /**
     * The mapping of a platform.
     *
     * @throws IllegalArgumentException if there is none, naming the ones there are
     */
    public PlatformMapping get(String name) {
        PlatformMapping mapping = byName.get(name);
        if (mapping == null) {
            throw new IllegalArgumentException("No platform mapping named '" + name + "' (there is no mappings/platforms/"
                    + name + PlatformMappingReader.EXTENSION + "); known mappings: " + byName.keySet());
        }
        return mapping;
    }

    public Optional<PlatformMapping> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The platform names, sorted. */
    public Set<String> names() {
        return byName.keySet();
    }

    private String summary() {
        return byName.values().stream()
                .map(m -> m.platform() + " v" + m.mappingVersion())
                .reduce((a, b) -> a + ", " + b)
                .orElse("none");
    }

    private static Map<String, PlatformMapping> load(String locationPattern) {
        ResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        Map<String, PlatformMapping> byName = new TreeMap<>();
        Map<String, String> origin = new TreeMap<>();
        try {
            if (locationPattern.endsWith(PlatformMappingReader.EXTENSION)) {
                String ymlPattern = locationPattern.substring(0, locationPattern.length() - 5) + ".yml";
                Resource[] ymls = resolver.getResources(ymlPattern);
                if (ymls.length > 0) {
                    throw new InvalidPlatformMappingException(ymls[0].getFilename(), List.of(
                            "mapping files must end in " + PlatformMappingReader.EXTENSION + " (rename it)"));
                }
            }
            Resource[] resources = resolver.getResources(locationPattern);
            Arrays.sort(resources, Comparator.comparing(Resource::getFilename).thenComparing(Resource::getDescription));
            for (Resource resource : resources) {
                if (resource.getFilename().endsWith(PlatformEventMappingReader.EXTENSION)) {
                    continue; // an inbound events mapping beside the outbound ones: PlatformEventMappings reads it
                }
                PlatformMapping mapping;
                try (InputStream in = resource.getInputStream()) {
                    mapping = PlatformMappingReader.read(resource.getFilename(), in);
                }
                String earlier = origin.put(mapping.platform(), resource.getDescription());
                if (earlier != null) {
                    throw new InvalidPlatformMappingException(resource.getFilename(), List.of(
                            "platform '" + mapping.platform() + "' is defined twice on the classpath ("
                                    + earlier + " and " + resource.getDescription() + ")"));
                }
                byName.put(mapping.platform(), mapping);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the platform mappings at " + locationPattern, e);
        }
        return byName;
    }
}
