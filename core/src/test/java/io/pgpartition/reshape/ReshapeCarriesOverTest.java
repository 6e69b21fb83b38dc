package io.pgpartition.reshape;

import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.conversion.RealTablesConversionTest;
import io.pgpartition.guard.ServerGuard;
import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.pgpartition.conversion.TableConversionTest.count;
import static io.pgpartition.conversion.TableConversionTest.strings;
import static io.pgpartition.reshape.PartitionReshapeTest.leftovers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a partition has of its own — owner, grants (column grants too), row-level security with FORCE and policies,
 * comment, its own triggers with their enabled state, the server guard — and the foreign keys to and from the table
 * carry over to the partitions a reshape creates, as the owner reshapes while an application role writes.
 */
@PostgresTest
class ReshapeCarriesOverTest {

    @Test
    void splitPartitionsKeepWhatTheReplacedOneHadAndTheApplicationRoleKeepsWriting(TestDatabase db) throws Exception {
        String ownerRole = RealTablesConversionTest.loginRole(db, "owner");
        String appRole = RealTablesConversionTest.loginRole(db, "app");
        db.execute("CREATE TABLE tenants (id int PRIMARY KEY)",
                "INSERT INTO tenants VALUES (1), (2)",
                "CREATE TABLE ledger (id bigint NOT NULL, at date NOT NULL, tenant int NOT NULL REFERENCES tenants, amount int, "
                        + "PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE ledger_p202401 PARTITION OF ledger FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')",
                "CREATE TABLE ledger_p202402 PARTITION OF ledger FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')",
                "CREATE TABLE ledger_audit (id bigint, at date, FOREIGN KEY (id, at) REFERENCES ledger)",
                "INSERT INTO ledger SELECT g, date '2024-01-01' + (g % 59), 1 + g % 2, g FROM generate_series(1, 3000) g",
                "INSERT INTO ledger_audit SELECT id, at FROM ledger WHERE id % 10 = 0",
                "ALTER TABLE ledger OWNER TO " + ownerRole,
                "ALTER TABLE ledger_p202401 OWNER TO " + ownerRole,
                "ALTER TABLE ledger_p202402 OWNER TO " + ownerRole,
                                "GRANT SELECT, INSERT, UPDATE, DELETE ON ledger TO " + appRole,
                "GRANT SELECT ON ledger_p202401 TO " + appRole,
                "GRANT UPDATE (amount) ON ledger_p202401 TO " + appRole,
                "COMMENT ON TABLE ledger_p202401 IS 'January'",
                "ALTER TABLE ledger_p202401 ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE ledger_p202401 FORCE ROW LEVEL SECURITY",
                "CREATE POLICY tenant_one ON ledger_p202401 USING (tenant = 1)",
                "CREATE FUNCTION ledger_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.amount := NEW.amount + 1; RETURN NEW; END $$",
                "CREATE TRIGGER touch BEFORE UPDATE ON ledger_p202401 FOR EACH ROW EXECUTE FUNCTION ledger_touch()",
                "ALTER TABLE ledger_p202401 DISABLE TRIGGER touch");
        try (Connection connection = db.connection()) {
            new ServerGuard().install(connection, List.of(TableName.of("ledger")));
            long before = count(connection, "SELECT count(*) FROM ledger");
            ReshapeStatus done = new PartitionReshape(ReshapeSpec.split(TableName.of("ledger"), TableName.of("ledger_p202401"), "1 day")).run(connection, ConversionProgress.NONE);
            assertThat(done.phase()).isEqualTo(ReshapeStatus.Phase.SWAPPED);
            assertThat(count(connection, "SELECT count(*) FROM ledger")).as("every row kept").isEqualTo(before);
            String day = "ledger_p20240115";
            assertThat(strings(connection, "SELECT pg_get_userbyid(relowner) || ' ' || relrowsecurity || ' ' || relforcerowsecurity || ' ' "
                    + "|| coalesce(obj_description(oid, 'pg_class'), '') FROM pg_class WHERE relname = '" + day + "'"))
                    .as("owner, row-level security with FORCE, comment").containsExactly(ownerRole + " true true January");
            assertThat(strings(connection, "SELECT polname || ' ' || pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polrelid = '"
                    + day + "'::regclass")).containsExactly("tenant_one (tenant = 1)");
            assertThat(strings(connection, "SELECT has_table_privilege('" + appRole + "', '" + day + "', 'SELECT') || ' ' "
                    + "|| has_table_privilege('" + appRole + "', '" + day + "', 'INSERT') || ' ' "
                    + "|| has_column_privilege('" + appRole + "', '" + day + "', 'amount', 'UPDATE')"))
                    .as("the table grant and the column grant").containsExactly("true false true");
            assertThat(strings(connection, "SELECT tgname || ' ' || tgenabled::text FROM pg_trigger WHERE tgrelid = '" + day + "'::regclass "
                    + "AND tgparentid = 0 AND NOT tgisinternal AND tgname NOT LIKE 'pgpartition_reshape%' ORDER BY 1"))
                    .as("its own triggers, the server guard's and the disabled one").containsExactly(
                            "pgpartition_direct_write_guard O", "touch D");
            assertThat(strings(connection, "SELECT conname || ' ' || convalidated FROM pg_constraint WHERE contype = 'f' AND "
                    + "(conrelid = '" + day + "'::regclass OR (conrelid = 'ledger_audit'::regclass AND conparentid = 0)) ORDER BY 1"))
                    .as("the foreign key to tenants on the new partition, the one from ledger_audit validated again")
                    .containsExactly("ledger_audit_id_at_fkey true", "ledger_tenant_fkey true");
            assertThatThrownBy(() -> execute(connection, "INSERT INTO " + day + " VALUES (99999, '2024-01-15', 1, 1)"))
                    .as("the server guard refuses a direct write to a new partition").hasMessageContaining("pgpartition");
            assertThatThrownBy(() -> execute(connection, "DELETE FROM ledger WHERE id = 10"))
                    .as("the foreign key from ledger_audit holds").hasMessageContaining("ledger_audit_id_at_fkey");
        }
        try (Connection app = RealTablesConversionTest.as(db, appRole)) {
            assertThat(strings(app, "SELECT current_user")).as("the application's role, not the owner").containsExactly(appRole);
            execute(app, "INSERT INTO ledger VALUES (5001, '2024-01-15', 2, 1)");
            execute(app, "UPDATE ledger SET amount = 7 WHERE id = 5001 AND at = '2024-01-15'");
            assertThat(count(app, "SELECT amount FROM ledger WHERE id = 5001")).as("the application role writes through the table")
                    .isEqualTo(7);
        }
        try (Connection connection = db.connection()) {
            PartitionReshape.cleanup(connection, TableName.of("ledger"), ConversionSpec.DEFAULT_OPTIONS, ConversionProgress.NONE);
            assertThat(leftovers(connection)).isEmpty();
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
