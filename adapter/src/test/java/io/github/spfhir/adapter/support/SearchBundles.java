package io.github.spfhir.adapter.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading the searchset Bundles of the FHIR search tests. */
public final class SearchBundles {

    private SearchBundles() {
    }

    /** Each entry's resource {@code name}, in the Bundle's order. */
    public static List<String> names(JsonNode bundle) {
        List<String> names = new ArrayList<>();
        bundle.path("entry").forEach(e -> names.add(e.get("resource").get("name").asText()));
        return names;
    }

    /** A search parameter's value, URL-encoded. */
    public static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
