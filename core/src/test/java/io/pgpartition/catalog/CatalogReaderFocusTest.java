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
    void aPartitionedPartitionIsListedWithItsWholeTreeWhereverItIs(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE regions (id bigint, day date NOT NULL, region text NOT NULL, kind int NOT NULL) PARTITION BY RANGE (day)",
                "DO $$ BEGIN FOR p IN 0..49 LOOP EXECUTE format('CREATE TABLE regions_p%s PARTITION OF regions FOR VALUES FROM (%L) TO (%L)', "
                        + "p, date '2000-01-01' + p, date '2000-01-01' + p + 1); END LOOP; END $$",
                "CREATE TABLE regions_old PARTITION OF regions FOR VALUES FROM ('1999-01-01') TO ('2000-01-01') PARTITION BY LIST (region)",
                "CREATE TABLE regions_old_eu PARTITION OF regions_old FOR VALUES IN ('eu') PARTITION BY HASH (kind)",
                "CREATE TABLE regions_old_eu_h0 PARTITION OF regions_old_eu FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
                "CREATE TABLE regions_old_eu_h1 PARTITION OF regions_old_eu FOR VALUES WITH (MODULUS 2, REMAINDER 1)",
                "CREATE TABLE regions_old_us PARTITION OF regions_old FOR VALUES IN ('us')");
        try (Connection connection = db.connection()) {
            CatalogSnapshot snapshot = new CatalogReader().read(connection, List.of(TableName.of("regions")),
                    Map.of(TableName.of("regions"), Set.of("regions_p3")));
            PartitionedTable regions = snapshot.partitionedTable(TableName.of("regions")).orElseThrow();
            assertThat(regions.partitions()).extracting(p -> p.name().name())
                    .as("the named partition, and the partitioned one outside the focus")
                    .containsExactlyInAnyOrder("regions_p3", "regions_old");
            assertThat(regions.partitionCount()).isEqualTo(51);
            PartitionedTable old = snapshot.partitionedTable(TableName.of("public", "regions_old")).orElseThrow();
            assertThat(old.key().toString()).as("its key is read").isEqualTo("LIST (region)");
            assertThat(old.isComplete()).as("its own layout is whole").isTrue();
            assertThat(old.partitions()).extracting(p -> p.name().name()).containsExactlyInAnyOrder("regions_old_eu", "regions_old_us");
            assertThat(snapshot.partitionedTable(TableName.of("public", "regions_old_eu")).orElseThrow().partitions())
                    .as("and the level below it").extracting(p -> p.name().name())
                    .containsExactlyInAnyOrder("regions_old_eu_h0", "regions_old_eu_h1");
        } finally {
            db.execute("DROP TABLE regions");
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
