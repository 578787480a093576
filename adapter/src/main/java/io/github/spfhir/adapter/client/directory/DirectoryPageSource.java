package io.github.spfhir.adapter.client.directory;

/** A directory source read one page of services at a time, whatever its API's version. */
public interface DirectoryPageSource {

    /** One page of services, numbered from 1. */
    OrukPage servicesPage(int pageNumber);
}
