package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.annotations.Expiry;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RangePolicyBuilderTest {

    static final String RETENTION = "Invalid RangePolicy(retention = \"forever\"): expected a positive count of days, weeks, "
            + "months, quarters or years such as '1 day', '1 week', '1 month', '3 months', '1 quarter', '1 year' (or daily, weekly, "
            + "monthly, quarterly, yearly), or a positive integer step such as '100000' for a numeric key";
    static final String ZONE = "Invalid RangePolicy(zone = \"Mars/Olympus\"): expected a time zone ID such as 'UTC', "
            + "'Europe/Berlin' or 'America/New_York'";
    static final String MIXED = "Invalid RangePolicy(retention = \"100\"): expected a retention measured like the interval "
            + "(1 month): a count of days, weeks, months, quarters or years";

    @Test
    void buildsWhatTheConstructorBuildsFromTheAnnotationsDefaultsAndTheValuesGiven() {
        assertThat(RangePolicy.monthly().build()).as("the annotation's defaults")
                .isEqualTo(new RangePolicy(new TimeInterval(1, TimeUnit.MONTH), 3, Optional.empty(), Expiry.DETACH,
                        NamingPattern.parse("{table}_p{yyyy}{MM}{dd}", "test", "naming"), false, ZoneOffset.UTC));
        assertThat(RangePolicy.every("3 months").premake(2).retention("24 months").onExpiry(Expiry.ARCHIVE)
                .naming("{table}_y{yyyy}q{q}").defaultPartition(true).zone("Europe/Berlin").build()).as("every value given")
                .isEqualTo(new RangePolicy(new TimeInterval(3, TimeUnit.MONTH), 2, Optional.of(new TimeInterval(24, TimeUnit.MONTH)),
                        Expiry.ARCHIVE, NamingPattern.parse("{table}_y{yyyy}q{q}", "test", "naming"), true, ZoneId.of("Europe/Berlin")));
        assertThat(RangePolicy.daily().build().interval()).as("daily").isEqualTo(new TimeInterval(1, TimeUnit.DAY));
        assertThat(RangePolicy.yearly().build().interval()).as("yearly").isEqualTo(new TimeInterval(1, TimeUnit.YEAR));
    }

    @Test
    void aNumericIntervalIsNamedByItsLowerBoundUnlessNamedOtherwise() {
        RangePolicy steps = RangePolicy.every("100000").retention("500000").build();
        assertThat(steps.naming().format("ledger", NamingPattern.Token.VALUE, "200000")).as("default naming of a numeric interval")
                .isEqualTo("ledger_p200000");
        assertThat(steps.retention()).as("a numeric retention").contains(PartitionInterval.parse("500000", "test", "retention"));
    }

    @Test
    void eachTextIsRefusedNamingTheBuilderAttributeTheTextAndWhatItExpects() {
        assertThatThrownBy(() -> RangePolicy.every("1 fortnight")).isInstanceOf(PartitionDefinitionException.class)
                .hasMessage("Invalid RangePolicy(interval = \"1 fortnight\"): expected a positive count of days, weeks, months, "
                        + "quarters or years such as '1 day', '1 week', '1 month', '3 months', '1 quarter', '1 year' (or daily, weekly, "
                        + "monthly, quarterly, yearly), or a positive integer step such as '100000' for a numeric key");
        assertThatThrownBy(() -> RangePolicy.monthly().retention("forever")).isInstanceOf(PartitionDefinitionException.class)
                .hasMessage(RETENTION);
        assertThatThrownBy(() -> RangePolicy.monthly().zone("Mars/Olympus")).isInstanceOf(PartitionDefinitionException.class)
                .hasMessage(ZONE);
        assertThatThrownBy(() -> RangePolicy.monthly().retention("100").build()).isInstanceOf(PartitionDefinitionException.class)
                .hasMessage(MIXED);
    }
}
