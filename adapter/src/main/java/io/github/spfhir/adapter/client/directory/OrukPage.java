package io.github.spfhir.adapter.client.directory;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One page of an Open Referral UK v3 list endpoint (the {@code Page} envelope of the UK profile's OpenAPI), or of
 * an export file read in pages.
 *
 * @param pageNumber the page's number, from 1
 * @param totalPages pages in all, as the source reports them
 * @param totalItems items in all, as the source reports them
 * @param lastPage   true when the source says this is the last page (or it is past the total)
 * @param contents   the page's records, each as the source sent it; a record may be malformed
 * @param unreadable records of the page that could not even be read as records (a CSV row with the wrong number
 *                   of fields), each with the source's id for it when it has one and why
 */
public record OrukPage(int pageNumber, int totalPages, long totalItems, boolean lastPage, List<JsonNode> contents,
        List<UnreadableRecord> unreadable) {

    public OrukPage {
        contents = List.copyOf(contents);
        unreadable = List.copyOf(unreadable);
    }

    /** A page whose every record could be read. */
    public OrukPage(int pageNumber, int totalPages, long totalItems, boolean lastPage, List<JsonNode> contents) {
        this(pageNumber, totalPages, totalItems, lastPage, contents, List.of());
    }

    /**
     * A record that could not be read.
     *
     * @param recordId the source's id for it, or null when it cannot be told
     * @param reason   why, without the record's text
     */
    public record UnreadableRecord(String recordId, String reason) {
    }
}
