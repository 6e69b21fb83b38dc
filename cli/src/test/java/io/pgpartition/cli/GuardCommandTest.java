package io.pgpartition.cli;

import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pgpartition guard install | verify | remove} against a real database. */
@PostgresTest
class GuardCommandTest {

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(TestDatabase db, String... args) {
        return cli.run(db, args);
    }

    private static String sqlState(TestDatabase db, String sql) {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
            return "accepted";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    @Test
    void installVerifyAndRemove(TestDatabase db) {
        db.execute("CREATE TABLE claims (id bigint NOT NULL, service_date date NOT NULL) PARTITION BY RANGE (service_date)",
                "CREATE TABLE claims_2024 PARTITION OF claims FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "INSERT INTO claims VALUES (1, '2024-02-02')");

        assertThat(run(db, "guard", "verify")).as("verify before install").isEqualTo(3);
        assertThat(out.toString()).contains("[UNGUARDED] public.claims has no zz_pgpartition_key_guard trigger: changes of its partition "
                + "key (service_date) are not refused\n").endsWith("Fix: pgpartition guard install\n");

        assertThat(run(db, "guard", "install", "--table", "claims", "--dry-run")).isZero();
        assertThat(out.toString()).startsWith("BEGIN;\nCREATE OR REPLACE FUNCTION \"public\".\"pgpartition_refuse_key_change\"()")
                .contains("CREATE TRIGGER \"zz_pgpartition_key_guard\" BEFORE UPDATE OF \"service_date\" ON \"public\".\"claims\" "
                        + "FOR EACH ROW EXECUTE FUNCTION "
                        + "\"public\".\"pgpartition_refuse_key_change\"('c:service_date');\n")
                .endsWith("COMMIT;\n");
        assertThat(sqlState(db, "INSERT INTO claims_2024 VALUES (2, '2024-03-03')")).as("a dry run changes nothing").isEqualTo("accepted");

        assertThat(run(db, "guard", "install", "--table", "claims")).isZero();
        assertThat(out.toString()).isEqualTo("guarded public.claims (1 partition)\n");
        assertThat(run(db, "guard", "install", "--table", "claims")).isZero();
        assertThat(out.toString()).as("idempotent").isEqualTo("nothing to do\n");
        assertThat(run(db, "guard", "verify")).isZero();
        assertThat(out.toString()).isEqualTo("OK: 1 partitioned table guarded\n");
        assertThat(sqlState(db, "INSERT INTO claims_2024 VALUES (3, '2024-03-03')")).isEqualTo("PGP02");
        assertThat(sqlState(db, "UPDATE claims SET service_date = '2024-12-12'")).isEqualTo("PGP01");

        assertThat(run(db, "guard", "remove")).isZero();
        assertThat(out.toString()).isEqualTo("unguarded public.claims (1 partition)\n");
        assertThat(sqlState(db, "INSERT INTO claims_2024 VALUES (4, '2024-03-03')")).isEqualTo("accepted");
    }

    @Test
    void verifyNamesTamperingAndInstallRepairsWhatItCan(TestDatabase db) {
        db.execute("CREATE TABLE tampered (id bigint NOT NULL, service_date date NOT NULL, amount int) PARTITION BY RANGE (service_date)",
                "CREATE TABLE tampered_2024 PARTITION OF tampered FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "INSERT INTO tampered VALUES (1, '2024-02-02', 0)");
        assertThat(run(db, "guard", "install", "--table", "tampered")).isZero();
        db.execute("ALTER TABLE tampered_2024 DISABLE TRIGGER pgpartition_direct_write_guard");

        assertThat(run(db, "guard", "verify", "--table", "tampered")).as("a disabled trigger").isEqualTo(3);
        assertThat(out.toString()).isEqualTo("[UNGUARDED] trigger pgpartition_direct_write_guard on partition public.tampered_2024 is "
                + "disabled: direct writes are not refused\nFix: pgpartition guard install --table tampered\n");
        assertThat(run(db, "guard", "install", "--table", "tampered")).isZero();
        assertThat(out.toString()).isEqualTo("guarded public.tampered (1 partition)\n");
        assertThat(sqlState(db, "INSERT INTO tampered_2024 VALUES (2, '2024-03-03', 0)")).as("enabled again").isEqualTo("PGP02");

        db.execute("CREATE FUNCTION tampered_shift() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.service_date := NEW.service_date + 1; "
                + "RETURN NEW; END $$", "CREATE TRIGGER zzz_shift BEFORE UPDATE ON tampered FOR EACH ROW EXECUTE FUNCTION tampered_shift()");
        String form = "[UNGUARDED] trigger zz_pgpartition_key_guard on public.tampered fires only for statements that assign the key "
                + "(UPDATE OF service_date), and trigger zzz_shift on public.tampered (BEFORE UPDATE FOR EACH ROW) may change the key of a "
                + "row whose statement does not: changes of its partition key (service_date) are not refused when it does\n";
        String later = "[UNGUARDED] trigger zzz_shift on public.tampered (BEFORE UPDATE FOR EACH ROW) fires after zz_pgpartition_key_guard, "
                + "so a partition key it changes is not refused. Fix: ALTER TRIGGER \"zzz_shift\" ON \"public\".\"tampered\" RENAME TO "
                + "\"zz_before_guard_zzz_shift\"\n";
        assertThat(run(db, "guard", "verify", "--table", "tampered")).isEqualTo(3);
        assertThat(out.toString()).isEqualTo(form + later + "Fix: pgpartition guard install --table tampered\n");
        assertThat(run(db, "guard", "install", "--table", "tampered")).as("install repairs the form, and names what it cannot repair")
                .isEqualTo(3);
        assertThat(out.toString()).isEqualTo("guarded public.tampered (1 partition)\n" + later);
        assertThat(run(db, "guard", "verify", "--table", "tampered")).isEqualTo(3);
        assertThat(out.toString()).as("only the application can repair what is left: no install hint").isEqualTo(later);
        db.execute("ALTER TRIGGER \"zzz_shift\" ON \"public\".\"tampered\" RENAME TO \"zz_before_guard_zzz_shift\"");
        assertThat(run(db, "guard", "verify", "--table", "tampered")).isZero();
        assertThat(sqlState(db, "UPDATE tampered SET amount = 1")).as("the key the trigger shifts is refused").isEqualTo("PGP01");
        db.execute("DROP TABLE tampered", "DROP FUNCTION tampered_shift(), pgpartition_refuse_key_change(), pgpartition_refuse_direct_write()");
    }

    @Test
    void aTableThatIsNotAPartitionedRootIsRefused(TestDatabase db) {
        db.execute("CREATE TABLE plain (id int)");
        assertThat(run(db, "guard", "install", "--table", "plain")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pgpartition: Cannot guard plain: no partitioned table of that name that is not "
                + "itself a partition. Name the root of each partition tree.\n");
        assertThat(run(db, "guard", "verify")).as("a database without partitioned tables").isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pgpartition: no partitioned table found to guard.\n");
    }
}
