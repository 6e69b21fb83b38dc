package io.pgpartition.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgTextTest {

    @ParameterizedTest
    @CsvSource({
            "2024-01-01 00:00:00+00, 2024-01-01T00:00:00Z",
            "2024-01-01 05:30:00+05:30, 2024-01-01T00:00:00Z",
            "1883-11-18 12:03:58-04:56:02, 1883-11-18T17:00:00Z",
            "2024-06-30 23:59:59.123456-07, 2024-07-01T06:59:59.123456Z",
            "infinity, +1000000000-12-31T23:59:59.999999999Z"})
    void readsTimestamptzWithEveryOffsetForm(String text, Instant expected) {
        assertThat(PgText.parseTimestampTz(text)).as(text).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"2024-01-01 00:00:00", "2024-02-29 13:14:15.5", "1999-12-31 23:59:59.000001", "2026-10-25 09:08:07",
            "0044-03-15 00:00:00 BC", "infinity", "-infinity"})
    void timestampsRoundTrip(String text) {
        LocalDateTime value = PgText.parseTimestamp(text);
        assertThat(PgText.formatTimestamp(value)).as("format(parse(%s))", text).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"2024-02-29, 00:00:00", "2023-12-31, 23:59:59", "0001-01-01, 12:30:45.1", "9999-12-31, 01:02:03.123456",
            "2026-04-30, 07:08:09.987654321", "2026-01-31, 10:00:00.05"})
    void readsDatesAndTimesAsJavaTimeDoes(String date, String time) {
        assertThat(PgText.parseTimestamp(date + " " + time)).isEqualTo(LocalDateTime.of(LocalDate.parse(date), LocalTime.parse(time)));
        assertThat(PgText.parseDate(date)).isEqualTo(LocalDate.parse(date));
    }

    @ParameterizedTest
    @CsvSource({"2023-02-29 00:00:00", "2024-13-01 00:00:00", "2024-04-31 00:00:00", "2024-01-01 24:00:00",
            "2024-01-01 10:60:00", "2024-1-01 00:00:00", "2024-01-01 0a:00:00", "2024-01-01 00:00:00.1234567890"})
    void refusesTextThatIsNoTimestamp(String text) {
        assertThatThrownBy(() -> PgText.parseTimestamp(text)).as(text).isInstanceOf(DateTimeParseException.class);
    }

    @ParameterizedTest
    @CsvSource({"10000-01-01 00:00:00", "294276-12-31 23:59:59.999999", "12344-02-29 01:02:03", "10000-01-01 00:00:00 BC"})
    void timestampsPastTheYear9999RoundTripWithoutASign(String text) {
        LocalDateTime value = PgText.parseTimestamp(text);
        assertThat(value.getYear()).as("the year of %s", text).isGreaterThan(text.endsWith("BC") ? -10000 : 9999);
        assertThat(PgText.formatTimestamp(value)).as("format(parse(%s))", text).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"10000-01-01, 10000", "5874897-12-31, 5874897", "99999-02-28, 99999"})
    void datesPastTheYear9999(String text, int year) {
        LocalDate date = PgText.parseDate(text);
        assertThat(date.getYear()).isEqualTo(year);
        assertThat(PgText.formatDate(date)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"10000-02-30", "10000-13-01", "10000-00-01", "10000-01-00", "1000a-01-01", "0999-01-01x", "10000-1-01"})
    void refusesTextThatIsNoDatePastTheYear9999(String text) {
        assertThatThrownBy(() -> PgText.parseDate(text)).as(text).isInstanceOf(DateTimeParseException.class);
    }

    @ParameterizedTest
    @CsvSource({"2024-01-01 00:00:00+00", "0044-03-15 12:00:00+00 BC", "294276-12-01 00:00:00+00"})
    void timestamptzRoundTripsInUtc(String text) {
        assertThat(PgText.formatTimestampTz(PgText.parseTimestampTz(text))).as(text).isEqualTo(text);
    }
}
