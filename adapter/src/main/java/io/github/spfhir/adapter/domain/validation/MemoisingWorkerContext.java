package io.github.spfhir.adapter.domain.validation;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.model.Resource;

import ca.uhn.fhir.context.support.IValidationSupport;

/**
 * HAPI's worker context for the core validator, remembering the answer to each lookup of a conformance resource by
 * type and canonical URL.
 *
 * <p>Why: the core validator asks for StructureDefinitions and ValueSets by URL many times per element, and each
 * of HAPI's lookups does string scans, two FHIR contexts' type lookups, a walk of the support chain and a
 * synchronised read of the converted copy: about 5% of the adapter's CPU under load, for an answer that never
 * changes, because every conformance resource is loaded when the validator is built. A resource found is the same
 * object HAPI would return (HAPI keeps the converted copy on the source resource), so nothing else changes.
 *
 * <p>Lookups that find nothing are remembered too (the core asks for a StructureDefinition of FHIRPath's
 * {@code System.String} for every primitive value), but at most {@value #MAX_REMEMBERED_MISSES} of them: the URLs
 * of unknown extensions and profiles come from senders, and must not grow this map without bound. Past that, a
 * miss goes to HAPI each time, as it would without this class.
 */
final class MemoisingWorkerContext extends WorkerContextValidationSupportAdapter {

    static final int MAX_REMEMBERED_MISSES = 10_000;

    private final Map<Class<?>, Map<String, Optional<Resource>>> answersByTypeAndUrl = new ConcurrentHashMap<>();
    private final AtomicInteger rememberedMisses = new AtomicInteger();

    MemoisingWorkerContext(IValidationSupport validationSupport) {
        super(validationSupport);
    }

    @Override
    public <T extends Resource> T fetchResource(Class<T> type, String url) {
        if (url == null) {
            return super.fetchResource(type, url);
        }
        Map<String, Optional<Resource>> answersByUrl = answersByTypeAndUrl.computeIfAbsent(type, any -> new ConcurrentHashMap<>());
        Optional<Resource> known = answersByUrl.get(url);
        if (known != null) {
            return type.cast(known.orElse(null));
        }
        T fetched = super.fetchResource(type, url);
        if (fetched != null) {
            answersByUrl.put(url, Optional.of(fetched));
        } else if (rememberedMisses.incrementAndGet() > MAX_REMEMBERED_MISSES // a place is taken before the put,
                || answersByUrl.putIfAbsent(url, Optional.empty()) != null) { // so threads cannot pass the bound
            rememberedMisses.decrementAndGet(); // full, or another thread remembered it first
        }
        return fetched;
    }

    /** How many lookups that found nothing are remembered. */
    int rememberedMisses() {
        return rememberedMisses.get();
    }

    @Override
    public void invalidateCaches() {
        answersByTypeAndUrl.clear();
        rememberedMisses.set(0);
        super.invalidateCaches();
    }
}
