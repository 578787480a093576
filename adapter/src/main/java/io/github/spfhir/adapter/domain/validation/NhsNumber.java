package io.github.spfhir.adapter.domain.validation;

/**
 * The NHS number check: 10 digits whose last is the Modulus 11 check digit of the first nine.
 *
 * <p>The first nine digits are weighted 10 down to 2 and summed; the check digit is 11 minus the remainder of
 * that sum divided by 11, where 11 becomes 0 and 10 means the number is not a valid NHS number. The profile
 * SocialPrescribingPatient only checks the 10-digit shape; this class checks the check digit.
 */
public final class NhsNumber {

    private NhsNumber() {
    }

    /**
     * @param nhsNumber the number exactly as carried (no spaces or other separators are accepted)
     * @return true when it is 10 ASCII digits with a correct Modulus 11 check digit
     */
    public static boolean isValid(String nhsNumber) {
        if (nhsNumber == null || nhsNumber.length() != 10) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            char c = nhsNumber.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            if (i < 9) {
                sum += (c - '0') * (10 - i);
            }
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            check = 0;
        }
        return check != 10 && check == nhsNumber.charAt(9) - '0';
    }
}
