package io.github.spfhir.adapter.client.directory;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One page of an Open Referral UK v3 list endpoint (the {@code Page} envelope of the UK profile's OpenAPI).
 *
 * @param pageNumber the page's number, from 1
 * @param totalPages pages in all, as the source reports them
 * @param totalItems items in all, as the source reports them
 * @param lastPage   true when the source says this is the last page (or it is past the total)
 * @param contents   the page's records, each as the source sent it; a record may be malformed
 */
public record OrukPage(int pageNumber, int totalPages, long totalItems, boolean lastPage, List<JsonNode> contents) {

    public OrukPage {
        contents = List.copyOf(contents);
    }
}
