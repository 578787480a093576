package io.github.spfhir.adapter.domain.validation;

import java.util.List;

/**
 * What the profile validator found in one resource: every message, errors and warnings alike.
 *
 * @param problems      one per validator message, in the validator's order; never null
 * @param validatedJson the resource as the validator read it (HAPI's JSON encoding with the shared context), so that
 *                      a caller can store exactly what was validated without encoding it again; null only if
 *                      HAPI handed the validator something other than JSON
 */
public record ValidationResult(List<Problem> problems, String validatedJson) {

    public ValidationResult {
        problems = List.copyOf(problems);
    }

    /** True when no problem is an error or fatal (warnings and information do not count). */
    public boolean isValid() {
        return problems.stream().noneMatch(Problem::isError);
    }

    /** The errors and fatal problems only. */
    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }
}
