package io.github.spfhir.adapter.support;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.util.ArrayList;
import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;

/**
 * The {@code example-oruk} directory source of integration tests as an ORUK v3 feed on {@link TestPartners}
 * (page size 2, as {@link AdapterIntegrationTest} configures it), serving the service records given.
 */
public final class OrukFeeds {

    public static final String SOURCE = "example-oruk";
    /** The HSDS ids of the fixtures in test-fixtures/directory-sync/oruk-v3. */
    public static final String FULL = "ac148810-d857-441c-9679-408f346de14b";
    public static final String MINIMAL = "7d0f2c14-5a6b-4c3d-8e9f-0a1b2c3d4e02";
    public static final String CLOSED = "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a503";
    public static final String ORGANISATION = "d9d3d5e1-0f51-4b6e-9a37-1c3f6f0a8a01";

    /** For {@link #serve(String, List, String)}: answer only requests without {@code modified_after}. */
    public static final String FULL_ONLY = "(no modified_after)";

    private static final int PAGE_SIZE = 2;

    private OrukFeeds() {
    }

    /** One service record fixture, as JSON text. */
    public static String record(String scenario) {
        return Fixtures.read("directory-sync/oruk-v3/" + scenario + ".service.json");
    }

    /** Serves the records as the source's {@code /services}, two per page, with the v3 page envelope. */
    public static void serve(List<String> records) {
        serve(SOURCE, records, null);
    }

    /**
     * Serves the records as {@code /<path>/services}, two per page, with the v3 page envelope.
     *
     * @param modifiedAfter null: to every request; {@link #FULL_ONLY}: only to requests without
     *                      {@code modified_after}; otherwise only to requests with this {@code modified_after}
     */
    public static void serve(String path, List<String> records, String modifiedAfter) {
        int pages = Math.max(1, (records.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        for (int page = 1; page <= pages; page++) {
            List<String> contents = new ArrayList<>(records.subList(Math.min(records.size(), (page - 1) * PAGE_SIZE),
                    Math.min(records.size(), page * PAGE_SIZE)));
            MappingBuilder request = get(urlPathEqualTo("/" + path + "/services"))
                    .withQueryParam("page", equalTo(String.valueOf(page)))
                    .withQueryParam("per_page", equalTo(String.valueOf(PAGE_SIZE)));
            if (FULL_ONLY.equals(modifiedAfter)) {
                request = request.withQueryParam("modified_after", absent());
            } else if (modifiedAfter != null) {
                request = request.withQueryParam("modified_after", equalTo(modifiedAfter));
            }
            TestPartners.server().stubFor(request
                    .willReturn(okJson("{\"total_items\":" + records.size() + ",\"total_pages\":" + pages
                            + ",\"page_number\":" + page + ",\"size\":" + PAGE_SIZE + ",\"first_page\":" + (page == 1)
                            + ",\"last_page\":" + (page == pages) + ",\"empty\":" + contents.isEmpty()
                            + ",\"contents\":[" + String.join(",", contents) + "]}")));
        }
    }
}
