package io.pgpartition.catalog;

import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sessions maintenance names when it gives up on a lock: those whose transaction holds a lock on the table or a
 * partition and is older than both the lock timeout and the run's attempts.
 */
@PostgresTest
class LockHoldersTest {

    @Test
    void namesOnlyTransactionsOlderThanTheLockTimeoutAndTheRun(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE held (id bigint, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE held_p0 PARTITION OF held FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')",
                "CREATE TABLE unrelated (id bigint)");
        try (Connection holder = db.connection(); Connection other = db.connection(); Connection asking = db.connection()) {
            int pid = pid(holder);
            holder.setAutoCommit(false);
            execute(holder, "SELECT count(*) FROM held_p0");
            other.setAutoCommit(false);
            execute(other, "SELECT count(*) FROM unrelated");
            Thread.sleep(600);
            execute(asking, "SET lock_timeout = '100ms'");
            assertThat(Catalog.lockHolders(asking, TableName.of("held"), Duration.ofMillis(100)))
                    .as("a transaction holding a partition for longer than the run waited, and only that one")
                    .singleElement()
                    .satisfies(h -> {
                        assertThat(h.pid()).isEqualTo(pid);
                        assertThat(h.state()).isEqualTo("idle in transaction");
                        assertThat(h.query()).isEqualTo("SELECT count(*) FROM held_p0");
                    });
            assertThat(Catalog.lockHolders(asking, TableName.of("held"), Duration.ofSeconds(30)))
                    .as("a transaction younger than the run's first attempt (a writer queued behind the run) is no blocker")
                    .isEmpty();
            execute(asking, "SET lock_timeout = '30s'");
            assertThat(Catalog.lockHolders(asking, TableName.of("held"), Duration.ZERO))
                    .as("a transaction younger than the lock timeout is no blocker")
                    .isEmpty();
            holder.rollback();
            other.rollback();
        }
    }

    private static int pid(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
