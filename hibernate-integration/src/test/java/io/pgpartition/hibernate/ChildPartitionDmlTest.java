package io.pgpartition.hibernate;

import io.pgpartition.ChildPartitionWriteException;
import io.pgpartition.NoPartitionForKeyException;
import io.pgpartition.PartitioningException;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.seeds.SeedEntities;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedSchema;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Native SQL and plain JDBC on Hibernate's connections that write a partition directly.
 */
@HibernateTest
class ChildPartitionDmlTest {

    private static final String AUTO_INSERT = "insert into content_items_auto (id, source_type, title, created_at, updated_at) "
            + "values (1, 'auto', 'direct', now(), now())";

    @BeforeAll
    static void createSeedTables(TestDatabase db) {
        db.execute(SeedSchema.statements().toArray(String[]::new));
    }

    private static SessionFactory factory(SessionFactoryScope scope, String mode, CatalogStatementCounter counter) {
        Map<String, Object> settings = new HashMap<>();
        if (counter != null) {
            settings.put("hibernate.connection.datasource", counter.dataSource());
        }
        if (mode != null) {
            settings.put(PartitioningSettings.CHILD_PARTITION_DML, mode);
        }
        return scope.build(settings, SeedEntities.ContentItem.class);
    }

    private static long rows(TestDatabase db, String table) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void nativeAndJdbcWritesToAPartitionAreRejectedByDefault(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        try (SessionFactory factory = factory(scope, null, null)) {
            assertThatThrownBy(() -> factory.inTransaction(session -> session.createNativeMutationQuery(AUTO_INSERT).executeUpdate()))
                    .as("a native insert into the child")
                    .isInstanceOf(ChildPartitionWriteException.class)
                    .hasMessage("Statement writes to partition public.content_items_auto directly instead of its parent table "
                            + "public.content_items_all: " + AUTO_INSERT + ". Write to public.content_items_all and let PostgreSQL "
                            + "route the row, or set pgpartition.child_partition_dml=allow.");
            for (String sql : new String[]{
                    "update \"public\".\"content_items_auto\" set title = 'x'",
                    "/* hidden? */ delete from public.content_items_auto where id = 1",
                    "with gone as (delete from content_items_auto returning id) select count(*) from gone",
                    "merge into content_items_auto t using (select 1 as id) s on s.id = t.id when matched then delete",
                    "copy content_items_auto (id) from stdin"}) {
                assertThatThrownBy(() -> factory.inTransaction(session -> session.doWork(connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(sql);
                    }
                })))
                        .as("JDBC on Hibernate's connection: %s", sql)
                        .isInstanceOf(ChildPartitionWriteException.class);
            }
            assertThatThrownBy(() -> factory.inTransaction(session -> session.doWork(connection ->
                    connection.prepareStatement(AUTO_INSERT).executeUpdate())))
                    .as("a prepared statement is refused before it reaches the server")
                    .isInstanceOf(ChildPartitionWriteException.class);
            assertThat(rows(db, "content_items_auto")).as("nothing reached the partition").isZero();

            Long read = factory.fromTransaction(session ->
                    session.createNativeQuery("select count(*) from content_items_auto", Long.class).getSingleResult());
            assertThat(read).as("reading a partition stays allowed").isZero();
            factory.inTransaction(session -> session.createNativeMutationQuery(
                    "insert into content_items_all (id, source_type, title, created_at, updated_at) values (2, 'auto', 'routed', now(), now())")
                    .executeUpdate());
            assertThat(rows(db, "content_items_auto")).as("writing through the parent routes the row").isEqualTo(1);
        } finally {
            db.execute("DELETE FROM content_items_all");
        }
    }

    @Test
    void warnLogsOncePerPartitionAndAllowSaysNothing(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (SessionFactory warn = factory(scope, "warn", null); SessionFactory allow = factory(scope, "allow", null)) {
            warn.inTransaction(session -> session.createNativeMutationQuery(AUTO_INSERT).executeUpdate());
            warn.inTransaction(session -> session.createNativeMutationQuery(AUTO_INSERT.replace("(1,", "(3,")).executeUpdate());
            allow.inTransaction(session -> session.createNativeMutationQuery(AUTO_INSERT.replace("(1,", "(4,")).executeUpdate());
        } finally {
            System.setErr(original);
            db.execute("DELETE FROM content_items_all");
        }
        assertThat(log.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("writes to partition public.content_items_auto")))
                .as("warn logs the first write to the partition only; allow logs nothing").hasSize(1);
    }

    @Test
    void theServersNoPartitionErrorBecomesNoPartitionForKeyException(SessionFactoryScope scope) {
        try (SessionFactory factory = factory(scope, null, null)) {
            assertThatThrownBy(() -> factory.inTransaction(session -> session.createNativeMutationQuery(
                    "insert into content_items_all (id, source_type, title, created_at, updated_at) values (5, 'manual', 'x', now(), now())")
                    .executeUpdate()))
                    .isInstanceOf(NoPartitionForKeyException.class)
                    .hasMessage("No partition of table content_items_all accepts partition key value manual. Create a partition "
                            + "for this value or run partition maintenance. Server detail: Partition key of the failing row "
                            + "contains (source_type) = (manual).");
        }
    }

    @Test
    void statementsOnOtherTablesCostNoCatalogQueryAfterTheFirstLookUp(TestDatabase db, SessionFactoryScope scope) {
        CatalogStatementCounter counter = new CatalogStatementCounter(db.dataSource());
        try (SessionFactory factory = factory(scope, null, counter)) {
            factory.inTransaction(session -> session.createNativeMutationQuery(
                    "insert into users (id, email) values (gen_random_uuid(), 'first@example.com')").executeUpdate());
            counter.reset();
            factory.inTransaction(session -> {
                for (int i = 0; i < 50; i++) {
                    session.createNativeMutationQuery("insert into users (id, email) values (gen_random_uuid(), 'u" + i + "@example.com')")
                            .executeUpdate();
                    session.createNativeQuery("select count(*) from orders", Long.class).getSingleResult();
                }
            });
            assertThat(counter.count()).as("a known plain table and reads: no lookups").isZero();
        } finally {
            db.execute("DELETE FROM users");
        }
    }

    @Test
    void anUnknownSettingValueIsRefused(SessionFactoryScope scope) {
        assertThatThrownBy(() -> factory(scope, "sometimes", null))
                .hasRootCauseInstanceOf(PartitioningException.class)
                .rootCause().hasMessage("Invalid setting pgpartition.child_partition_dml=sometimes; expected reject, warn or allow");
    }


    @Test
    void everyConnectionJdbcHandsBackIsGuarded(SessionFactoryScope scope) {
        try (SessionFactory factory = factory(scope, null, null)) {
            java.util.Map<String, org.hibernate.jdbc.ReturningWork<Connection>> routes = new java.util.LinkedHashMap<>();
            routes.put("unwrap(Connection)", connection -> connection.unwrap(Connection.class));
            routes.put("unwrap(PGConnection)", connection -> (Connection) connection.unwrap(org.postgresql.PGConnection.class));
            routes.put("Statement#getConnection", connection -> connection.createStatement().getConnection());
            routes.put("PreparedStatement#getConnection", connection -> connection.prepareStatement("select 1").getConnection());
            routes.put("DatabaseMetaData#getConnection", connection -> connection.getMetaData().getConnection());
            routes.put("Statement#executeQuery, ResultSet#getStatement",
                    connection -> connection.createStatement().executeQuery("select 1").getStatement().getConnection());
            routes.put("Statement#execute, getResultSet, ResultSet#getStatement", connection -> {
                Statement statement = connection.createStatement();
                statement.execute("select 1");
                return statement.getResultSet().getStatement().getConnection();
            });
            routes.put("PreparedStatement#executeQuery, ResultSet#getStatement",
                    connection -> connection.prepareStatement("select 1").executeQuery().getStatement().getConnection());
            routes.put("DatabaseMetaData#getTables, ResultSet#getStatement",
                    connection -> connection.getMetaData().getTables(null, null, "content_items", null).getStatement().getConnection());
            routes.put("getGeneratedKeys, ResultSet#getStatement", connection -> {
                Statement statement = connection.createStatement();
                statement.executeUpdate("create temporary table if not exists generated_here (id serial, x int)");
                statement.executeUpdate("insert into generated_here (x) values (1)", Statement.RETURN_GENERATED_KEYS);
                return statement.getGeneratedKeys().getStatement().getConnection();
            });
            routes.put("a refcursor read as a value, ResultSet#getStatement", connection -> {
                Statement statement = connection.createStatement();
                statement.execute("declare guarded_cursor cursor for select 1");
                java.sql.ResultSet cursor = statement.executeQuery("select 'guarded_cursor'::refcursor");
                cursor.next();
                return ((java.sql.ResultSet) cursor.getObject(1)).getStatement().getConnection();
            });
            routes.forEach((route, reach) -> assertThatThrownBy(() -> factory.inTransaction(session -> session.doWork(connection -> {
                try (Statement statement = session.doReturningWork(reach).createStatement()) {
                    statement.execute(AUTO_INSERT);
                }
            }))).as("a connection from %s", route).isInstanceOf(ChildPartitionWriteException.class));
            assertThat(factory.<Integer>fromTransaction(session -> session.doReturningWork(connection ->
                    connection.unwrap(org.postgresql.PGConnection.class).getBackendPID())))
                    .as("the driver's own interface still answers").isPositive();
        }
    }

    @Test
    void theDriversCopyIdiomWorksAndACopyIntoAPartitionIsRefused(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        String row = "9001,auto,copied,2026-11-01 00:00:00+00,2026-11-01 00:00:00+00\n";
        try (SessionFactory factory = factory(scope, null, null)) {
            java.util.Map<String, org.hibernate.jdbc.ReturningWork<org.postgresql.copy.CopyManager>> routes = new java.util.LinkedHashMap<>();
            routes.put("new CopyManager((BaseConnection) connection)",
                    connection -> new org.postgresql.copy.CopyManager((org.postgresql.core.BaseConnection) connection));
            routes.put("new CopyManager((BaseConnection) connection.unwrap(PGConnection.class))", connection ->
                    new org.postgresql.copy.CopyManager((org.postgresql.core.BaseConnection) connection.unwrap(org.postgresql.PGConnection.class)));
            routes.put("connection.unwrap(PGConnection.class).getCopyAPI()",
                    connection -> connection.unwrap(org.postgresql.PGConnection.class).getCopyAPI());
            routes.forEach((route, copy) -> {
                assertThatThrownBy(() -> factory.inTransaction(session -> session.doWork(connection -> {
                    try {
                        session.doReturningWork(copy).copyIn("COPY content_items_auto (id, source_type, title, created_at, updated_at) "
                                + "FROM STDIN (FORMAT csv)", new java.io.StringReader(row));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })))
                        .as("COPY into the partition through %s", route)
                        .isInstanceOf(ChildPartitionWriteException.class)
                        .hasMessage("Statement writes to partition public.content_items_auto directly instead of its parent table "
                                + "public.content_items_all: COPY content_items_auto (id, source_type, title, created_at, updated_at) "
                                + "FROM STDIN (FORMAT csv). Write to public.content_items_all and let PostgreSQL route the row, or set "
                                + "pgpartition.child_partition_dml=allow.");
                long copied = factory.fromTransaction(session -> session.doReturningWork(connection -> {
                    try {
                        return session.doReturningWork(copy).copyIn("COPY content_items_all (id, source_type, title, created_at, "
                                + "updated_at) FROM STDIN (FORMAT csv)", new java.io.StringReader(row));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
                assertThat(copied).as("COPY through the parent, a routed write, through %s", route).isEqualTo(1);
                factory.inTransaction(session -> session.createNativeMutationQuery("delete from content_items_all where id = 9001")
                        .executeUpdate());
            });
        }
        assertThat(rows(db, "content_items_auto")).as("nothing reached the partition directly, the routed rows are gone").isZero();
    }

    @Test
    void aWriteThatLeavesAFailedTransactionFirstIsCheckedAllTheSame(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        try (SessionFactory factory = factory(scope, null, null)) {
            assertThatThrownBy(() -> factory.inTransaction(session -> session.doWork(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SAVEPOINT before_failure");
                    try {
                        statement.execute("SELECT 1 / 0");
                    } catch (SQLException expected) {
                        // the transaction has failed: the catalog cannot be asked until it is rolled back
                    }
                    statement.execute("ROLLBACK TO SAVEPOINT before_failure; " + AUTO_INSERT);
                }
            }))).as("ROLLBACK TO SAVEPOINT, then a write to a partition, in one text").isInstanceOf(ChildPartitionWriteException.class)
                    .hasMessage("Statement writes to partition public.content_items_auto directly instead of its parent table "
                            + "public.content_items_all: ROLLBACK TO SAVEPOINT before_failure; " + AUTO_INSERT + ". Write to "
                            + "public.content_items_all and let PostgreSQL route the row, or set pgpartition.child_partition_dml=allow.");
        }
        assertThat(rows(db, "content_items_auto")).as("nothing reached the partition").isZero();
    }

    @Test
    void aCopyOfAQueryThatChangesTheKeyIsRefused(SessionFactoryScope scope) {
        String copy = "copy (update content_items_all set source_type = 'items' returning id) to stdout";
        try (SessionFactory factory = factory(scope, null, null)) {
            assertThatThrownBy(() -> factory.inTransaction(session -> session.doWork(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(copy);
                }
            }))).as("COPY (UPDATE ... RETURNING ...) TO STDOUT").isInstanceOf(io.pgpartition.PartitionKeyChangedException.class)
                    .hasMessage("Cannot run " + copy + ": it sets partition key attribute 'sourceType' (column source_type) of "
                            + "ContentItem, which would move rows between partitions. The partition key of a stored row never changes: "
                            + "delete the rows and insert new ones instead.");
        }
    }

    @Test
    void aKeyAssignedAfterAListOfTargetsIsRefused(SessionFactoryScope scope) {
        String update = "update content_items_all set (title, updated_at) = ('x', now()), source_type = 'items' where id = 1";
        try (SessionFactory factory = factory(scope, null, null)) {
            assertThatThrownBy(() -> factory.inTransaction(session -> session.createNativeMutationQuery(update).executeUpdate()))
                    .as("SET (a, b) = (...), key = ...").isInstanceOf(io.pgpartition.PartitionKeyChangedException.class)
                    .hasMessage("Cannot run " + update + ": it sets partition key attribute 'sourceType' (column source_type) of "
                            + "ContentItem, which would move rows between partitions. The partition key of a stored row never changes: "
                            + "delete the rows and insert new ones instead.");
        }
    }

    @Test
    void namesAreJudgedAsTheServerResolvesThem(TestDatabase db, SessionFactoryScope scope) throws SQLException {
        db.execute("CREATE SCHEMA IF NOT EXISTS elsewhere", "CREATE TABLE IF NOT EXISTS elsewhere.content_items_all (id bigint, source_type text)");
        try (SessionFactory factory = factory(scope, null, null)) {
            long changed = factory.fromTransaction(session -> session.doReturningWork(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL search_path = elsewhere, public");
                    return (long) statement.executeUpdate("UPDATE content_items_all SET source_type = 'moved'");
                }
            }));
            assertThat(changed).as("a plain table of the same name first on the search_path: PostgreSQL updates it, and so may we")
                    .isZero();
            assertThatThrownBy(() -> factory.inTransaction(session -> session.doWork(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("UPDATE content_items_all SET source_type = 'moved'");
                }
            }))).as("the mapped table itself").isInstanceOf(io.pgpartition.PartitionKeyChangedException.class);
            assertThatThrownBy(() -> factory.inTransaction(session -> session.doWork(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO content_items_auto (id, source_type, title, created_at, updated_at) "
                            + "VALUES (1, 'auto', 't', now(), now())");
                }
            }))).as("the partition itself, first").isInstanceOf(ChildPartitionWriteException.class);
            long inserted = factory.fromTransaction(session -> session.doReturningWork(connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TEMPORARY TABLE content_items_auto (id bigint) ON COMMIT DROP");
                    return (long) statement.executeUpdate("INSERT INTO content_items_auto VALUES (1)");
                }
            }));
            assertThat(inserted).as("a temporary table named like a partition is no partition").isEqualTo(1);
        }
        assertThat(rows(db, "content_items_auto")).as("the partition was not written").isZero();
    }
}
