package io.github.spfhir.adapter.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeErrorsTest {

    @Test
    void namesEachExceptionAndWhereItWasThrownButNeverItsMessage() {
        IllegalStateException cause = new IllegalStateException("NHS number 9434765919 could not be read");
        RuntimeException error = new RuntimeException("while reading Jane Doe", cause);

        String described = SafeErrors.describe(error);

        assertThat(described).startsWith("java.lang.RuntimeException at " + getClass().getName()
                + ".namesEachExceptionAndWhereItWasThrownButNeverItsMessage(SafeErrorsTest.java:");
        assertThat(described).contains("; caused by java.lang.IllegalStateException at " + getClass().getName());
        assertThat(described).doesNotContain("9434765919").doesNotContain("Jane Doe");
    }

    @Test
    void aCauseCycleEndsTheDescription() {
        IllegalArgumentException first = new IllegalArgumentException();
        IllegalStateException second = new IllegalStateException(first);
        first.initCause(second);

        assertThat(SafeErrors.describe(first).split("caused by")).hasSize(2);
    }
}
