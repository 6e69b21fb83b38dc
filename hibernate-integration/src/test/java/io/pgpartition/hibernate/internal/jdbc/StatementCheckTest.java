package io.pgpartition.hibernate.internal.jdbc;

import io.pgpartition.ChildPartitionWriteException;
import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.hibernate.ChildPartitionDml;
import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guard reads each distinct statement text once and judges it again from what it kept.
 */
@PostgresTest
class StatementCheckTest {

    private static final String CHILD_INSERT = "insert into cg_sales_eu (id, region) values (1, 'eu')";
    private static final String KEY_UPDATE = "update cg_sales set region = 'us' where id = 1";
    private static final String PARENT_INSERT = "insert into cg_sales (id, region) values (1, 'eu')";

    @BeforeAll
    static void createTables(TestDatabase db) {
        db.execute("CREATE TABLE cg_sales (id bigint NOT NULL, region text NOT NULL) PARTITION BY LIST (region)",
                "CREATE TABLE cg_sales_eu PARTITION OF cg_sales FOR VALUES IN ('eu')");
    }

    private static StatementCheck guard(ChildPartitionDml mode) {
        StatementCheck guard = new StatementCheck(mode);
        guard.protectKeys(List.of(new StatementCheck.KeyColumn(TableName.of("cg_sales"), "region", "Sale", "region", io.pgpartition.model.PartitionStrategy.LIST)));
        return guard;
    }

    @Test
    void aStatementSeenBeforeIsJudgedAgainFromWhatWasKept(TestDatabase db) throws Exception {
        StatementCheck guard = guard(ChildPartitionDml.REJECT);
        try (Connection connection = db.connection()) {
            for (int run = 1; run <= 3; run++) {
                assertThatThrownBy(() -> guard.check(CHILD_INSERT, connection))
                        .as("run %d of a write to the partition", run)
                        .isInstanceOf(ChildPartitionWriteException.class)
                        .hasMessage("Statement writes to partition public.cg_sales_eu directly instead of its parent table "
                                + "public.cg_sales: " + CHILD_INSERT + ". Write to public.cg_sales and let PostgreSQL route "
                                + "the row, or set pgpartition.child_partition_dml=allow.");
                assertThatThrownBy(() -> guard.check(KEY_UPDATE, connection))
                        .as("run %d of an update that sets the key", run)
                        .isInstanceOf(PartitionKeyChangedException.class)
                        .hasMessage("Cannot run " + KEY_UPDATE + ": it sets partition key attribute 'region' (column region) "
                                + "of Sale, which would move rows between partitions. The partition key of a stored row never "
                                + "changes: delete the rows and insert new ones instead.");
                guard.check(PARENT_INSERT, connection);
            }
        }
        assertThat(guard.cachedStatements()).as("three distinct texts, each kept once").isEqualTo(3);
    }

    @Test
    void keepsABoundedNumberOfStatementsAndNoLongOnes() {
        StatementCheck guard = guard(ChildPartitionDml.ALLOW);
        for (int i = 0; i < StatementCheck.CACHED_STATEMENTS; i++) {
            guard.check("update cg_sales set id = " + i + " where id = 0", null);
        }
        assertThat(guard.cachedStatements()).as("full").isEqualTo(StatementCheck.CACHED_STATEMENTS);
        guard.check("select 1", null);
        assertThat(guard.cachedStatements()).as("one more starts afresh").isEqualTo(1);

        String longComment = "/* " + "x".repeat(StatementCheck.CACHED_LENGTH) + " */ ";
        guard.check(longComment + "select 2", null);
        assertThat(guard.cachedStatements()).as("a text over the length limit is not kept").isEqualTo(1);
        assertThatThrownBy(() -> guard.check(longComment + KEY_UPDATE, null))
                .as("but it is still read")
                .isInstanceOf(PartitionKeyChangedException.class);
    }

    /**
     * An unqualified name that some schema has a partition of is asked every time (its meaning follows the
     * search_path), so the detach is seen at once; a qualified name's answer is kept for a minute.
     */
    @Test
    void aTableAttachedOrDetachedSinceIsJudgedAsItIsNowOnceTheAnswerIsAMinuteOld(TestDatabase db) throws Exception {
        long[] now = {0};
        StatementCheck guard = new StatementCheck(ChildPartitionDml.REJECT, () -> now[0]);
        String insert = "insert into cg_sales_us (id, region) values (2, 'us')";
        try (Connection connection = db.connection()) {
            guard.check(insert, connection);
            db.execute("CREATE TABLE cg_sales_us PARTITION OF cg_sales FOR VALUES IN ('us')");
            now[0] += StatementCheck.LOOK_UP_AGAIN_AFTER_NANOS - 1;
            guard.check(insert, connection);
            now[0] += 1;
            assertThatThrownBy(() -> guard.check(insert, connection))
                    .as("a minute after the table was found missing, it is found attached")
                    .isInstanceOf(ChildPartitionWriteException.class)
                    .hasMessage("Statement writes to partition public.cg_sales_us directly instead of its parent table "
                            + "public.cg_sales: " + insert + ". Write to public.cg_sales and let PostgreSQL route the row, "
                            + "or set pgpartition.child_partition_dml=allow.");

            String qualified = "insert into public.cg_sales_us (id, region) values (3, 'us')";
            assertThatThrownBy(() -> guard.check(qualified, connection)).isInstanceOf(ChildPartitionWriteException.class);
            db.execute("ALTER TABLE cg_sales DETACH PARTITION cg_sales_us");
            guard.check(insert, connection);
            assertThatThrownBy(() -> guard.check(qualified, connection))
                    .as("within the minute, the answer kept for a qualified name")
                    .isInstanceOf(ChildPartitionWriteException.class);
            now[0] += StatementCheck.LOOK_UP_AGAIN_AFTER_NANOS;
            guard.check(qualified, connection);
        } finally {
            db.execute("DROP TABLE IF EXISTS cg_sales_us");
        }
    }

    @Test
    void anUnqualifiedNameIsJudgedUnderTheSearchPathInForce(TestDatabase db) throws Exception {
        db.execute("CREATE SCHEMA IF NOT EXISTS sp_plain", "CREATE SCHEMA IF NOT EXISTS sp_parted",
                "CREATE TABLE sp_plain.sp_x (id int)",
                "CREATE TABLE sp_parted.sp_parent (id int) PARTITION BY LIST (id)",
                "CREATE TABLE sp_parted.sp_x PARTITION OF sp_parted.sp_parent FOR VALUES IN (1)");
        StatementCheck guard = new StatementCheck(ChildPartitionDml.REJECT);
        String insert = "insert into sp_x values (1)";
        try (Connection connection = db.connection(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET search_path = sp_plain");
            guard.check(insert, connection);
            statement.execute("SET search_path = sp_parted");
            assertThatThrownBy(() -> guard.check(insert, connection))
                    .as("the same text, now naming a partition")
                    .isInstanceOf(ChildPartitionWriteException.class)
                    .hasMessageStartingWith("Statement writes to partition sp_parted.sp_x directly instead of its parent table sp_parted.sp_parent");
            statement.execute("SET search_path = sp_plain");
            guard.check(insert, connection);
        }
    }

    @Test
    void anUpdateOfATableInAnotherSchemaWithTheKeyTablesNameIsNoKeyChange(TestDatabase db) throws Exception {
        db.execute("CREATE SCHEMA IF NOT EXISTS s2", "CREATE TABLE s2.cg_sales (id int, region text)");
        StatementCheck guard = new StatementCheck(ChildPartitionDml.REJECT);
        PartitionLayouts layouts = new PartitionLayouts();
        try (Connection connection = db.connection()) {
            layouts.seed(new io.pgpartition.catalog.CatalogReader().read(connection, List.of(TableName.of("cg_sales"))),
                    List.of(TableName.of("cg_sales")));
            guard.readLayoutsFrom(layouts);
            guard.protectKeys(List.of(new StatementCheck.KeyColumn(TableName.of("cg_sales"), "region", "Sale", "region",
                    io.pgpartition.model.PartitionStrategy.LIST)));
            guard.check("update s2.cg_sales set region = 'eu'", connection);
            assertThatThrownBy(() -> guard.check("update public.cg_sales set region = 'eu'", connection))
                    .isInstanceOf(io.pgpartition.PartitionKeyChangedException.class);
            assertThatThrownBy(() -> guard.check("update cg_sales set region = 'eu'", connection))
                    .isInstanceOf(io.pgpartition.PartitionKeyChangedException.class);
        }
    }
}
