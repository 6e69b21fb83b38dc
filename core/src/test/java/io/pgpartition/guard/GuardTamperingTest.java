package io.pgpartition.guard;

import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server guard against the owner of the tables: triggers disabled, set to replica, re-created for other events,
 * an application trigger that rewrites the key after the guard looked, a renamed key column, a partition detached by
 * hand, and a guard installed by an earlier version. Verify names each; install repairs what it can.
 */
@PostgresTest
class GuardTamperingTest {

    private static final List<TableName> CLAIMS = List.of(TableName.of("gt_claims"));
    private final ServerGuard guard = new ServerGuard();

    @BeforeEach
    void tables(TestDatabase db) throws SQLException {
        db.execute("DROP TABLE IF EXISTS gt_claims, gt_claims_2025 CASCADE",
                "CREATE TABLE gt_claims (id bigint NOT NULL, service_date date NOT NULL, region text NOT NULL, amount numeric) "
                        + "PARTITION BY RANGE (service_date)",
                "CREATE TABLE gt_claims_2024 PARTITION OF gt_claims FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (region)",
                "CREATE TABLE gt_claims_2024_east PARTITION OF gt_claims_2024 FOR VALUES IN ('east')",
                "CREATE TABLE gt_claims_2024_west PARTITION OF gt_claims_2024 FOR VALUES IN ('west')",
                "CREATE TABLE gt_claims_2025 PARTITION OF gt_claims FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "INSERT INTO gt_claims VALUES (1, '2024-03-01', 'east', 10), (2, '2025-03-01', 'west', 20)");
        try (Connection connection = db.connection()) {
            guard.install(connection, CLAIMS);
        }
    }

    private static String error(TestDatabase db, String sql) {
        return ServerGuardTest.error(db, sql);
    }

    private GuardState state(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            return guard.read(connection, CLAIMS);
        }
    }

    private List<String> install(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            return guard.install(connection, CLAIMS);
        }
    }

    private static String where(TestDatabase db, long id) throws SQLException {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT service_date || ' ' || region || ' ' || tableoid::regclass FROM gt_claims WHERE id = " + id)) {
            return rs.next() ? rs.getString(1) : "gone";
        }
    }

    @Test
    void disabledReplicaOnlyAndReshapedTriggersAreNamedAndRepaired(TestDatabase db) throws SQLException {
        db.execute("ALTER TABLE gt_claims_2025 DISABLE TRIGGER zz_pgpartition_key_guard",
                "ALTER TABLE gt_claims_2024_east DISABLE TRIGGER pgpartition_direct_write_guard",
                "ALTER TABLE gt_claims_2024_west ENABLE REPLICA TRIGGER pgpartition_direct_write_guard",
                "DROP TRIGGER zz_pgpartition_key_guard_1 ON gt_claims_2024",
                "CREATE TRIGGER zz_pgpartition_key_guard_1 AFTER INSERT ON gt_claims_2024 FOR EACH ROW EXECUTE FUNCTION pgpartition_refuse_key_change('c:region')");
        assertThat(error(db, "UPDATE gt_claims SET service_date = '2025-06-01' WHERE id = 2")).as("a key change on the tampered partition")
                .isEqualTo("accepted");
        assertThat(error(db, "INSERT INTO gt_claims_2024_east VALUES (3, '2024-04-01', 'east', 1)")).as("a direct write").isEqualTo("accepted");
        assertThat(state(db).gaps()).as("each deviation, named with its table").containsExactly(
                "trigger zz_pgpartition_key_guard on partition public.gt_claims_2025 (cloned from public.gt_claims) is disabled: changes "
                        + "of the key of public.gt_claims in its rows are not refused",
                "trigger zz_pgpartition_key_guard_1 on public.gt_claims_2024 is not the guard's: found AFTER INSERT FOR EACH ROW calling "
                        + "public.pgpartition_refuse_key_change('c:region'), expected BEFORE UPDATE OF region FOR EACH ROW calling "
                        + "public.pgpartition_refuse_key_change('c:region'); changes of its sub-partition key (region) are not refused",
                "trigger pgpartition_direct_write_guard on partition public.gt_claims_2024_east is disabled: direct writes are not refused",
                "trigger pgpartition_direct_write_guard on partition public.gt_claims_2024_west fires only in replica sessions: direct "
                        + "writes are not refused");
        assertThat(install(db)).as("install repairs each").containsExactly(
                "ALTER TABLE \"public\".\"gt_claims_2025\" ENABLE TRIGGER \"zz_pgpartition_key_guard\"",
                "DROP TRIGGER IF EXISTS \"zz_pgpartition_key_guard_1\" ON \"public\".\"gt_claims_2024\"",
                "CREATE TRIGGER \"zz_pgpartition_key_guard_1\" BEFORE UPDATE OF \"region\" ON \"public\".\"gt_claims_2024\" FOR EACH ROW "
                        + "EXECUTE FUNCTION \"public\".\"pgpartition_refuse_key_change\"('c:region')",
                "ALTER TABLE \"public\".\"gt_claims_2024_east\" ENABLE TRIGGER \"pgpartition_direct_write_guard\"",
                "ALTER TABLE \"public\".\"gt_claims_2024_west\" ENABLE TRIGGER \"pgpartition_direct_write_guard\"");
        assertThat(state(db).complete()).as("nothing left").isTrue();
        assertThat(error(db, "UPDATE gt_claims SET service_date = '2025-09-01' WHERE id = 2")).as("refused again")
                .isEqualTo("PGP01 ERROR: pgpartition: partition key column service_date of gt_claims would change from 2025-06-01 to 2025-09-01");
        assertThat(error(db, "UPDATE gt_claims SET region = 'west' WHERE id = 1")).as("the sub-partition key again")
                .isEqualTo("PGP01 ERROR: pgpartition: partition key column region of gt_claims_2024 would change from east to west");
        assertThat(error(db, "INSERT INTO gt_claims_2024_west VALUES (4, '2024-04-01', 'west', 1)")).as("direct writes again")
                .startsWith("PGP02 ");
    }

    @Test
    void anApplicationTriggerThatFiresAfterTheGuardIsReportedWithARenameThatRunsAsPrinted(TestDatabase db) throws SQLException {
        db.execute("CREATE FUNCTION gt_relabel() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.region := 'west'; RETURN NEW; END $$",
                "CREATE TRIGGER zzz_relabel BEFORE UPDATE ON gt_claims FOR EACH ROW EXECUTE FUNCTION gt_relabel()");
        assertThat(error(db, "UPDATE gt_claims SET amount = 11 WHERE id = 1")).as("it fires after the guard looked").isEqualTo("accepted");
        assertThat(where(db, 1)).as("and the row moved").isEqualTo("2024-03-01 west gt_claims_2024_west");
        String rootForm = "trigger zz_pgpartition_key_guard on public.gt_claims fires only for statements that assign the key (UPDATE OF "
                + "service_date), and trigger zzz_relabel on public.gt_claims (BEFORE UPDATE FOR EACH ROW) may change the key of a row whose "
                + "statement does not: changes of its partition key (service_date) are not refused when it does";
        String owner = "trigger zzz_relabel on public.gt_claims (BEFORE UPDATE FOR EACH ROW) fires after zz_pgpartition_key_guard, so a "
                + "partition key it changes is not refused. Fix: ALTER TRIGGER \"zzz_relabel\" ON \"public\".\"gt_claims\" RENAME TO "
                + "\"zz_before_guard_zzz_relabel\"";
        GuardState state = state(db);
        assertThat(state.gaps()).as("the key triggers' form, and the trigger that fires after them").contains(rootForm, owner)
                .anySatisfy(gap -> assertThat(gap).startsWith("trigger zz_pgpartition_key_guard_1 on public.gt_claims_2024 fires only for "
                        + "statements that assign the key (UPDATE OF region), and trigger zzz_relabel on public.gt_claims"));
        if (ServerGuardTest.serverMajor(db) >= 15) {
            assertThat(state.unrepairable()).as("named with the fix, which renames the clones too").containsExactly(owner);
        } else {
            assertThat(state.unrepairable()).as("before 15 each clone keeps its own name: each is named with its fix").hasSize(5)
                    .startsWith(owner).contains("trigger zzz_relabel on public.gt_claims_2024_east (BEFORE UPDATE FOR EACH ROW) fires after "
                            + "zz_pgpartition_key_guard, so a partition key it changes is not refused. Fix: ALTER TRIGGER \"zzz_relabel\" ON "
                            + "\"public\".\"gt_claims_2024_east\" RENAME TO \"zz_before_guard_zzz_relabel\"");
        }
        assertThat(install(db)).as("install gives the key triggers the form without a column list").containsExactly(
                "DROP TRIGGER IF EXISTS \"zz_pgpartition_key_guard\" ON \"public\".\"gt_claims\"",
                "CREATE TRIGGER \"zz_pgpartition_key_guard\" BEFORE UPDATE ON \"public\".\"gt_claims\" FOR EACH ROW EXECUTE FUNCTION "
                        + "\"public\".\"pgpartition_refuse_key_change\"('c:service_date')",
                "DROP TRIGGER IF EXISTS \"zz_pgpartition_key_guard_1\" ON \"public\".\"gt_claims_2024\"",
                "CREATE TRIGGER \"zz_pgpartition_key_guard_1\" BEFORE UPDATE ON \"public\".\"gt_claims_2024\" FOR EACH ROW EXECUTE FUNCTION "
                        + "\"public\".\"pgpartition_refuse_key_change\"('c:region')");
        assertThat(state(db).gaps()).as("and cannot rename the application's trigger").isEqualTo(state.unrepairable());

        for (String gap : state.unrepairable()) {
            db.execute(gap.substring(gap.indexOf("Fix: ") + 5));
        }
        assertThat(state(db).complete()).as("after the printed fix").isTrue();
        db.execute("UPDATE gt_claims SET region = 'east' WHERE id = 2");
        assertThat(error(db, "UPDATE gt_claims SET amount = 12 WHERE id = 1"))
                .as("the guard now sees the row as the trigger left it (east to west would be no move: the row is in west already)")
                .isEqualTo("accepted");
        db.execute("CREATE OR REPLACE FUNCTION gt_relabel() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.region := 'east'; RETURN NEW; END $$");
        assertThat(error(db, "UPDATE gt_claims SET amount = 13 WHERE id = 1")).as("a key the trigger changes is refused")
                .isEqualTo("PGP01 ERROR: pgpartition: partition key column region of gt_claims_2024 would change from west to east");
    }

    @Test
    void aRenamedKeyColumnStaysGuardedAndVerifySaysTheTriggerIsStale(TestDatabase db) throws SQLException {
        db.execute("ALTER TABLE gt_claims RENAME COLUMN service_date TO served_on");
        assertThat(error(db, "UPDATE gt_claims SET served_on = served_on, amount = 5 WHERE id = 2")).as("updates keep working")
                .isEqualTo("accepted");
        assertThat(error(db, "UPDATE gt_claims SET served_on = '2025-04-01' WHERE id = 2")).as("and key changes stay refused")
                .isEqualTo("PGP01 ERROR: pgpartition: partition key column served_on of gt_claims would change from 2025-03-01 to 2025-04-01");
        assertThat(state(db).gaps()).containsExactly(
                "trigger zz_pgpartition_key_guard on public.gt_claims is not the guard's: found BEFORE UPDATE OF served_on FOR EACH ROW "
                        + "calling public.pgpartition_refuse_key_change('c:service_date'), expected BEFORE UPDATE OF served_on FOR EACH ROW calling public.pgpartition_refuse_key_change('c:served_on'); changes of its partition key (served_on) are not refused");
        assertThat(install(db)).hasSize(2);
        assertThat(state(db).complete()).isTrue();
        assertThat(error(db, "UPDATE gt_claims SET served_on = '2025-04-01' WHERE id = 2")).startsWith("PGP01 ");
    }

    @Test
    void aPartitionDetachedByHandIsAPlainTableAndRemoveTakesItsTrigger(TestDatabase db) throws SQLException {
        db.execute("ALTER TABLE gt_claims DETACH PARTITION gt_claims_2025");
        assertThat(error(db, "INSERT INTO gt_claims_2025 VALUES (5, '2025-05-05', 'east', 1)")).as("a table of its own now")
                .isEqualTo("accepted");
        assertThat(error(db, "UPDATE gt_claims_2025 SET service_date = '2025-06-06'")).as("whose column is no key any more")
                .isEqualTo("accepted");
        assertThat(state(db).gaps()).as("the tree is still whole").isEmpty();
        try (Connection connection = db.connection()) {
            GuardState state = guard.read(connection, List.of());
            List<String> removal = guard.removeStatements(state, true);
            assertThat(removal).as("remove takes the trigger left on the detached table, then the functions")
                    .contains("DROP TRIGGER IF EXISTS \"pgpartition_direct_write_guard\" ON \"public\".\"gt_claims_2025\"")
                    .endsWith("DROP FUNCTION IF EXISTS \"public\".\"pgpartition_refuse_direct_write\"()",
                            "DROP FUNCTION IF EXISTS \"public\".\"pgpartition_refuse_key_change\"()");
            guard.run(connection, removal);
        }
        assertThat(error(db, "INSERT INTO gt_claims_2024_east VALUES (6, '2024-05-05', 'east', 1)")).as("nothing is guarded")
                .isEqualTo("accepted");
    }

    @Test
    void theGuardOfAnEarlierVersionIsReplaced(TestDatabase db) throws SQLException {
        try (Connection connection = db.connection()) {
            guard.run(connection, guard.removeStatements(guard.read(connection, CLAIMS), false));
        }
        db.execute("CREATE TRIGGER pgpartition_key_guard BEFORE UPDATE OF service_date ON gt_claims FOR EACH ROW "
                + "EXECUTE FUNCTION pgpartition_refuse_key_change('service_date')");
        assertThat(error(db, "UPDATE gt_claims SET service_date = '2025-04-01' WHERE id = 2")).as("its arguments are read from the catalog")
                .isEqualTo("PGP01 ERROR: pgpartition: partition key column service_date of gt_claims would change from 2025-03-01 to 2025-04-01");
        assertThat(state(db).gaps()).as("reported").contains(
                "public.gt_claims has the key trigger of an earlier version, pgpartition_key_guard, which fires before the application's "
                        + "BEFORE UPDATE triggers: it is replaced by zz_pgpartition_key_guard");
        assertThat(install(db)).as("replaced").startsWith("DROP TRIGGER IF EXISTS \"pgpartition_key_guard\" ON \"public\".\"gt_claims\"");
        assertThat(state(db).complete()).isTrue();
    }
}
