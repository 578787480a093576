package io.github.spfhir.adapter.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NhsNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"9434765919", "9000000009", "4010232137"})
    void acceptsValidNumbers(String nhsNumber) {
        assertThat(NhsNumber.isValid(nhsNumber)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "9434765918",   // wrong check digit (9 is right)
        "9000000001",   // wrong check digit (9 is right)
        "943476591",    // 9 digits
        "94347659190",  // 11 digits
        "94347659AB",   // letters
        "943 476 5919", // separators are not accepted
        " 9434765919",
        "９４３４７６５９１９", // full-width digits are not ASCII digits
        "1000000010",   // the first nine give a check digit of 10: no valid NHS number starts 100000001
        "1000000011"})
    void rejectsInvalidNumbers(String nhsNumber) {
        assertThat(NhsNumber.isValid(nhsNumber)).isFalse();
    }

    @Test
    void checkDigitOfTenIsInvalidWhateverTheLastDigit() {
        // 1,0,0,0,0,0,0,0,1 weighted 10..2: 10 + 2 = 12; 12 mod 11 = 1; 11 - 1 = 10 -> no valid number
        for (char last = '0'; last <= '9'; last++) {
            assertThat(NhsNumber.isValid("100000001" + last)).as("100000001%s", last).isFalse();
        }
    }

    @Test
    void checkDigitOfElevenBecomesZero() {
        // 9,4,3,4,7,6,5,9,0 weighted 10..2 sum to 297 = 27 * 11: 11 - 0 = 11, which becomes 0
        assertThat(NhsNumber.isValid("9434765900")).isTrue();
        assertThat(NhsNumber.isValid("9434765901")).isFalse();
    }
}
