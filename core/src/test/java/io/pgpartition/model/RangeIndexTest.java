package io.pgpartition.model;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binary-search index of single-column RANGE layouts, with the partition of the last key tried first: every
 * answer must be what {@link PartitionedTable#route(List)} gives, whatever key came before.
 */
class RangeIndexTest {

    private static final ColumnType DATE = ColumnType.of("date", ValueKind.DATE);
    private static final TableName CLAIMS = TableName.of("public", "claim_line_items");

    private static PartitionedTable table(Partition... partitions) {
        return new PartitionedTable(CLAIMS, PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("service_date", DATE)),
                List.of(partitions));
    }

    private static Partition range(String name, RangeValue from, RangeValue to) {
        return Partition.of(CLAIMS.sibling(name), RangeBound.of(from, to));
    }

    private static Partition month(int year, int month) {
        LocalDate start = LocalDate.of(year, month, 1);
        return range(String.format("m%d_%02d", year, month), RangeValue.of(start), RangeValue.of(start.plusMonths(1)));
    }

    private static String routed(RangeIndex index, LocalDate day) {
        return index.partitionFor(day).map(p -> p.name().name()).orElse("none");
    }

    @Test
    void aKeyAfterAnotherIsRoutedByItsOwnValueAtEveryBound() {
        RangeIndex index = RangeIndex.of(table(month(2024, 3), month(2024, 4), month(2024, 6))).orElseThrow();
        List<String> answers = new ArrayList<>();
        for (LocalDate day : List.of(LocalDate.of(2024, 4, 10), LocalDate.of(2024, 4, 1), LocalDate.of(2024, 4, 30),
                LocalDate.of(2024, 5, 1), LocalDate.of(2024, 4, 30), LocalDate.of(2024, 3, 31), LocalDate.of(2024, 4, 1),
                LocalDate.of(2024, 6, 30), LocalDate.of(2024, 7, 1), LocalDate.of(2024, 6, 1), LocalDate.of(2024, 2, 29),
                LocalDate.of(2024, 3, 1))) {
            answers.add(day + " " + routed(index, day));
        }
        assertThat(answers).as("each key after the one before it: lower bounds inclusive, upper bounds exclusive, the gap of May "
                        + "and the ends outside").containsExactly("2024-04-10 m2024_04", "2024-04-01 m2024_04", "2024-04-30 m2024_04",
                "2024-05-01 none", "2024-04-30 m2024_04", "2024-03-31 m2024_03", "2024-04-01 m2024_04", "2024-06-30 m2024_06",
                "2024-07-01 none", "2024-06-01 m2024_06", "2024-02-29 none", "2024-03-01 m2024_03");
    }

    @Test
    void remembersThePartitionOfTheLastKeyThatFoundOne() {
        RangeIndex index = RangeIndex.of(table(month(2024, 3), month(2024, 4), month(2024, 6))).orElseThrow();
        assertThat(index.lastHit()).as("before any key").isZero();
        index.route(LocalDate.of(2024, 6, 2));
        assertThat(index.lastHit()).as("after a key of June").isEqualTo(2);
        index.route(LocalDate.of(2024, 5, 2));
        assertThat(index.lastHit()).as("a key of the gap leaves it").isEqualTo(2);
        index.route(LocalDate.of(2024, 4, 2));
        assertThat(index.lastHit()).as("after a key of April").isEqualTo(1);
        index.route(LocalDate.of(2024, 4, 20));
        assertThat(index.lastHit()).as("another key of April").isEqualTo(1);
        assertThat(index.searches()).as("searches so far: June, the gap, April").isEqualTo(3);
        assertThat(index.route(LocalDate.of(2024, 4, 1))).as("April's lower bound").isEqualTo(new KeyRoute.Routed(month(2024, 4)));
        assertThat(index.route(LocalDate.of(2024, 4, 30))).as("April's last day").isEqualTo(new KeyRoute.Routed(month(2024, 4)));
        assertThat(index.searches()).as("both answered by the last hit, without a search").isEqualTo(3);
        assertThat(index.route(LocalDate.of(2024, 5, 1))).as("April's upper bound").isEqualTo(new KeyRoute.NoPartition());
        assertThat(index.searches()).as("April's upper bound is not April's: searched").isEqualTo(4);
    }

    @Test
    void valuesOnlyTheServerCanPlaceAreLeftToIt() {
        PartitionedTable table = table(month(2024, 4));
        RangeIndex index = RangeIndex.of(table).orElseThrow();
        assertThat(index.table()).as("the indexed table").isSameAs(table);
        assertThat(index.route(java.sql.Date.valueOf("2024-04-15"))).as("a java.sql.Date goes through the driver's time zone")
                .isEqualTo(new KeyRoute.AskServer("a java.sql.Date reaches date through a time zone of the driver's"));
        assertThat(index.searches()).as("no search for it").isZero();
    }

    @Test
    void unboundedEndsAndTheDefaultPartition() {
        Partition early = range("early", RangeValue.MINVALUE, RangeValue.of(LocalDate.of(2024, 1, 1)));
        Partition late = range("late", RangeValue.of(LocalDate.of(2025, 1, 1)), RangeValue.MAXVALUE);
        Partition fallback = Partition.of(CLAIMS.sibling("rest"), DefaultBound.INSTANCE);
        RangeIndex index = RangeIndex.of(table(early, late, fallback)).orElseThrow();
        List<String> answers = new ArrayList<>();
        for (LocalDate day : List.of(LocalDate.of(1900, 1, 1), LocalDate.of(2023, 12, 31), LocalDate.of(2024, 1, 1),
                LocalDate.of(2024, 12, 31), LocalDate.of(2025, 1, 1), LocalDate.of(9999, 12, 31), LocalDate.of(2023, 12, 31),
                LocalDate.of(2024, 6, 1))) {
            answers.add(day + " " + routed(index, day));
        }
        assertThat(answers).as("MINVALUE below every key, MAXVALUE above, the rest in the default")
                .containsExactly("1900-01-01 early", "2023-12-31 early", "2024-01-01 rest", "2024-12-31 rest", "2025-01-01 late",
                        "9999-12-31 late", "2023-12-31 early", "2024-06-01 rest");
        assertThat(index.route(null)).as("NULL goes to the default").isEqualTo(new KeyRoute.Routed(fallback));
        assertThat(RangeIndex.of(table(early)).orElseThrow().route(null)).as("NULL without a default")
                .isEqualTo(new KeyRoute.NoPartition());
    }

    @Test
    void agreesWithTheTableOverManyPartitionsInAnyOrder() {
        List<Partition> months = new ArrayList<>();
        for (int m = 0; m < 120; m++) {
            if (m != 37) {
                months.add(month(2017 + m / 12, m % 12 + 1));
            }
        }
        PartitionedTable table = table(months.toArray(Partition[]::new));
        RangeIndex index = RangeIndex.of(table).orElseThrow();
        java.util.Random random = new java.util.Random(7);
        LocalDate first = LocalDate.of(2016, 12, 1);
        for (int i = 0; i < 3000; i++) {
            LocalDate day = i % 3 == 0 ? first.plusDays(random.nextInt(10 * 366 + 62)) : first.plusDays(i);
            Optional<Partition> expected = table.partitionFor(day);
            assertThat(index.partitionFor(day)).as("%s (key %d)", day, i).isEqualTo(expected);
        }
    }

    @Test
    void anEmptyLayoutRoutesNothing() {
        RangeIndex index = RangeIndex.of(table()).orElseThrow();
        assertThat(index.route(LocalDate.of(2024, 1, 1))).as("no partition").isEqualTo(new KeyRoute.NoPartition());
        Partition fallback = Partition.of(CLAIMS.sibling("rest"), DefaultBound.INSTANCE);
        assertThat(RangeIndex.of(table(fallback)).orElseThrow().route(LocalDate.of(2024, 1, 1)))
                .as("only a default").isEqualTo(new KeyRoute.Routed(fallback));
    }
}
