package io.github.spfhir.adapter.client.directory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a directory export file (a JSON array of records, at the top level or in one top-level field) in pages
 * of {@code pageSize} records with a streaming parser, so a large export is never held in memory whole. Pages
 * are read in order: page 1 (re)opens the file, each later page carries on where the previous one stopped.
 * A file that is missing, unreadable or not of that shape is a {@link DirectorySourceException}.
 */
public class ExportFilePages implements DirectoryPageSource, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String recordsField;
    private final int pageSize;
    private JsonParser parser;
    private int nextPage = 1;

    /**
     * @param file         the export
     * @param recordsField the top-level field holding the array, or null when the file is the array
     * @param pageSize     records per page
     */
    public ExportFilePages(Path file, String recordsField, int pageSize) {
        this.file = Objects.requireNonNull(file, "file");
        this.recordsField = recordsField;
        this.pageSize = Math.max(1, pageSize);
    }

    /** An export file is always read whole: {@code modifiedAfter} must be null. */
    @Override
    public synchronized OrukPage servicesPage(int pageNumber, Instant modifiedAfter) {
        if (modifiedAfter != null) {
            throw new IllegalArgumentException("an export file cannot be read from a modified_after cursor");
        }
        try {
            if (pageNumber == 1) {
                close();
                open();
            } else if (pageNumber != nextPage || parser == null) {
                throw new IllegalStateException("export pages are read in order: asked for " + pageNumber
                        + ", next is " + nextPage);
            }
            List<JsonNode> records = new ArrayList<>();
            boolean end = false;
            while (records.size() < pageSize) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY || token == null) {
                    end = true;
                    break;
                }
                records.add(JSON.readTree(parser));
            }
            nextPage = pageNumber + 1;
            if (end) {
                close();
            }
            return new OrukPage(pageNumber, 0, -1, end, records);
        } catch (IOException e) {
            close();
            throw new DirectorySourceException("Unreadable export file: " + e.getClass().getSimpleName(), null, e);
        }
    }

    private void open() throws IOException {
        if (!Files.isReadable(file)) {
            throw new DirectorySourceException("Export file missing or unreadable", null, null);
        }
        parser = JSON.getFactory().createParser(file.toFile());
        JsonToken first = parser.nextToken();
        if (recordsField != null) {
            if (first != JsonToken.START_OBJECT) {
                throw notTheShape();
            }
            while (true) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.FIELD_NAME && recordsField.equals(parser.currentName())) {
                    first = parser.nextToken();
                    break;
                }
                if (token == null || token == JsonToken.END_OBJECT) {
                    throw notTheShape();
                }
                if (token == JsonToken.FIELD_NAME) {
                    parser.nextToken();
                    parser.skipChildren();
                }
            }
        }
        if (first != JsonToken.START_ARRAY) {
            throw notTheShape();
        }
    }

    private DirectorySourceException notTheShape() {
        close();
        return new DirectorySourceException("Export file is not an array of records"
                + (recordsField == null ? "" : " under '" + recordsField + "'"), null, null);
    }

    @Override
    public synchronized void close() {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException e) {
                // nothing left to do with it
            }
            parser = null;
        }
    }
}
