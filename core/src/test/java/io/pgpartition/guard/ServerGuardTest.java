package io.pgpartition.guard;

import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server guard against every way a client can reach the data: psql-style statements, DO blocks, functions, COPY,
 * TRUNCATE; what it lets through (routed writes, the bypass) and how it is verified, completed and removed.
 */
@PostgresTest
class ServerGuardTest {

    private final ServerGuard guard = new ServerGuard();

    @BeforeEach
    void tables(TestDatabase db) {
        db.execute("DROP TABLE IF EXISTS sg_claims CASCADE",
                "CREATE TABLE sg_claims (id bigint NOT NULL, service_date date NOT NULL, region text NOT NULL, amount numeric) "
                        + "PARTITION BY RANGE (service_date)",
                "CREATE TABLE sg_claims_2024 PARTITION OF sg_claims FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (region)",
                "CREATE TABLE sg_claims_2024_east PARTITION OF sg_claims_2024 FOR VALUES IN ('east')",
                "CREATE TABLE sg_claims_2024_west PARTITION OF sg_claims_2024 FOR VALUES IN ('west')",
                "CREATE TABLE sg_claims_2025 PARTITION OF sg_claims FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "INSERT INTO sg_claims VALUES (1, '2024-03-01', 'east', 10), (2, '2025-03-01', 'west', 20)");
    }

    /** What the server answers to {@code sql}: "accepted", or the SQLSTATE and the first line of its error. */
    static String error(TestDatabase db, String sql) {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return "accepted";
        } catch (SQLException e) {
            return e.getSQLState() + " " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    static int serverMajor(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> rows(TestDatabase db) throws SQLException {
        List<String> rows = new java.util.ArrayList<>();
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id || ' ' || service_date || ' ' || amount || ' ' || tableoid::regclass FROM sg_claims ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    private List<String> install(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            return guard.install(connection, List.of(TableName.of("sg_claims")));
        }
    }

    private GuardState state(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            return guard.read(connection, List.of(TableName.of("sg_claims")));
        }
    }

    @Test
    void installingTwiceIsANoOpAndVerifyFindsNothingMissing(TestDatabase db) throws SQLException {
        assertThat(state(db).gaps()).as("before install, every piece is missing").containsExactly(
                "function public.pgpartition_refuse_key_change is missing or outdated",
                "function public.pgpartition_refuse_direct_write is missing or outdated",
                "public.sg_claims has no zz_pgpartition_key_guard trigger: changes of its partition key (service_date) are not refused",
                "partition public.sg_claims_2024 of public.sg_claims has no zz_pgpartition_key_guard_1 trigger: changes of its "
                        + "sub-partition key (region) are not refused",
                "partition public.sg_claims_2024 of public.sg_claims has no pgpartition_direct_write_guard trigger: direct writes are not refused",
                "partition public.sg_claims_2025 of public.sg_claims has no pgpartition_direct_write_guard trigger: direct writes are not refused",
                "partition public.sg_claims_2024_east of public.sg_claims has no pgpartition_direct_write_guard trigger: direct writes are not refused",
                "partition public.sg_claims_2024_west of public.sg_claims has no pgpartition_direct_write_guard trigger: direct writes are not refused");
        assertThat(install(db)).as("2 functions, the two key triggers and 4 partition triggers").hasSize(8)
                .contains("CREATE TRIGGER \"zz_pgpartition_key_guard_1\" BEFORE UPDATE OF \"region\" ON \"public\".\"sg_claims_2024\" "
                        + "FOR EACH ROW EXECUTE FUNCTION \"public\".\"pgpartition_refuse_key_change\"('c:region')");
        assertThat(state(db).complete()).as("then nothing is missing").isTrue();
        assertThat(install(db)).as("the second install has nothing to do").isEmpty();
    }

    @Test
    void theKeyOfEveryLevelIsGuardedAndOnlyWhereItIsAKey(TestDatabase db) throws SQLException {
        install(db);
        assertThat(error(db, "UPDATE sg_claims SET region = 'west' WHERE id = 1")).as("the sub-partition key, through the root")
                .isEqualTo("PGP01 ERROR: pgpartition: partition key column region of sg_claims_2024 would change from east to west");
        assertThat(error(db, "UPDATE sg_claims_2024 SET region = 'west' WHERE id = 1")).as("naming the sub-partitioned partition")
                .startsWith("PGP02 ERROR: pgpartition: UPDATE on partition public.sg_claims_2024 refused");
        assertThat(error(db, "UPDATE sg_claims SET region = 'north' WHERE id = 2"))
                .as("2025 is not sub-partitioned: region is no key there, and PostgreSQL moves nothing").isEqualTo("accepted");
        assertThat(error(db, "UPDATE sg_claims SET region = region, service_date = service_date, amount = 11 WHERE id = 1"))
                .as("every column assigned its own value, as Hibernate's updates do").isEqualTo("accepted");
        assertThat(rows(db)).as("no row moved").containsExactly("1 2024-03-01 11 sg_claims_2024_east", "2 2025-03-01 20 sg_claims_2025");
    }

    @Test
    void keyChangesAreRefusedOnEveryPathAndOtherUpdatesPass(TestDatabase db) throws SQLException {
        install(db);
        String refused = "PGP01 ERROR: pgpartition: partition key column service_date of sg_claims would change from 2024-03-01 to 2024-09-01";
        assertThat(error(db, "UPDATE sg_claims SET service_date = '2024-09-01' WHERE id = 1")).as("through the parent").isEqualTo(refused);
        assertThat(error(db, "UPDATE sg_claims_2024_east SET service_date = '2024-09-01' WHERE id = 1"))
                .as("naming the leaf: its statement trigger refuses first")
                .startsWith("PGP02 ERROR: pgpartition: UPDATE on partition public.sg_claims_2024_east refused: write through its parent table sg_claims_2024");
        assertThat(error(db, "DO $$ BEGIN UPDATE sg_claims SET service_date = service_date + 184 WHERE id = 1; END $$"))
                .as("inside a DO block").isEqualTo(refused);
        assertThat(error(db, "CREATE FUNCTION sg_move() RETURNS void LANGUAGE sql AS $$ UPDATE sg_claims SET service_date = '2024-09-01' $$; "
                + "SELECT sg_move()")).as("inside a function").isEqualTo(refused);
        String merge = error(db, "MERGE INTO sg_claims c USING (SELECT 1 AS id) s ON c.id = s.id "
                + "WHEN MATCHED THEN UPDATE SET service_date = '2024-09-01'");
        if (serverMajor(db) >= 15) {
            assertThat(merge).as("MERGE").isEqualTo(refused);
        } else {
            assertThat(merge).as("PostgreSQL 14 has no MERGE: nothing to guard").startsWith("42601 ERROR: syntax error at or near \"MERGE\"");
        }
        assertThat(error(db, "INSERT INTO sg_claims VALUES (1, '2024-03-01', 'east', 0) ON CONFLICT DO NOTHING")).as("routed insert").isEqualTo("accepted");
        assertThat(error(db, "UPDATE sg_claims SET amount = amount + 1, service_date = service_date WHERE id = 2"))
                .as("an update that sets the key to itself").isEqualTo("accepted");
        assertThat(error(db, "BEGIN; SET LOCAL pgpartition.bypass = on; UPDATE sg_claims SET service_date = '2024-06-01', "
                + "region = 'west' WHERE id = 2; COMMIT")).as("the bypass lets maintenance move a row").isEqualTo("accepted");
        assertThat(rows(db)).as("only the bypassed move changed a key")
                .containsExactly("1 2024-03-01 10 sg_claims_2024_east", "1 2024-03-01 0 sg_claims_2024_east", "2 2024-06-01 21 sg_claims_2024_west");
    }

    @Test
    void directWritesToPartitionsAreRefusedAndRoutedOnesPass(TestDatabase db) throws Exception {
        install(db);
        assertThat(error(db, "INSERT INTO sg_claims_2025 VALUES (3, '2025-05-01', 'east', 1)")).as("INSERT into a partition")
                .isEqualTo("PGP02 ERROR: pgpartition: INSERT on partition public.sg_claims_2025 refused: write through its parent table sg_claims");
        assertThat(error(db, "DELETE FROM sg_claims_2024_east")).as("DELETE from a leaf")
                .startsWith("PGP02 ERROR: pgpartition: DELETE on partition public.sg_claims_2024_east refused");
        assertThat(error(db, "TRUNCATE sg_claims_2025")).as("TRUNCATE of a partition")
                .startsWith("PGP02 ERROR: pgpartition: TRUNCATE on partition public.sg_claims_2025 refused");
        assertThat(error(db, "BEGIN; TRUNCATE sg_claims_2024; ROLLBACK")).as("TRUNCATE of an intermediate partition")
                .startsWith("PGP02 ERROR: pgpartition: TRUNCATE on partition public.sg_claims_2024 refused");
        try (Connection connection = db.connection()) {
            CopyManager copy = connection.unwrap(BaseConnection.class).getCopyAPI();
            assertThatThrownBy(() -> copy.copyIn("COPY sg_claims_2025 FROM STDIN (FORMAT csv)", new StringReader("4,2025-06-01,east,1\n")))
                    .as("COPY into a partition").hasMessageStartingWith("ERROR: pgpartition: INSERT on partition public.sg_claims_2025 refused");
            assertThat(copy.copyIn("COPY sg_claims FROM STDIN (FORMAT csv)", new StringReader("5,2025-06-01,east,1\n")))
                    .as("COPY through the parent").isEqualTo(1);
        }
        assertThat(error(db, "UPDATE sg_claims SET amount = 0")).as("a routed update").isEqualTo("accepted");
        assertThat(rows(db)).as("only routed writes changed rows")
                .containsExactly("1 2024-03-01 0 sg_claims_2024_east", "2 2025-03-01 0 sg_claims_2025", "5 2025-06-01 0 sg_claims_2025");
        assertThat(error(db, "TRUNCATE sg_claims")).as("TRUNCATE of the root reaches every partition").isEqualTo("accepted");
        assertThat(rows(db)).as("empty").isEmpty();
        assertThat(error(db, "TRUNCATE sg_claims_2025")).as("and a partition alone is refused again in the next transaction")
                .startsWith("PGP02 ERROR: pgpartition: TRUNCATE on partition public.sg_claims_2025 refused");
    }

    @Test
    void aPartitionAddedLaterIsReportedUntilGuardedAndRemoveUndoesAll(TestDatabase db) throws SQLException {
        install(db);
        db.execute("CREATE TABLE sg_claims_2026 PARTITION OF sg_claims FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')");
        assertThat(state(db).gaps()).as("the new partition's statement trigger is missing").containsExactly(
                "partition public.sg_claims_2026 of public.sg_claims has no pgpartition_direct_write_guard trigger: direct writes are not refused");
        assertThat(error(db, "INSERT INTO sg_claims VALUES (9, '2026-02-01', 'east', 1); UPDATE sg_claims SET service_date = '2026-03-01' WHERE id = 9"))
                .as("the key trigger was cloned to it by PostgreSQL").startsWith("PGP01 ");
        assertThat(install(db)).as("install adds only what is missing").containsExactly(
                "CREATE TRIGGER \"pgpartition_direct_write_guard\" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON \"public\".\"sg_claims_2026\" "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION \"public\".\"pgpartition_refuse_direct_write\"()");
        try (Connection connection = db.connection()) {
            guard.run(connection, guard.removeStatements(guard.read(connection, List.of(TableName.of("sg_claims"))), true));
        }
        assertThat(state(db).gaps()).as("after remove, everything is missing again").hasSize(9);
        assertThat(error(db, "UPDATE sg_claims_2025 SET service_date = '2025-09-01'")).as("and nothing is refused").isEqualTo("accepted");
    }

    @Test
    void aMixedKeyIsGuardedColumnAndExpression(TestDatabase db) throws SQLException {
        db.execute("DROP TABLE IF EXISTS sg_names",
                "CREATE TABLE sg_names (d date NOT NULL, name text NOT NULL, note text) PARTITION BY RANGE (d, lower(name))",
                "CREATE TABLE sg_names_a PARTITION OF sg_names FOR VALUES FROM ('2024-01-01', 'a') TO ('2024-01-01', 'b')",
                "CREATE TABLE sg_names_rest PARTITION OF sg_names FOR VALUES FROM ('2024-01-01', 'b') TO ('2025-01-01', 'a')",
                "INSERT INTO sg_names VALUES ('2024-01-01', 'Ada', 'x')");
        try (Connection connection = db.connection()) {
            assertThat(guard.install(connection, List.of(TableName.of("sg_names")))).as("it watches both columns, and takes one argument per column part and one for the expressions")
                    .contains("CREATE TRIGGER \"zz_pgpartition_key_guard\" BEFORE UPDATE OF \"d\", \"name\" ON \"public\".\"sg_names\" "
                            + "FOR EACH ROW EXECUTE FUNCTION \"public\".\"pgpartition_refuse_key_change\"('c:d', 'e:lower(name)')");
            assertThat(guard.read(connection, List.of(TableName.of("sg_names"))).gaps()).as("nothing left unguarded").isEmpty();
        }
        assertThat(error(db, "UPDATE sg_names SET name = 'ADA'")).as("the expression's value stays 'ada'").isEqualTo("accepted");
        assertThat(error(db, "UPDATE sg_names SET name = 'Bob'")).as("the expression part changes")
                .isEqualTo("PGP01 ERROR: pgpartition: partition key expression lower(name) of sg_names would change from (ada) to (bob)");
        assertThat(error(db, "UPDATE sg_names SET d = '2024-06-01'")).as("the column part changes")
                .isEqualTo("PGP01 ERROR: pgpartition: partition key column d of sg_names would change from 2024-01-01 to 2024-06-01");
        assertThat(error(db, "UPDATE sg_names SET note = 'y'")).as("another column").isEqualTo("accepted");
        assertThat(error(db, "INSERT INTO sg_names_a VALUES ('2024-01-01', 'al', 'z')")).as("its partitions are guarded").startsWith("PGP02 ");
    }

    @Test
    void aTableThatIsNoRootIsNamedInTheError(TestDatabase db) {
        assertThatThrownBy(() -> {
            try (Connection connection = db.connection()) {
                guard.read(connection, List.of(TableName.of("sg_claims_2025"), TableName.of("sg_nothing")));
            }
        }).hasMessage("Cannot guard sg_claims_2025, sg_nothing: no partitioned table of that name that is not itself a partition. "
                + "Name the root of each partition tree.");
    }

    @Test
    void aKeyAssignedAnEqualValueIsNoChange(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE sg_amounts (id int, amount numeric NOT NULL) PARTITION BY RANGE (amount)",
                "CREATE TABLE sg_amounts_low PARTITION OF sg_amounts FOR VALUES FROM (0) TO (100)",
                "INSERT INTO sg_amounts VALUES (1, 1.0)");
        try (Connection connection = db.connection()) {
            guard.install(connection, List.of(TableName.of("sg_amounts")));
        }
        assertThat(error(db, "UPDATE sg_amounts SET amount = 1.00")).as("1.0 and 1.00 are the same key").isEqualTo("accepted");
        assertThat(error(db, "UPDATE sg_amounts SET amount = 2")).as("2 is another")
                .isEqualTo("PGP01 ERROR: pgpartition: partition key column amount of sg_amounts would change from 1.00 to 2");
    }
}
