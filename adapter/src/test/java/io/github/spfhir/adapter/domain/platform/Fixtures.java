package io.github.spfhir.adapter.domain.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The top-level {@code test-fixtures/} folder, found from the module directory the tests run in. */
final class Fixtures {

    private Fixtures() {
    }

    static Path platformMapping() {
        return root().resolve("platform-mapping");
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("test-fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No test-fixtures/ folder above " + Path.of("").toAbsolutePath());
    }
}
