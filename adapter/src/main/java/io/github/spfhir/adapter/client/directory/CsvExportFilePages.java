package io.github.spfhir.adapter.client.directory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a directory export in CSV (RFC 4180 with a header row, UTF-8, an optional byte-order mark) in pages of
 * {@code pageSize} rows, streaming with Apache Commons CSV, so a large export is never held in memory whole. Each
 * row becomes a flat JSON object of column name to text (an empty field is absent), which the export's mapping
 * reads like a record of a JSON export. Pages are read in order: page 1 (re)opens the file.
 *
 * <ul>
 *   <li>A row with more or fewer fields than the header is not guessed at (a stray comma would shift every value
 *       after it): it is an {@link OrukPage.UnreadableRecord}, with the id column's value if the row has one.</li>
 *   <li>A file that is missing, unreadable, not UTF-8, without a header, with a column named twice, lacking a
 *       column the mapping names, or malformed (an unclosed quote: a truncated file) is a
 *       {@link DirectorySourceException}: the run fails and the last good copy keeps serving.</li>
 * </ul>
 */
public class CsvExportFilePages implements DirectoryPageSource, AutoCloseable {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
            .setIgnoreEmptyLines(true)
            .build();
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final Path file;
    private final Set<String> requiredColumns;
    private final String idColumn;
    private final int pageSize;
    private CSVParser parser;
    private Iterator<CSVRecord> rows;
    private int nextPage = 1;

    /**
     * @param file            the export
     * @param requiredColumns the columns the mapping reads: the header must have every one
     * @param idColumn        the column holding a record's id (for the report of an unreadable row)
     * @param pageSize        rows per page
     */
    public CsvExportFilePages(Path file, Set<String> requiredColumns, String idColumn, int pageSize) {
        this.file = Objects.requireNonNull(file, "file");
        this.requiredColumns = Set.copyOf(requiredColumns);
        this.idColumn = idColumn;
        this.pageSize = Math.max(1, pageSize);
    }

    /** An export file is always read whole: {@code modifiedAfter} must be null. */
    @Override
    public synchronized OrukPage servicesPage(int pageNumber, Instant modifiedAfter) {
        if (modifiedAfter != null) {
            throw new IllegalArgumentException("an export file cannot be read from a modified_after cursor");
        }
        if (pageNumber != 1 && (pageNumber != nextPage || rows == null)) {
            throw new IllegalStateException("export pages are read in order: asked for " + pageNumber + ", next is "
                    + nextPage);
        }
        try {
            if (pageNumber == 1) {
                close();
                open();
            }
            List<JsonNode> records = new ArrayList<>();
            List<OrukPage.UnreadableRecord> unreadable = new ArrayList<>();
            for (int read = 0; read < pageSize && rows.hasNext(); read++) {
                CSVRecord row = rows.next();
                if (row.isConsistent()) {
                    records.add(object(row));
                } else {
                    unreadable.add(new OrukPage.UnreadableRecord(idOf(row), "CSV record " + row.getRecordNumber()
                            + " has " + row.size() + " fields, the header " + parser.getHeaderNames().size()));
                }
            }
            boolean end = !rows.hasNext();
            nextPage = pageNumber + 1;
            if (end) {
                close();
            }
            return new OrukPage(pageNumber, 0, -1, end, records, unreadable);
        } catch (DirectorySourceException e) {
            close();
            throw e;
        } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            // how commons-csv reports a malformed file: an unclosed quote (a truncated file), a bad header
            close();
            throw new DirectorySourceException("Unreadable export file: " + e.getClass().getSimpleName(), null, e);
        }
    }

    private void open() throws IOException {
        if (!Files.isReadable(file)) {
            throw new DirectorySourceException("Export file missing or unreadable", null, null);
        }
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        reader.mark(1);
        if (reader.read() != BYTE_ORDER_MARK) {
            reader.reset();
        }
        parser = FORMAT.parse(reader);
        Set<String> missing = new TreeSet<>(requiredColumns);
        missing.removeAll(parser.getHeaderNames());
        if (!missing.isEmpty()) {
            throw new DirectorySourceException("Export file lacks the column(s) " + missing + " of its mapping", null, null);
        }
        rows = parser.iterator();
    }

    /** The row as a flat object: column name to text, empty fields left out. */
    private static ObjectNode object(CSVRecord row) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        row.toMap().forEach((column, value) -> {
            if (value != null && !value.isEmpty()) {
                object.put(column, value);
            }
        });
        return object;
    }

    private String idOf(CSVRecord row) {
        if (idColumn == null || !row.isMapped(idColumn) || !row.isSet(idColumn)) {
            return null;
        }
        String id = row.get(idColumn).trim();
        return id.isEmpty() ? null : id;
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
            rows = null;
        }
    }
}
