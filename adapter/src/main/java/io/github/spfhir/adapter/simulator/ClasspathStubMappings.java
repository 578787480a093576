package io.github.spfhir.adapter.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import com.github.tomakehurst.wiremock.standalone.MappingsSource;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.stubbing.StubMappings;

/**
 * WireMock stubs read from the classpath through Spring's resource resolver, which (unlike WireMock's
 * {@code ClasspathFileSource}) also reads from inside the Spring Boot jar. Read-only: stubs added through the
 * admin API live until the next reset, which reloads these.
 */
final class ClasspathStubMappings implements MappingsSource {

    private final String locationPattern;

    ClasspathStubMappings(String locationPattern) {
        this.locationPattern = locationPattern;
    }

    @Override
    public void loadMappingsInto(StubMappings stubMappings) {
        Resource[] resources;
        try {
            resources = new PathMatchingResourcePatternResolver().getResources(locationPattern);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the simulator's stubs at " + locationPattern, e);
        }
        if (resources.length == 0) {
            throw new IllegalStateException("The simulator has no stubs: nothing at " + locationPattern);
        }
        Arrays.sort(resources, Comparator.comparing(Resource::getFilename));
        for (Resource resource : resources) {
            StubMapping stub;
            try (InputStream in = resource.getInputStream()) {
                stub = StubMapping.buildFrom(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the simulator stub " + resource.getFilename(), e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Invalid simulator stub " + resource.getFilename() + ": " + e.getMessage(), e);
            }
            stub.setDirty(false);
            stubMappings.addMapping(stub);
        }
    }

    @Override
    public void save(List<StubMapping> stubMappings) {
        // read-only
    }

    @Override
    public void save(StubMapping stubMapping) {
        // read-only
    }

    @Override
    public void remove(StubMapping stubMapping) {
        // read-only
    }

    @Override
    public void removeAll() {
        // read-only
    }
}
