package io.github.spfhir.adapter.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;

class MemoisingWorkerContextTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String PATIENT = "http://hl7.org/fhir/StructureDefinition/Patient";
    private static ValidationSupportChain chain;

    @BeforeAll
    static void loadTheCoreDefinitions() {
        chain = new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR));
    }

    @Test
    void answersWithTheObjectsHapisOwnContextReturns() {
        WorkerContextValidationSupportAdapter hapis = new WorkerContextValidationSupportAdapter(chain);
        MemoisingWorkerContext memoising = new MemoisingWorkerContext(chain);

        StructureDefinition first = memoising.fetchResource(StructureDefinition.class, PATIENT);
        assertThat(first).isNotNull().isSameAs(hapis.fetchResource(StructureDefinition.class, PATIENT));
        assertThat(first.getUrl()).isEqualTo(PATIENT);
        assertThat(memoising.fetchResource(StructureDefinition.class, PATIENT)).isSameAs(first);
        // the other entries the core validator uses lead to the same lookup
        assertThat(memoising.fetchTypeDefinition("Patient")).isSameAs(first);
        assertThat(memoising.fetchResource(StructureDefinition.class, PATIENT, "4.0.1", null))
                .isSameAs(hapis.fetchResource(StructureDefinition.class, PATIENT, "4.0.1", null));
        String genders = "http://hl7.org/fhir/ValueSet/administrative-gender";
        assertThat(memoising.findTxResource(ValueSet.class, genders)).isNotNull()
                .isSameAs(hapis.findTxResource(ValueSet.class, genders));
    }

    @Test
    void theTypeAskedForIsPartOfTheQuestion() {
        MemoisingWorkerContext memoising = new MemoisingWorkerContext(chain);

        assertThat(memoising.fetchResource(StructureDefinition.class, PATIENT)).isNotNull();
        assertThat(memoising.fetchResource(ValueSet.class, PATIENT)).isNull();
        assertThat(memoising.fetchResource(StructureDefinition.class, PATIENT)).isNotNull();
    }

    @Test
    void aLookupThatFindsNothingIsRememberedOnce() {
        MemoisingWorkerContext memoising = new MemoisingWorkerContext(chain);
        String unknown = "https://sender.example.org/fhir/StructureDefinition/unknown";

        assertThat(memoising.fetchResource(StructureDefinition.class, unknown)).isNull();
        assertThat(memoising.fetchResource(StructureDefinition.class, unknown)).isNull();
        assertThat(memoising.fetchResource(StructureDefinition.class, null)).isNull();

        assertThat(memoising.rememberedMisses()).isEqualTo(1);
    }

    @Test
    void sendersCannotGrowTheRememberedMissesBeyondTheirBound() {
        MemoisingWorkerContext memoising = new MemoisingWorkerContext(chain);

        for (int i = 0; i < MemoisingWorkerContext.MAX_REMEMBERED_MISSES + 50; i++) {
            assertThat(memoising.fetchResource(StructureDefinition.class, "https://sender.example.org/fhir/StructureDefinition/x" + i))
                    .isNull();
        }

        assertThat(memoising.rememberedMisses()).isEqualTo(MemoisingWorkerContext.MAX_REMEMBERED_MISSES);
        // past the bound, lookups still answer (from HAPI), found or not
        assertThat(memoising.fetchResource(StructureDefinition.class, "https://sender.example.org/fhir/StructureDefinition/x-last"))
                .isNull();
        assertThat(memoising.fetchResource(StructureDefinition.class, PATIENT)).isNotNull();
    }

    @Test
    void concurrentMissesStayWithinTheBound() throws Exception {
        MemoisingWorkerContext memoising = new MemoisingWorkerContext(chain);
        int threads = 4;
        int perThread = MemoisingWorkerContext.MAX_REMEMBERED_MISSES / 2; // together past the bound
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> found = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                found.add(pool.submit(() -> {
                    int nonNull = 0;
                    for (int i = 0; i < perThread; i++) {
                        // half the URLs are shared by every thread, to race on the same entry
                        String url = "https://sender.example.org/fhir/StructureDefinition/"
                                + (i % 2 == 0 ? "shared-" + i : "thread-" + thread + "-" + i);
                        nonNull += memoising.fetchResource(StructureDefinition.class, url) == null ? 0 : 1;
                    }
                    return nonNull;
                }));
            }
            for (Future<Integer> result : found) {
                assertThat(result.get()).isZero();
            }
        } finally {
            pool.shutdown();
        }

        int distinctMisses = perThread / 2 + threads * (perThread - perThread / 2);
        assertThat(distinctMisses).isGreaterThan(MemoisingWorkerContext.MAX_REMEMBERED_MISSES);
        assertThat(memoising.rememberedMisses()).isEqualTo(MemoisingWorkerContext.MAX_REMEMBERED_MISSES);
    }

    @Test
    void invalidatingTheCachesForgetsWhatWasRemembered() {
        MemoisingWorkerContext memoising = new MemoisingWorkerContext(chain);
        memoising.fetchResource(StructureDefinition.class, "https://sender.example.org/fhir/StructureDefinition/unknown");

        memoising.invalidateCaches();

        assertThat(memoising.rememberedMisses()).isZero();
        assertThat(memoising.fetchResource(StructureDefinition.class, PATIENT).getUrl()).isEqualTo(PATIENT);
    }
}
