package io.github.spfhir.adapter.domain.validation;

/** The NHS number check: ten digits whose last is the Modulus 11 check digit of the first nine. */
public final class NhsNumber {

    private NhsNumber() {
    }

    public static boolean isValid(String candidate) {
        if (candidate == null || candidate.length() != 10) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            if (i < 9) {
                sum += (c - '0') * (10 - i); // weights 10 down to 2
            }
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        return check != 10 && check == candidate.charAt(9) - '0';
    }
}
