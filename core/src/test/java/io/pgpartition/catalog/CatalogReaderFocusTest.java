package io.pgpartition.catalog;

import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.support.CountingConnection;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading a few named partitions of large tables: a partial layout that says so.
 */
@PostgresTest
class CatalogReaderFocusTest {

    @BeforeAll
    static void createTables(TestDatabase db) {
        db.execute("CREATE TABLE days (id bigint, day date NOT NULL) PARTITION BY RANGE (day)",
                "DO $$ BEGIN FOR p IN 0..299 LOOP EXECUTE format('CREATE TABLE days_p%s PARTITION OF days FOR VALUES FROM (%L) TO (%L)', "
                        + "p, date '2000-01-01' + p, date '2000-01-01' + p + 1); END LOOP; END $$",
                "CREATE TABLE days_default PARTITION OF days DEFAULT",
                "CREATE TABLE other (id bigint, day date NOT NULL) PARTITION BY RANGE (day)",
                "CREATE TABLE other_p0 PARTITION OF other FOR VALUES FROM ('2000-01-01') TO ('2000-01-02')");
    }

    @Test
    void listsOnlyTheNamedPartitionsAndTheDefaultButCountsThemAll(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            CatalogSnapshot snapshot = new CatalogReader().read(connection, List.of(TableName.of("days"), TableName.of("other")),
                    Map.of(TableName.of("days"), Set.of("days_p7", "days_p9999")));
            PartitionedTable days = snapshot.partitionedTable(TableName.of("days")).orElseThrow();
            assertThat(days.partitions())
                    .as("the named partition that exists and the default; a name that does not exist is simply absent")
                    .containsExactlyInAnyOrder(
                            Partition.of(TableName.of("public", "days_p7"), RangeBound.of(LocalDate.of(2000, 1, 8), LocalDate.of(2000, 1, 9))),
                            Partition.of(TableName.of("public", "days_default"), DefaultBound.INSTANCE));
            assertThat(days.partitionCount()).as("every partition is counted").isEqualTo(301);
            assertThat(days.isComplete()).as("the layout says it is partial").isFalse();
            assertThat(snapshot.partitionedTable(TableName.of("other")).orElseThrow().isComplete())
                    .as("a table outside the focus is read whole").isTrue();
            assertThat(days.partitionFor(LocalDate.of(2000, 1, 8)).map(p -> p.name().name()))
                    .as("a listed partition answers").contains("days_p7");
            assertThatThrownBy(days::gaps)
                    .as("questions about every partition are refused on a partial layout")
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Finding gaps needs every partition of public.days, but this layout lists 2 of 301; read the table without a focus");
        }
    }

    @Test
    void aFocusedReadCostsTwoStatementsMoreAndNothingPerPartition(TestDatabase db) throws SQLException {
        try (Connection raw = db.connection()) {
            CountingConnection counting = new CountingConnection(raw);
            CatalogReader reader = new CatalogReader();
            reader.read(counting.connection(), List.of());
            counting.reset();
            reader.read(counting.connection(), List.of(TableName.of("days")), Map.of(TableName.of("days"), Set.of("days_p1")));
            assertThat(counting.executions()).as("6 statements of a read, plus the focused partitions and the counts").isEqualTo(8);
        }
    }
}
