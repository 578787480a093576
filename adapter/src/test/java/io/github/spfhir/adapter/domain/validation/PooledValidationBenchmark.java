package io.github.spfhir.adapter.domain.validation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.hl7.fhir.r4.model.Resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.support.Fixtures;

/**
 * The pooled core validators against HAPI's own path (a core validator built for every validation), in one JVM,
 * on what a referral emits: the ServiceRequest, Task and Patient of the full-referral golden file, each against its
 * profile. Rounds of each alternate, single-threaded; prints the median microseconds per referral (three
 * validations) after the warm-up rounds. Not a test: run with
 * {@code -Dexec.mainClass=io.github.spfhir.adapter.domain.validation.PooledValidationBenchmark} (docs/benchmarks.md).
 */
public final class PooledValidationBenchmark {

    private PooledValidationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 24;
        int warmUpRounds = rounds / 3;
        int perRound = 400;
        FhirContext fhir = FhirContext.forR4Cached();
        FhirProfileValidator pooled = new FhirProfileValidator(fhir, true);
        FhirProfileValidator hapisOwnPath = new FhirProfileValidator(fhir, false);
        JsonNode expected = new ObjectMapper().readTree(Fixtures.read("referral-to-link-worker/valid/full-referral.expected.json"));
        List<Resource> emitted = List.of("serviceRequest", "task", "patient").stream()
                .map(name -> (Resource) fhir.newJsonParser().parseResource(expected.get(name).toString())).toList();

        List<Double> pooledMicros = new ArrayList<>();
        List<Double> ownPathMicros = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double pooledRound = microsPerReferral(pooled, emitted, perRound);
            double ownPathRound = microsPerReferral(hapisOwnPath, emitted, perRound);
            if (round >= warmUpRounds) {
                pooledMicros.add(pooledRound);
                ownPathMicros.add(ownPathRound);
            }
        }
        System.out.printf("Validating one referral's ServiceRequest, Task and Patient, median of %d rounds of %d, "
                + "single thread, Java %s:%n  pooled core validators : %.0f us%n  HAPI's own path        : %.0f us%n",
                rounds - warmUpRounds, perRound, System.getProperty("java.version"), median(pooledMicros),
                median(ownPathMicros));
    }

    private static double microsPerReferral(FhirProfileValidator validator, List<Resource> emitted, int referrals) {
        long start = System.nanoTime();
        for (int i = 0; i < referrals; i++) {
            for (Resource resource : emitted) {
                if (!validator.validate(resource, EmittedResourceValidator.profileOf(resource)).isValid()) {
                    throw new IllegalStateException("The golden " + resource.fhirType() + " does not validate");
                }
            }
        }
        return (System.nanoTime() - start) / 1e3 / referrals;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
