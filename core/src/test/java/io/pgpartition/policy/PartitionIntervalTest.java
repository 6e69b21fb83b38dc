package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionIntervalTest {

    @ParameterizedTest
    @CsvSource({
            "1 day, 1, DAY", "7 days, 7, DAY", "1 week, 1, WEEK", "1 month, 1, MONTH", "3 months, 3, MONTH",
            "1 quarter, 3, MONTH", "2 quarters, 6, MONTH", "1 year, 1, YEAR", "'  2   YEARS ', 2, YEAR",
            "daily, 1, DAY", "weekly, 1, WEEK", "monthly, 1, MONTH", "quarterly, 3, MONTH", "yearly, 1, YEAR"})
    void readsTimeIntervals(String text, int count, TimeUnit unit) {
        assertThat(PartitionInterval.parse(text, "@RangePartitions", "interval"))
                .as("'%s'", text).isEqualTo(new TimeInterval(count, unit));
    }

    @Test
    void readsNumericSteps() {
        assertThat(PartitionInterval.parse("100000", "@RangePartitions", "interval"))
                .as("an integer step").isEqualTo(new NumericInterval(BigInteger.valueOf(100_000)));
        assertThat(PartitionInterval.parse("1_000_000", "@RangePartitions", "interval"))
                .as("underscores group digits").isEqualTo(new NumericInterval(BigInteger.valueOf(1_000_000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "month", "-1 month", "1 fortnight", "1 hour", "1.5 months", "3 monthz", "0",
            "1 month; DROP TABLE x"})
    void refusesOtherTextNamingWhatIsAccepted(String text) {
        assertThatThrownBy(() -> PartitionInterval.parse(text, "@RangePartitions", "interval"))
                .as("'%s' is refused", text)
                .isInstanceOf(PartitionDefinitionException.class)
                .hasMessage("Invalid @RangePartitions(interval = \"" + text + "\"): expected " + PartitionInterval.ACCEPTED);
    }

    @Test
    void fullMessageForABadInterval() {
        assertThatThrownBy(() -> PartitionInterval.parse("1 fortnight", "@RangePartitions", "interval"))
                .hasMessage("Invalid @RangePartitions(interval = \"1 fortnight\"): expected a positive count of days, weeks, months, "
                        + "quarters or years such as '1 day', '1 week', '1 month', '3 months', '1 quarter', '1 year' "
                        + "(or daily, weekly, monthly, quarterly, yearly), or a positive integer step such as '100000' for a numeric key");
        assertThatThrownBy(() -> PartitionInterval.parse("0 months", "@RangePartitions", "interval"))
                .hasMessage("Invalid @RangePartitions(interval = \"0 months\"): expected a count from 1 to 10000 of days, weeks, "
                        + "months, quarters or years");
        assertThatThrownBy(() -> PartitionInterval.parse("20000 days", "@RangePartitions", "retention"))
                .hasMessage("Invalid @RangePartitions(retention = \"20000 days\"): expected a count from 1 to 10000 of days, weeks, "
                        + "months, quarters or years");
    }

    @ParameterizedTest
    @CsvSource({
            "1 month, 2024-05-17, 2024-05-01", "3 months, 2024-05-17, 2024-04-01", "3 months, 2024-12-31, 2024-10-01",
            "1 year, 2024-05-17, 2024-01-01", "1 week, 2024-05-17, 2024-05-13", "1 week, 2024-05-13, 2024-05-13",
            "1 day, 2024-05-17, 2024-05-17", "2 years, 2025-06-01, 2024-01-01", "1 month, -0001-03-05, -0001-03-01"})
    void alignsPeriodsToTheCalendar(String interval, LocalDate date, LocalDate start) {
        TimeInterval parsed = (TimeInterval) PartitionInterval.parse(interval, "@RangePartitions", "interval");
        assertThat(parsed.periodStart(date)).as("%s period containing %s", interval, date).isEqualTo(start);
    }

    @Test
    void boundsPeriodsForEachTimeKind() {
        TimeInterval monthly = new TimeInterval(1, TimeUnit.MONTH);
        LocalDate march = LocalDate.of(2025, 3, 1);
        java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
        assertThat(monthly.bound(march, io.pgpartition.model.ValueKind.DATE, berlin)).as("date")
                .isEqualTo(io.pgpartition.model.RangeBound.of(march, LocalDate.of(2025, 4, 1)));
        assertThat(monthly.bound(march, io.pgpartition.model.ValueKind.TIMESTAMP, berlin)).as("timestamp at midnight")
                .isEqualTo(io.pgpartition.model.RangeBound.of(march.atStartOfDay(), LocalDate.of(2025, 4, 1).atStartOfDay()));
        assertThat(monthly.bound(march, io.pgpartition.model.ValueKind.TIMESTAMPTZ, berlin)).as("midnight in Berlin, across the DST change")
                .isEqualTo(io.pgpartition.model.RangeBound.of(java.time.Instant.parse("2025-02-28T23:00:00Z"),
                        java.time.Instant.parse("2025-03-31T22:00:00Z")));
    }

    @Test
    void stepsPeriodsForwardAndBack() {
        TimeInterval quarterly = new TimeInterval(3, TimeUnit.MONTH);
        assertThat(quarterly.plus(LocalDate.of(2024, 10, 1), 1)).as("next quarter crosses the year").isEqualTo(LocalDate.of(2025, 1, 1));
        assertThat(quarterly.plus(LocalDate.of(2024, 1, 1), -1)).as("previous quarter").isEqualTo(LocalDate.of(2023, 10, 1));
        assertThat(quarterly).as("written back as text").hasToString("3 months");
        assertThat(new NumericInterval(BigInteger.valueOf(100)).periodStart(BigInteger.valueOf(-1)))
                .as("numeric periods floor towards negative infinity").isEqualTo(BigInteger.valueOf(-100));
    }
}
