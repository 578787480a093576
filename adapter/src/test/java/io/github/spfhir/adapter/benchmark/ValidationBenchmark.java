package io.github.spfhir.adapter.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.utilities.OIDUtilities;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.ValidationResult;

/**
 * Warm validation cost of the bundled examples with the shared {@link FhirProfileValidator}: a plain main, not a
 * test. For each of ServiceRequest, Task and Patient it warms up, then runs timed rounds on one thread and on two
 * threads sharing the validator, and prints microseconds per validation (the median of the rounds).
 *
 * <pre>
 * ./mvnw -B -o -q -pl adapter test-compile exec:java \
 *     -Dexec.mainClass=io.github.spfhir.adapter.benchmark.ValidationBenchmark -Dexec.classpathScope=test \
 *     [-Dexec.args="warmUp rounds perRound"]
 * </pre>
 *
 * Arguments (all optional): warm-up validations per resource (default 3000), rounds (default 5), validations
 * per round (default 1000).
 */
public final class ValidationBenchmark {

    private static final List<String> EXAMPLES = List.of("sp-service-request.json", "sp-task.json", "sp-patient.json");

    private ValidationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int perRound = args.length > 2 ? Integer.parseInt(args[2]) : 1000;

        System.out.printf("JDK %s, %d processors, max heap %d MB; warm-up %d, %d rounds of %d per resource%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                warmUp, rounds, perRound);
        System.out.println("OIDUtilities loaded from " + OIDUtilities.class.getProtectionDomain().getCodeSource().getLocation()
                + " (the shadow lives in target/classes, upstream in the org.hl7.fhir.utilities jar)");

        FhirContext fhirContext = FhirContext.forR4Cached();
        long start = System.nanoTime();
        FhirProfileValidator validator = new FhirProfileValidator(fhirContext);
        System.out.printf("validator built in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        start = System.nanoTime();
        validator.warmUp();
        System.out.printf("first validations (warmUp) in %d ms%n", (System.nanoTime() - start) / 1_000_000);

        ExecutorService twoThreads = Executors.newFixedThreadPool(2);
        try {
            System.out.printf("%-16s %12s %16s %16s%n", "resource", "1 thread", "2 threads", "2 threads");
            System.out.printf("%-16s %12s %16s %16s%n", "", "us/validation", "us/validation", "validations/s");
            for (String example : EXAMPLES) {
                Resource resource = load(fhirContext, example);
                ValidationResult check = validator.validate(resource);
                if (!check.isValid()) {
                    throw new IllegalStateException(example + " is not valid: " + check.errors());
                }
                run(validator, resource, warmUp);

                double[] single = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    run(validator, resource, perRound);
                    single[r] = (System.nanoTime() - t0) / 1_000.0 / perRound;
                }

                double[] perValidation = new double[rounds];
                double[] throughput = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    List<Callable<Long>> jobs = new ArrayList<>();
                    for (int t = 0; t < 2; t++) {
                        Resource copy = resource.copy(); // each thread validates its own copy
                        jobs.add(() -> {
                            long t0 = System.nanoTime();
                            run(validator, copy, perRound);
                            return System.nanoTime() - t0;
                        });
                    }
                    long t0 = System.nanoTime();
                    long threadNanos = 0;
                    for (Future<Long> done : twoThreads.invokeAll(jobs)) {
                        threadNanos += done.get();
                    }
                    long wall = System.nanoTime() - t0;
                    perValidation[r] = threadNanos / 1_000.0 / (2.0 * perRound);
                    throughput[r] = 2.0 * perRound / (wall / 1e9);
                }
                System.out.printf("%-16s %12.0f %16.0f %16.0f%n", resource.fhirType(), median(single),
                        median(perValidation), median(throughput));
            }
        } finally {
            twoThreads.shutdownNow();
        }
    }

    private static void run(FhirProfileValidator validator, Resource resource, int times) {
        for (int i = 0; i < times; i++) {
            validator.validate(resource);
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static Resource load(FhirContext fhirContext, String example) throws IOException {
        try (InputStream in = ValidationBenchmark.class.getResourceAsStream("/fhir-profiles/examples/" + example)) {
            if (in == null) {
                throw new IllegalStateException("No example " + example + " on the classpath");
            }
            return (Resource) fhirContext.newJsonParser().parseResource(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
