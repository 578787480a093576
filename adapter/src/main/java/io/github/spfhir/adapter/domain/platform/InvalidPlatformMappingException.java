package io.github.spfhir.adapter.domain.platform;

import java.util.List;

/**
 * A mapping file of {@code mappings/platforms/} is not valid. Thrown while loading, so the adapter does not
 * start with a mapping it cannot apply. The message names the file and every problem found in it.
 */
public class InvalidPlatformMappingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final List<String> problems;

    public InvalidPlatformMappingException(String fileName, List<String> problems) {
        super("Invalid platform mapping file " + fileName + ": " + String.join("; ", problems));
        this.fileName = fileName;
        this.problems = List.copyOf(problems);
    }

    public InvalidPlatformMappingException(String fileName, String problem, Throwable cause) {
        super("Invalid platform mapping file " + fileName + ": " + problem, cause);
        this.fileName = fileName;
        this.problems = List.of(problem);
    }

    public String fileName() {
        return fileName;
    }

    public List<String> problems() {
        return problems;
    }
}
