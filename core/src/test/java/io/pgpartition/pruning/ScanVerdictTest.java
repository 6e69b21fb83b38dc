package io.pgpartition.pruning;

import io.pgpartition.model.TableName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which tables a statement is unpruned on, and how its report reads. */
class ScanVerdictTest {

    private static TableScan scan(String table, int touched, int total) {
        List<TableName> partitions = java.util.stream.IntStream.range(0, touched).mapToObj(i -> TableName.of("public", table + "_p" + i)).toList();
        return new TableScan(TableName.of("public", table), "RANGE (created_at)", partitions, total);
    }

    @Test
    void everyPartitionOfATableWithMoreThanOneIsUnpruned() {
        assertThat(scan("t", 7, 7).everyPartition()).isTrue();
        assertThat(scan("t", 6, 7).everyPartition()).isFalse();
        assertThat(scan("t", 1, 1).everyPartition()).as("the only partition").isFalse();
        assertThat(scan("t", 0, 0).everyPartition()).isFalse();
    }

    @Test
    void moreThanOnePartitionIsUnprunedOnlyWhereTheShapeSaysOneRow() {
        StatementScan statement = new StatementScan("select", List.of(scan("a", 2, 4), scan("b", 1, 4), scan("c", 4, 4)));
        assertThat(statement.unpruned(false)).extracting(t -> t.table().name()).containsExactly("c");
        assertThat(statement.unpruned(true)).extracting(t -> t.table().name()).containsExactly("a", "c");
    }

    @Test
    void theKeyColumnsAreReadFromTheKeysText() {
        assertThat(new TableScan(TableName.of("t"), "RANGE (created_at)", List.of(), 3).keyColumns()).isEqualTo("created_at");
        assertThat(new TableScan(TableName.of("t"), "LIST (lower(region), kind)", List.of(), 3).keyColumns()).isEqualTo("lower(region), kind");
        assertThat(new TableScan(TableName.of("t"), "odd", List.of(), 3).keyColumns()).isEqualTo("odd");
        assertThat(new TableScan(TableName.of("t"), ")(", List.of(), 3).keyColumns()).isEqualTo(")(");
        assertThat(new TableScan(TableName.of("t"), "(a)", List.of(), 3).keyColumns()).isEqualTo("a");
    }

    @Test
    void theReportSaysAllOrHowManyOfTheTotal() {
        UnprunedStatement all = new UnprunedStatement("select 1", List.of(scan("a", 3, 3), scan("b", 2, 5)), "query", "com.acme.A.b(A.java:1)", "do it.");
        assertThat(all.message()).isEqualTo("Unpruned statement: query can touch all 3 partitions of public.a (partition key RANGE "
                + "(created_at)), 2 of 5 partitions of public.b (partition key RANGE (created_at)), run at com.acme.A.b(A.java:1): "
                + "select 1. Fix: do it.");
        assertThat(new UnprunedStatement("select 2", List.of(scan("a", 3, 3)), "statement", "", "x.").toString())
                .isEqualTo("Unpruned statement: statement can touch all 3 partitions of public.a (partition key RANGE (created_at)): "
                        + "select 2. Fix: x.");
    }

    @Test
    void onCitusMoreThanOneShardIsUnprunedWhereTheShapeSaysOneRow() {
        TableScan oneShard = new TableScan(TableName.of("public", "events"), "RANGE (created_at)", List.of(TableName.of("public", "events_p1")), 3, 1, 32);
        TableScan everyShard = new TableScan(TableName.of("public", "events"), "RANGE (created_at)", List.of(TableName.of("public", "events_p1")), 3, 32, 32);
        assertThat(oneShard.severalShards()).isFalse();
        assertThat(everyShard.severalShards()).isTrue();
        assertThat(new StatementScan("select", List.of(oneShard)).unpruned(true)).isEmpty();
        assertThat(new StatementScan("select", List.of(everyShard)).unpruned(true)).containsExactly(everyShard);
        assertThat(new StatementScan("select", List.of(everyShard)).unpruned(false)).as("a query may read every tenant").isEmpty();
        assertThat(everyShard.describe()).isEqualTo("1 of 3 partitions of public.events (partition key RANGE (created_at)), on 32 of 32 shards");
        assertThat(scan("t", 2, 3).describe()).as("no shards where Citus does not distribute")
                .isEqualTo("2 of 3 partitions of public.t (partition key RANGE (created_at))");
    }
}
