package io.pgpartition.model;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionedTableTest {

    private static final ColumnType DATE = ColumnType.of("date", ValueKind.DATE);
    private static final ColumnType TEXT = ColumnType.of("text", ValueKind.TEXT);
    private static final TableName CLAIMS = TableName.of("public", "claim_line_items");

    private static PartitionedTable monthly(Partition... partitions) {
        return new PartitionedTable(CLAIMS, PartitionKey.of(PartitionStrategy.RANGE, KeyPart.column("service_date", DATE)),
                List.of(partitions));
    }

    private static Partition month(int year, int month) {
        LocalDate start = LocalDate.of(year, month, 1);
        return Partition.of(CLAIMS.sibling(String.format("claim_line_items_y%dm%02d", year, month)),
                RangeBound.of(start, start.plusMonths(1)));
    }

    @Test
    void routesToTheRangeHoldingTheValueLowerInclusiveUpperExclusive() {
        PartitionedTable table = monthly(month(2024, 4), month(2024, 5));
        assertThat(table.partitionFor(LocalDate.of(2024, 4, 1)).map(p -> p.name().name()))
                .as("the lower bound is inclusive").contains("claim_line_items_y2024m04");
        assertThat(table.partitionFor(LocalDate.of(2024, 4, 30)).map(p -> p.name().name()))
                .as("the last day of April").contains("claim_line_items_y2024m04");
        assertThat(table.partitionFor(LocalDate.of(2024, 5, 1)).map(p -> p.name().name()))
                .as("the upper bound is exclusive").contains("claim_line_items_y2024m05");
        assertThat(table.partitionFor(LocalDate.of(2024, 6, 1))).as("beyond the last partition").isEmpty();
        assertThat(table.partitionFor((Object) null)).as("NULL never fits a range partition").isEmpty();
        assertThat(table.accepts(LocalDate.of(2024, 6, 1))).as("accepts agrees").isFalse();
    }

    @Test
    void fallsBackToTheDefaultPartition() {
        Partition fallback = Partition.of(CLAIMS.sibling("claim_line_items_default"), DefaultBound.INSTANCE);
        PartitionedTable table = monthly(month(2024, 4), fallback);
        assertThat(table.partitionFor(LocalDate.of(2030, 1, 1))).as("unmatched values go to the default").contains(fallback);
        assertThat(table.partitionFor((Object) null)).as("so does NULL").contains(fallback);
    }

    @Test
    void coercesApplicationValues() {
        PartitionedTable table = monthly(month(2024, 4));
        assertThat(table.partitionFor(LocalDate.of(2024, 4, 15))).as("LocalDate fits a date key").isPresent();
        assertThat(table.route(List.of(java.sql.Date.valueOf("2024-04-15"))))
                .as("a java.sql.Date reaches the server through the driver's time zone: the server is asked")
                .isEqualTo(new KeyRoute.AskServer("a java.sql.Date reaches date through a time zone of the driver's"));
        assertThatThrownBy(() -> table.partitionFor("2024-04-15"))
                .as("a String does not silently fit a date key")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Value 2024-04-15 (java.lang.String) does not fit partition key type date");
    }

    @Test
    void findsGapsBetweenRangesAndNoneAtTheOpenEnds() {
        PartitionedTable table = monthly(month(2024, 7), month(2024, 4), month(2024, 5));
        assertThat(table.gaps())
                .as("June is missing between May and July; nothing is reported before April or after July")
                .containsExactly(new RangeGap(List.of(RangeValue.of(LocalDate.of(2024, 6, 1))), List.of(RangeValue.of(LocalDate.of(2024, 7, 1))),
                        CLAIMS.sibling("claim_line_items_y2024m05"), CLAIMS.sibling("claim_line_items_y2024m07")));
        assertThat(monthly(month(2024, 4), month(2024, 5)).gaps()).as("contiguous partitions have no gap").isEmpty();
    }

    @Test
    void findsOverlapsInPlannedLayouts() {
        Partition quarter = Partition.of(CLAIMS.sibling("q2"), RangeBound.of(LocalDate.of(2024, 4, 1), LocalDate.of(2024, 7, 1)));
        Partition may = month(2024, 5);
        Partition august = month(2024, 8);
        PartitionedTable table = monthly(quarter, may, august);
        assertThat(table.overlaps()).as("May lies inside the second quarter; August overlaps nothing")
                .containsExactly(new RangeOverlap(quarter, may));
        assertThat(table.gaps()).as("the gap after the quarter is measured from its end, not from May's")
                .extracting(g -> g.from().get(0).value()).containsExactly(LocalDate.of(2024, 7, 1));
    }

    @Test
    void coverageHorizonFollowsContiguousPartitionsOnly() {
        PartitionedTable table = monthly(month(2024, 4), month(2024, 5), month(2024, 6), month(2024, 8));
        assertThat(table.coveredUntil(LocalDate.of(2024, 4, 10)))
                .as("from April, contiguous coverage ends where July is missing")
                .contains(RangeValue.of(LocalDate.of(2024, 7, 1)));
        assertThat(table.coveredUntil(LocalDate.of(2024, 8, 2))).as("from August, to September")
                .contains(RangeValue.of(LocalDate.of(2024, 9, 1)));
        assertThat(table.coveredUntil(LocalDate.of(2024, 7, 2))).as("July itself is not covered").isEmpty();
    }

    @Test
    void coverageReachesMaxvalue() {
        PartitionedTable table = monthly(month(2024, 4),
                Partition.of(CLAIMS.sibling("rest"), RangeBound.of(RangeValue.of(LocalDate.of(2024, 5, 1)), RangeValue.MAXVALUE)));
        assertThat(table.coveredUntil(LocalDate.of(2024, 4, 1))).as("an unbounded partition covers everything after")
                .contains(RangeValue.MAXVALUE);
    }

    @Test
    void nearestPartitionsOfAnUncoveredKey() {
        PartitionedTable table = monthly(month(2024, 4), month(2024, 5), month(2024, 8));
        assertThat(table.nearestPartitions(List.of(LocalDate.of(2024, 6, 15)), 2)).extracting(p -> p.name().name())
                .as("the partition before the gap and the one after it")
                .containsExactly("claim_line_items_y2024m05", "claim_line_items_y2024m08");
        assertThat(table.nearestPartitions(List.of(LocalDate.of(2030, 1, 1)), 2)).extracting(p -> p.name().name())
                .as("beyond the last partition: the last one").containsExactly("claim_line_items_y2024m08");
        assertThat(table.nearestPartitions(List.of(LocalDate.of(2000, 1, 1)), 2)).extracting(p -> p.name().name())
                .as("before the first partition: the first one").containsExactly("claim_line_items_y2024m04");
    }

    @Test
    void rangeIndexAnswersLikeALinearScan() {
        java.util.List<Partition> partitions = new java.util.ArrayList<>();
        for (int m = 0; m < 120; m++) {
            if (m != 60) {
                LocalDate start = LocalDate.of(2017, 1, 1).plusMonths(m);
                partitions.add(Partition.of(CLAIMS.sibling("p" + m), RangeBound.of(start, start.plusMonths(1))));
            }
        }
        PartitionedTable table = monthly(partitions.toArray(Partition[]::new));
        RangeIndex index = RangeIndex.of(table).orElseThrow();
        for (LocalDate day = LocalDate.of(2016, 12, 1); day.isBefore(LocalDate.of(2027, 2, 1)); day = day.plusDays(3)) {
            assertThat(index.partitionFor(day)).as("%s", day).isEqualTo(table.partitionFor(day));
        }
        assertThat(index.partitionFor(LocalDate.of(2022, 1, 15))).as("the missing month").isEmpty();
        Partition fallback = Partition.of(CLAIMS.sibling("d"), DefaultBound.INSTANCE);
        assertThat(RangeIndex.of(monthly(month(2024, 4), fallback)).orElseThrow().partitionFor(LocalDate.of(1999, 1, 1)))
                .as("the default catches the rest").contains(fallback);
        assertThat(RangeIndex.of(new PartitionedTable(CLAIMS, table.key(), List.of(month(2024, 4)), 5)))
                .as("no index of a partial layout").isEmpty();
    }

    @Test
    void listRoutingIncludingNull() {
        TableName items = TableName.of("public", "content_items_all");
        PartitionedTable table = new PartitionedTable(items, PartitionKey.of(PartitionStrategy.LIST, KeyPart.column("source_type", TEXT)),
                List.of(Partition.of(items.sibling("content_items"), ListBound.of("items")),
                        Partition.of(items.sibling("content_items_auto"), ListBound.of("auto")),
                        Partition.of(items.sibling("content_items_null"), ListBound.of((Object) null))));
        assertThat(table.partitionFor("auto").map(p -> p.name().name())).as("auto").contains("content_items_auto");
        assertThat(table.partitionFor("items").map(p -> p.name().name())).as("items").contains("content_items");
        assertThat(table.partitionFor((Object) null).map(p -> p.name().name())).as("NULL").contains("content_items_null");
        assertThat(table.partitionFor("manual")).as("a value no partition lists").isEmpty();
    }

    @Test
    void hashCompletenessAcrossMixedModuli() {
        TableName sessions = TableName.of("public", "chat_sessions");
        PartitionKey key = PartitionKey.of(PartitionStrategy.HASH, KeyPart.column("user_id", ColumnType.of("uuid", ValueKind.UUID)));
        PartitionedTable partial = new PartitionedTable(sessions, key, List.of(
                Partition.of(sessions.sibling("h0"), new HashBound(2, 0)),
                Partition.of(sessions.sibling("h1"), new HashBound(4, 1))));
        assertThat(partial.missingRemainders()).as("modulus 2 remainder 0 covers 0 and 2 of 4; 1 is there; 3 is missing")
                .containsExactly(new HashBound(4, 3));
        assertThat(partial.accepts(List.of(UUID.randomUUID()))).as("an incomplete hash table may reject a key").isFalse();
        PartitionedTable byAmount = new PartitionedTable(sessions,
                PartitionKey.of(PartitionStrategy.HASH, KeyPart.column("amount", ColumnType.of("numeric", ValueKind.NUMERIC))),
                List.of(Partition.of(sessions.sibling("h0"), new HashBound(1, 0))));
        assertThatThrownBy(() -> byAmount.partitionFor(java.math.BigDecimal.ONE))
                .as("a numeric hash key is not computed here, and the error says what to do")
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot compute which partition of public.chat_sessions holds [1]: the hash of key part amount "
                        + "(type numeric) is not computed here. Ask the server instead: tableoid::regclass of the stored row.");
        assertThat(byAmount.accepts(List.of(java.math.BigDecimal.ONE))).as("accepts still answers").isTrue();
        PartitionedTable complete = new PartitionedTable(sessions, key, List.of(
                Partition.of(sessions.sibling("h0"), new HashBound(2, 0)),
                Partition.of(sessions.sibling("h1"), new HashBound(4, 1)),
                Partition.of(sessions.sibling("h3"), new HashBound(4, 3))));
        assertThat(complete.missingRemainders()).as("complete").isEmpty();
        assertThat(complete.accepts(List.of(UUID.randomUUID()))).as("a complete hash table accepts any key").isTrue();
    }

    @Test
    void uuidsOrderUnsignedLikePostgres() {
        ColumnType uuid = ColumnType.of("uuid", ValueKind.UUID);
        UUID low = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID high = UUID.fromString("ffffffff-0000-0000-0000-000000000000");
        assertThat(uuid.compare(low, high)).as("ffff... sorts after 0000... (Java's UUID.compareTo says otherwise)").isNegative();
    }

    @Test
    void textOrdersByCodePointAndEnumsByDeclaredOrder() {
        ColumnType text = ColumnType.of("text", ValueKind.TEXT);
        assertThat(text.compare("\uFFFF", "\uD83D\uDE00")).as("a supplementary character sorts after U+FFFF").isNegative();
        ColumnType mood = ColumnType.enumType("mood", List.of("sad", "ok", "happy"));
        assertThat(mood.compare("sad", "happy")).as("declared order, not alphabetical").isNegative();
        assertThatThrownBy(() -> mood.coerce("angry"))
                .as("an unknown label is refused")
                .hasMessage("'angry' is not a label of enum type mood; its labels are [sad, ok, happy]");
    }

    @Test
    void refusesBoundsThatDoNotFitTheKey() {
        assertThatThrownBy(() -> monthly(Partition.of(CLAIMS.sibling("x"), ListBound.of("a"))))
                .as("a list bound on a range table")
                .hasMessage("Partition public.x of public.claim_line_items has bound IN [a], which does not fit key RANGE (service_date)");
        assertThatThrownBy(() -> monthly(Partition.of(CLAIMS.sibling("d1"), DefaultBound.INSTANCE),
                Partition.of(CLAIMS.sibling("d2"), DefaultBound.INSTANCE)))
                .as("two defaults")
                .hasMessage("Table public.claim_line_items has 2 default partitions; at most one is possible");
        assertThatThrownBy(() -> monthly(month(2024, 1)).partitionFor(Arrays.asList(LocalDate.now(), 1)))
                .as("a key with the wrong number of values")
                .hasMessage("Table public.claim_line_items is partitioned by RANGE (service_date): a key has 1 value(s), got 2");
    }
}
