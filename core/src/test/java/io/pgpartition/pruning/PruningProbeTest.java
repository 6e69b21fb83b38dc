package io.pgpartition.pruning;

import io.pgpartition.model.TableName;
import io.pgpartition.pruning.internal.RecordedParameters;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The probe on tables as people have them: schemas with partitions of the same name, 63-byte and quoted names, enum and
 * domain keys, sub-partitions, views with options, row-level security forced on a role that is not the owner, plain
 * inheritance; inside a transaction it leaves no lock and no failure behind.
 */
@PostgresTest
class PruningProbeTest {

    private static final String LONG = "p".repeat(60) + "_ab";

    @BeforeAll
    static void tables(TestDatabase db) {
        db.execute("CREATE SCHEMA app", "CREATE SCHEMA other",
                "CREATE TYPE app.source AS ENUM ('auto', 'manual', 'feed')",
                "CREATE DOMAIN app.day AS date CHECK (VALUE > '2000-01-01')",
                "CREATE TABLE app.events (id bigint NOT NULL, day app.day NOT NULL, source app.source NOT NULL, note text) PARTITION BY RANGE (day)",
                "CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (source)",
                "CREATE TABLE app.events_2025_auto PARTITION OF app.events_2025 FOR VALUES IN ('auto')",
                "CREATE TABLE app.events_2025_rest PARTITION OF app.events_2025 DEFAULT",
                "CREATE TABLE app.events_2026 PARTITION OF app.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE TABLE other.events (id bigint, day date) PARTITION BY RANGE (day)",
                "CREATE TABLE other.events_2026 PARTITION OF other.events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE TABLE other.events_2025 PARTITION OF other.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE \"Odd \"\"Name\" (k int NOT NULL, v text) PARTITION BY LIST (k)",
                "CREATE TABLE \"" + LONG + "\" PARTITION OF \"Odd \"\"Name\" FOR VALUES IN (1)",
                "CREATE TABLE \"Odd two\" PARTITION OF \"Odd \"\"Name\" FOR VALUES IN (2)",
                "CREATE VIEW app.recent WITH (security_barrier = true) AS SELECT id, day FROM app.events WHERE note IS DISTINCT FROM 'x'",
                "CREATE TABLE app.legacy (id bigint, day date)",
                "CREATE TABLE app.legacy_child () INHERITS (app.legacy)",
                "CREATE ROLE probe_reader LOGIN PASSWORD 'reader'",
                "GRANT USAGE ON SCHEMA app TO probe_reader",
                "GRANT SELECT (id, day, source) ON app.events TO probe_reader",
                "ALTER TABLE app.events ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE app.events FORCE ROW LEVEL SECURITY",
                "CREATE POLICY recent_only ON app.events FOR SELECT USING (day >= '2026-01-01')");
    }

    private static List<String> touched(StatementScan scan) {
        return scan.tables().stream().map(t -> t.table() + " " + t.partitions().stream().map(TableName::toString).toList() + " of " + t.total()).toList();
    }

    @Test
    void partitionsOfTheSameNameInTwoSchemasAreToldApart(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            StatementScan scan = PruningProbe.explain(connection, "SELECT a.id FROM app.events a JOIN other.events o ON o.id = a.id "
                    + "WHERE a.day >= ? AND o.day >= ?", List.of(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 1)));
            assertThat(touched(scan)).containsExactlyInAnyOrder("app.events [app.events_2026] of 3", "other.events [other.events_2026] of 2");
        }
    }

    @Test
    void subPartitionsCountAsTheTablesPartitionsAndTheKeyIsPrintedAsPostgreSqlHasIt(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            StatementScan scan = PruningProbe.explain(connection, "SELECT note FROM app.events WHERE day = ?::app.day", List.of("2025-06-01"));
            assertThat(touched(scan)).containsExactly("app.events [app.events_2025_auto, app.events_2025_rest] of 3");
            assertThat(scan.tables().get(0).partitionKey()).isEqualTo("RANGE (day)");
            assertThat(scan.unpruned(false)).as("two of three, no single-row shape").isEmpty();
            assertThat(scan.unpruned(true)).as("two of three where one row is loaded").hasSize(1);
            StatementScan bySource = PruningProbe.explain(connection, "SELECT id FROM app.events WHERE source = 'auto'::app.source", List.of());
            assertThat(touched(bySource)).as("an enum key of the second level").containsExactly(
                    "app.events [app.events_2025_auto, app.events_2026] of 3");
        }
    }

    @Test
    void quotedAndLongNamesComeBackAsTheyAre(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            StatementScan scan = PruningProbe.explain(connection, "SELECT v FROM \"Odd \"\"Name\" WHERE v = ?", List.of("x"));
            assertThat(scan.tables()).singleElement().satisfies(table -> {
                assertThat(table.table()).isEqualTo(TableName.of("public", "Odd \"Name"));
                assertThat(table.partitions()).containsExactly(TableName.of("public", LONG), TableName.of("public", "Odd two"));
                assertThat(table.everyPartition()).isTrue();
            });
        }
    }

    @Test
    void aViewWithOptionsIsSeenThroughAndPlainInheritanceIsNoPartitioning(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            assertThat(touched(PruningProbe.explain(connection, "SELECT id FROM app.recent WHERE id = 1", List.of())))
                    .as("the view reads every partition: the test's superuser bypasses even forced row-level security")
                    .containsExactly("app.events [app.events_2025_auto, app.events_2025_rest, app.events_2026] of 3");
            assertThat(PruningProbe.explain(connection, "SELECT * FROM app.legacy", List.of()).tables())
                    .as("inheritance children are not partitions").isEmpty();
            assertThat(PruningProbe.explain(connection, "INSERT INTO app.events VALUES (1, '2026-02-01', 'auto')", List.of()).tables())
                    .as("an INSERT reads no partition").isEmpty();
        }
    }

    @Test
    void aRoleThatIsNotTheOwnerSeesWhatItsPoliciesAndColumnGrantsLeave(TestDatabase db) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", "probe_reader");
        login.setProperty("password", "reader");
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl().replaceAll("[?&]user=[^&]*|[?&]password=[^&]*", ""), login)) {
            assertThat(touched(PruningProbe.explain(connection, "SELECT id FROM app.events WHERE id = ?", List.of(5L))))
                    .as("the policy's key range prunes 2025 away").containsExactly("app.events [app.events_2026] of 3");
            assertThatThrownBy(() -> PruningProbe.explain(connection, "SELECT note FROM app.events", List.of()))
                    .as("a column the role may not read fails the EXPLAIN as it would fail the statement")
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
    }

    @Test
    void insideATransactionTheProbeLeavesNoLockAndNoFailure(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            connection.setAutoCommit(false);
            PruningProbe.explain(connection, "SELECT id FROM other.events WHERE day = ?", List.of(LocalDate.of(2025, 2, 1)));
            assertThatThrownBy(() -> PruningProbe.explain(connection, "SELECT nope FROM other.events", List.of()))
                    .isInstanceOf(SQLException.class);
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                         + "WHERE l.pid = pg_backend_pid() AND c.relname LIKE 'events%'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the planner's locks went with the savepoint; the transaction goes on").isZero();
            }
            connection.rollback();
        }
    }

    @Test
    void recordedParametersAreSetAgainAsTheyWereSetStreamsAsNull(TestDatabase db) throws Exception {
        RecordedParameters recorded = new RecordedParameters();
        PreparedStatement recorder = (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{PreparedStatement.class}, (proxy, method, args) -> {
                    recorded.record(method, args);
                    return null;
                });
        recorder.setLong(1, 99L);
        recorder.setString(2, "ignored");
        recorder.clearParameters();
        recorder.setObject(1, LocalDate.of(2025, 7, 1));
        recorder.setNull(2, Types.BIGINT);
        recorder.setBinaryStream(3, new ByteArrayInputStream(new byte[]{1}));
        recorder.setFetchSize(10);
        recorder.setMaxRows(5);
        assertThat(recorded.size()).as("three parameters; clearParameters forgot the first two, statement settings are no parameters").isEqualTo(3);
        try (Connection connection = db.connection()) {
            StatementScan scan = PruningProbe.explain(connection, "SELECT id FROM other.events WHERE day = ? AND (id = ? OR ?::bytea IS NULL)",
                    recorded);
            assertThat(touched(scan)).containsExactly("other.events [other.events_2025] of 2");
        }
        RecordedParameters.NONE.record(PreparedStatement.class.getMethod("setLong", int.class, long.class), new Object[]{1, 2L});
        assertThat(RecordedParameters.NONE.size()).as("NONE stays empty").isZero();
    }

    @Test
    void aGenericPlanIsPrunedWhenTheExecutorStarts(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute("SET plan_cache_mode = force_generic_plan");
            StatementScan scan = PruningProbe.explain(connection, "SELECT id FROM other.events WHERE day = ?", List.of(LocalDate.of(2026, 5, 1)));
            assertThat(touched(scan)).as("Subplans Removed: the pruned partition is not printed").containsExactly(
                    "other.events [other.events_2026] of 2");
        }
    }
}
