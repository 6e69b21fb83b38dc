package io.pgpartition.maintenance;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Policies recorded in the database for every runner, as an owner and as a role that may not create tables. */
@PostgresTest
class RecordedPoliciesTest {

    static final MaintenancePolicy CLAIMS = MaintenancePolicy.range(TableName.of("rp_claims"),
            RangePolicy.monthly().premake(2).naming("{table}_y{yyyy}m{MM}").retention("24 months").onExpiry(Expiry.ARCHIVE)
                    .defaultPartition(true).build()).withArchiveSchema("cold");

    @Test
    void recordedOnceReadBackAndReplacedWhenTheyChange(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE rp_claims (id bigint, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE rp_items (id bigint, kind text NOT NULL) PARTITION BY LIST (kind)",
                "CREATE SCHEMA rp_other", "CREATE TABLE rp_other.rp_sessions (id bigint NOT NULL) PARTITION BY HASH (id)");
        MaintenancePolicy items = MaintenancePolicy.list(TableName.of("rp_items"),
                new ListPolicy(List.of(new ListPartitionSpec("rp_items_books", List.of("book", "e-book")))));
        MaintenancePolicy sessions = MaintenancePolicy.hash(TableName.of("rp_other", "rp_sessions"),
                new HashPolicy(4, NamingPattern.parse("{table}_h{remainder}", "test", "naming"))).withGapsFilled(true);
        try (Connection connection = db.connection()) {
            RecordedPolicies.Outcome outcome = RecordedPolicies.record(connection, List.of(CLAIMS, items, sessions), "claims-service");

            assertThat(outcome.recorded()).containsExactly(TableName.of("public", "rp_claims"), TableName.of("public", "rp_items"),
                    TableName.of("rp_other", "rp_sessions"));
            assertThat(outcome.notRecorded()).isEmpty();
            List<RecordedPolicies.Recorded> all = RecordedPolicies.read(connection, List.of(TableName.of("rp_claims"),
                    TableName.of("rp_items"), TableName.of("rp_other", "rp_sessions")));
            assertThat(RecordedPolicies.read(connection, List.of())).extracting(RecordedPolicies.Recorded::table)
                    .as("every schema's policy table read when no table is named")
                    .contains(TableName.of("public", "rp_claims"), TableName.of("public", "rp_items"), TableName.of("rp_other", "rp_sessions"));
            assertThat(all).extracting(RecordedPolicies.Recorded::options).as("every schema's table, as maintain options")
                    .containsExactly(
                            List.of("--interval", "1 month", "--premake", "2", "--naming", "{table}_y{yyyy}m{MM}", "--default-partition",
                                    "--retention", "24 months", "--on-expiry", "archive", "--archive-schema", "cold"),
                            List.of("--list", "rp_items_books=book,e-book"),
                            List.of("--hash-modulus", "4", "--naming", "{table}_h{remainder}", "--fill-gaps"));
            assertThat(all.get(0).describe()).startsWith("public.rp_claims: --interval '1 month' --premake 2 --naming "
                    + "'{table}_y{yyyy}m{MM}' --default-partition --retention '24 months' --on-expiry archive --archive-schema cold "
                    + "(recorded by claims-service at ");
            assertThat(RecordedPolicies.read(connection, TableName.of("rp_claims"))).as("one table, found through the search path")
                    .hasValueSatisfying(recorded -> assertThat(recorded.table()).isEqualTo(TableName.of("public", "rp_claims")));
            assertThat(RecordedPolicies.read(connection, TableName.of("rp_nothing"))).isEmpty();

            java.time.OffsetDateTime first = all.get(0).recordedAt();
            RecordedPolicies.record(connection, List.of(CLAIMS), "claims-service");
            assertThat(RecordedPolicies.read(connection, TableName.of("rp_claims")).orElseThrow().recordedAt())
                    .as("the same policy again changes nothing").isEqualTo(first);
            RecordedPolicies.record(connection, List.of(MaintenancePolicy.range(TableName.of("rp_claims"),
                    RangePolicy.monthly().premake(6).build())), "claims-service v2");
            assertThat(RecordedPolicies.read(connection, TableName.of("rp_claims")).orElseThrow())
                    .satisfies(recorded -> assertThat(recorded.options()).contains("6"))
                    .satisfies(recorded -> assertThat(recorded.recordedBy()).isEqualTo("claims-service v2"));
        }
    }

    @Test
    void aRoleThatMayNotCreateTheTableIsToldTheStatementThatLetsItAndNothingFails(TestDatabase db) throws Exception {
        db.execute("CREATE SCHEMA rp_locked", "CREATE TABLE rp_locked.rp_claims (id bigint, at date NOT NULL) PARTITION BY RANGE (at)",
                "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rp_app') THEN CREATE ROLE rp_app; END IF; END $$",
                "GRANT USAGE ON SCHEMA rp_locked TO rp_app");
        MaintenancePolicy locked = MaintenancePolicy.range(TableName.of("rp_locked", "rp_claims"), RangePolicy.monthly().build());
        try (Connection connection = db.connection(); Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE rp_app");
            RecordedPolicies.Outcome outcome = RecordedPolicies.record(connection, List.of(locked), "app");

            assertThat(outcome.recorded()).isEmpty();
            assertThat(outcome.notRecorded()).containsExactly("rp_locked.rp_claims: role rp_app may not create "
                    + "rp_locked.pgpartition_policies. To record policies there, a database owner runs: CREATE TABLE "
                    + "\"rp_locked\".\"pgpartition_policies\" (table_name text PRIMARY KEY, options text[] NOT NULL, recorded_by text, "
                    + "recorded_at timestamptz NOT NULL DEFAULT now()); GRANT SELECT, INSERT, UPDATE ON "
                    + "\"rp_locked\".\"pgpartition_policies\" TO \"rp_app\"");
            statement.execute("RESET ROLE");
            String fix = outcome.notRecorded().get(0);
            statement.execute(fix.substring(fix.indexOf("runs: ") + 6));
            statement.execute("SET ROLE rp_app");
            assertThat(RecordedPolicies.record(connection, List.of(locked), "app").recorded()).as("after the printed statement")
                    .containsExactly(TableName.of("rp_locked", "rp_claims"));
            statement.execute("RESET ROLE");
        }
    }
}
