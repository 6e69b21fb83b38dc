package io.pgpartition.conversion;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.conversion.internal.Signature;
import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.catalog.internal.TableReader;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.pgpartition.conversion.TableConversionTest.Writers;
import static io.pgpartition.conversion.TableConversionTest.contents;
import static io.pgpartition.conversion.TableConversionTest.count;
import static io.pgpartition.conversion.TableConversionTest.events;
import static io.pgpartition.conversion.TableConversionTest.monthly;
import static io.pgpartition.conversion.TableConversionTest.strings;
import static io.pgpartition.conversion.TableConversionTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Conversion of the tables real databases have: an application role that is not the owner writing throughout, the
 * owner or a superuser converting, row-level security, rules, inheritance, user triggers, domain and enum keys,
 * deferrable constraints, long names, and a rollback that keeps every write. Each case compares full contents, and the
 * catalog of the table before and after, object by object ({@link Signature}).
 */
@PostgresTest
public class RealTablesConversionTest {

    private static final String PASSWORD = "pgp-test";

    /** A role of this test's own (roles are shared by the server's databases), created with LOGIN. */
    public static String loginRole(TestDatabase db, String suffix) {
        String role = (db.name() + "_" + suffix).toLowerCase();
        db.execute("DROP ROLE IF EXISTS " + role, "CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "'",
                "GRANT CONNECT, TEMPORARY ON DATABASE " + db.name() + " TO " + role, "GRANT USAGE, CREATE ON SCHEMA public TO " + role);
        return role;
    }

    /** A connection as {@code role}: the test database's URL without the user and password it may carry. */
    public static Connection as(TestDatabase db, String role) throws SQLException {
        String url = db.jdbcUrl().replaceAll("([?&])(user|password)=[^&]*&?", "$1").replaceAll("[?&]$", "");
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", role);
        properties.setProperty("password", PASSWORD);
        return DriverManager.getConnection(url, properties);
    }

    private static List<String> signature(Connection connection, String table) throws SQLException {
        return Signature.of(TableReader.read(connection, TableName.parse(table)).orElseThrow());
    }

    private static ConversionSpec byAt(String table) {
        return ConversionSpec.of(TableName.parse(table), "at", monthly(0, "{table}_p{yyyy}{MM}")).withBatchSize(500);
    }

    @Test
    void theApplicationRoleWritesThroughoutWhileASuperuserConvertsATableOfAnotherOwner(TestDatabase db) throws Exception {
        String owner = loginRole(db, "owner");
        String app = loginRole(db, "app");
        db.execute("CREATE DOMAIN public.event_id AS bigint CHECK (VALUE > 0)",
                "CREATE TYPE public.event_kind AS ENUM ('plain', 'loud')",
                "CREATE TABLE app_events (id public.event_id PRIMARY KEY, at timestamp NOT NULL, body text, "
                        + "kind public.event_kind NOT NULL DEFAULT 'plain', n bigserial)",
                "INSERT INTO app_events (id, at, body) SELECT g, timestamp '2024-01-01' + (g % 180) * interval '1 day', 'row ' || g "
                        + "FROM generate_series(1, 6000) g",
                "CREATE TABLE audit (n bigserial PRIMARY KEY, id bigint, op text)",
                "CREATE FUNCTION audit_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO audit (op) VALUES (TG_OP); RETURN NULL; END $$",
                "CREATE TRIGGER audit_write AFTER INSERT OR UPDATE OR DELETE ON app_events FOR EACH STATEMENT EXECUTE FUNCTION audit_write()",
                "ALTER TABLE app_events OWNER TO " + owner, "ALTER TABLE audit OWNER TO " + owner,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON app_events TO " + app, "GRANT INSERT ON audit TO " + app,
                "GRANT USAGE ON SEQUENCE audit_n_seq, app_events_n_seq TO " + app, "REVOKE UPDATE ON app_events FROM " + app,
                "GRANT UPDATE (at, body) ON app_events TO " + app);
        Map<Long, String> initial;
        List<String> before;
        try (Connection admin = db.connection()) {
            initial = contents(admin, "app_events");
            before = signature(admin, "app_events");
        }
        ConversionSpec spec = byAt("app_events");
        try (Connection admin = db.connection(); Writers writers = new Writers(() -> as(db, app), "app_events", initial, 2)) {
            writers.awaitMore(100);
            ConversionStatus swapped = new TableConversion(spec).run(admin, NOW, ConversionProgress.NONE);
            assertThat(swapped.phase()).isEqualTo(ConversionStatus.Phase.SWAPPED);
            writers.awaitMore(writers.writes.get() + 200);
            assertThat(Signature.difference(before, signature(admin, "app_events"))).as("only the primary key changed").containsExactly(
                    "+ constraint app_events_pkey PRIMARY KEY (id, at) comment ", "- constraint app_events_pkey PRIMARY KEY (id) comment ");
            assertThat(strings(admin, "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname IN ('app_events', "
                    + "'app_events_p202401', 'app_events_n_seq', 'app_events_pgp_log') ORDER BY relname")).as("everything the application "
                    + "touches is its owner's").containsOnly(owner);
            assertThat(strings(admin, "SELECT pg_get_serial_sequence('app_events', 'n')")).containsExactly("public.app_events_n_seq");

            new TableConversion(spec).rollback(admin);
            writers.awaitMore(writers.writes.get() + 200);
            assertThat(Signature.difference(before, signature(admin, "app_events"))).as("the rollback puts back every object").isEmpty();

            new TableConversion(spec).run(admin, NOW, ConversionProgress.NONE);
            writers.awaitMore(writers.writes.get() + 200);
            writers.close();
            assertThat(writers.errors.get()).as("the application role never saw an error: " + writers.firstErrors).isZero();
            assertThat(contents(admin, "app_events")).as("every write of the application, through two swaps and a rollback")
                    .isEqualTo(new TreeMap<>(writers.expected));
            assertThat(count(admin, "SELECT count(*) FROM audit")).as("the audit trigger fired once per statement, never twice")
                    .isEqualTo(writers.writes.get());
            new TableConversion(spec).cleanup(admin);
            assertThat(contents(admin, "app_events")).isEqualTo(new TreeMap<>(writers.expected));
        }
    }

    @Test
    void forceRowLevelSecurityIsRefusedToTheOwnerAndConvertedWholeByARoleThatBypassesIt(TestDatabase db) throws Exception {
        String owner = loginRole(db, "rls_owner");
        db.execute("CREATE SCHEMA tenants AUTHORIZATION " + owner, "CREATE TABLE tenants.tenant_rows (id bigint PRIMARY KEY, tenant int NOT NULL, at timestamp NOT NULL, body text)",
                "INSERT INTO tenants.tenant_rows SELECT g, g % 4, timestamp '2024-01-01' + (g % 120) * interval '1 day', 'row ' || g "
                        + "FROM generate_series(1, 8000) g",
                "ALTER TABLE tenants.tenant_rows ENABLE ROW LEVEL SECURITY", "ALTER TABLE tenants.tenant_rows FORCE ROW LEVEL SECURITY",
                "CREATE POLICY by_tenant ON tenants.tenant_rows USING (tenant = current_setting('app.tenant', true)::int)",
                "ALTER TABLE tenants.tenant_rows OWNER TO " + owner);
        ConversionSpec spec = byAt("tenants.tenant_rows");
        String blocker = "tenants.tenant_rows has FORCE ROW LEVEL SECURITY, so its policies apply to role " + owner + " too: the copy "
                + "and the verification would see only the rows the policies show. Fix: run the conversion as a role that bypasses "
                + "row-level security (ALTER ROLE \"" + owner + "\" BYPASSRLS, as a superuser) or as a superuser.";
        try (Connection asOwner = as(db, owner)) {
            ConversionAnalysis analysis = new TableConversion(spec).analyze(asOwner, NOW);
            assertThat(analysis.verdict()).isEqualTo(ConversionAnalysis.Verdict.BLOCKED);
            assertThat(analysis.blockers()).containsExactly(blocker);
            assertThatThrownBy(() -> new TableConversion(spec).run(asOwner, NOW, ConversionProgress.NONE))
                    .isInstanceOfSatisfying(PartitioningException.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.CONVERSION_BLOCKED))
                    .hasMessage("Cannot convert tenants.tenant_rows: " + blocker + " Nothing was changed.");
        }
        try (Connection admin = db.connection()) {
            assertThat(count(admin, "SELECT count(*) FROM pg_class WHERE relname IN ('tenant_rows_partitioned', 'tenant_rows_pgp_log')")).as("nothing was created").isZero();
            List<String> before = signature(admin, "tenants.tenant_rows");
            new TableConversion(spec).run(admin, NOW, ConversionProgress.NONE);
            new TableConversion(spec).cleanup(admin);
            assertThat(count(admin, "SELECT count(*) FROM tenants.tenant_rows")).as("every row, whatever the policy shows").isEqualTo(8000);
            assertThat(Signature.difference(before, signature(admin, "tenants.tenant_rows"))).as("FORCE and the policy are carried")
                    .containsExactly("+ constraint tenant_rows_pkey PRIMARY KEY (id, at) comment ",
                            "- constraint tenant_rows_pkey PRIMARY KEY (id) comment ");
        }
        try (Connection asOwner = as(db, owner); Statement statement = asOwner.createStatement()) {
            statement.execute("SET app.tenant = '1'");
            assertThat(count(asOwner, "SELECT count(*) FROM tenants.tenant_rows")).as("the owner still sees one tenant only").isEqualTo(2000);
        }
    }

    @Test
    void whatCannotBeCarriedIsABlockerNamedWithItsWayOut(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE parted (id bigint, at timestamp NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE parted_2024 PARTITION OF parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE base (id bigint PRIMARY KEY, at timestamp NOT NULL)",
                "CREATE TABLE derived_rows (extra text) INHERITS (base)",
                "CREATE UNLOGGED TABLE scratch (id bigint PRIMARY KEY, at timestamp NOT NULL)",
                "CREATE TABLE published (id bigint PRIMARY KEY, at timestamp NOT NULL)",
                "CREATE PUBLICATION pub_published FOR TABLE published",
                "CREATE TABLE typed (id bigint PRIMARY KEY, at timestamp NOT NULL)",
                "CREATE FUNCTION typed_label(t typed) RETURNS text LANGUAGE sql AS $$ SELECT t.id::text $$",
                "CREATE TABLE checked (id bigint PRIMARY KEY, at timestamp NOT NULL, CONSTRAINT positive CHECK (id > 0) NO INHERIT)",
                "CREATE TABLE parent_rows (id bigint PRIMARY KEY)",
                "CREATE TABLE loose (id bigint PRIMARY KEY, at timestamp NOT NULL, parent bigint)",
                "ALTER TABLE loose ADD CONSTRAINT loose_parent FOREIGN KEY (parent) REFERENCES parent_rows NOT VALID",
                "CREATE TABLE taken (id bigint PRIMARY KEY, at timestamp NOT NULL)", "CREATE TABLE taken_pkey_old (x int)");
        try (Connection connection = db.connection()) {
            assertThat(new TableConversion(byAt("parted_2024")).analyze(connection, NOW).blockers()).containsExactly(
                    "public.parted_2024 is a partition of public.parted: converting it would take its rows out of public.parted. Fix: "
                            + "reshape the partitions of public.parted instead, or detach it first: ALTER TABLE \"public\".\"parted\" "
                            + "DETACH PARTITION \"public\".\"parted_2024\".");
            assertThat(new TableConversion(byAt("base")).analyze(connection, NOW).blockers()).containsExactly(
                    "public.base is inherited by public.derived_rows: reading public.base reads their rows too, and a partitioned "
                            + "table cannot be inherited. Fix: ALTER TABLE \"public\".\"derived_rows\" NO INHERIT \"public\".\"base\" first.");
            assertThat(new TableConversion(byAt("derived_rows")).analyze(connection, NOW).blockers()).first().isEqualTo(
                    "public.derived_rows inherits from public.base, which reads its rows too; a partitioned table cannot inherit. Fix: "
                            + "ALTER TABLE \"public\".\"derived_rows\" NO INHERIT \"public\".\"base\" first.");
            assertThat(new TableConversion(byAt("scratch")).analyze(connection, NOW).blockers()).containsExactly(
                    "public.scratch is UNLOGGED, which a partitioned table cannot be on every supported PostgreSQL. Fix: ALTER TABLE "
                            + "\"public\".\"scratch\" SET LOGGED first.");
            assertThat(new TableConversion(byAt("published")).analyze(connection, NOW).blockers()).containsExactly(
                    "public.published is published by pub_published: after the swap the publication would go on publishing the "
                            + "original, and its subscribers would stop receiving changes. Fix: ALTER PUBLICATION \"pub_published\" DROP "
                            + "TABLE \"public\".\"published\" (or leave it out of a FOR ALL TABLES publication), convert, then publish "
                            + "the partitioned table with publish_via_partition_root = true.");
            assertThat(new TableConversion(byAt("typed")).analyze(connection, NOW).blockers()).containsExactly(
                    "function public.typed_label(public.typed) uses the row type of public.typed, which stays with the original table and would "
                            + "block its cleanup. Fix: change it to list the columns it needs, convert, then change it back.");
            assertThat(new TableConversion(byAt("checked")).analyze(connection, NOW).blockers()).containsExactly(
                    "Check constraint positive of public.checked is NO INHERIT (CHECK ((id > 0)) NO INHERIT), which a partitioned table "
                            + "cannot hold. Fix: ALTER TABLE \"public\".\"checked\" DROP CONSTRAINT \"positive\", then add it again without "
                            + "NO INHERIT.");
            List<String> loose = new TableConversion(byAt("loose")).analyze(connection, NOW).blockers();
            if (serverVersion(connection) < 180000) {
                assertThat(loose).containsExactly("Foreign key loose_parent of public.loose is NOT VALID, which a partitioned table "
                        + "cannot hold before PostgreSQL 18. Fix: ALTER TABLE \"public\".\"loose\" VALIDATE CONSTRAINT \"loose_parent\" "
                        + "first (or drop it).");
            } else {
                assertThat(loose).as("PostgreSQL 18 holds it").isEmpty();
            }
            assertThat(new TableConversion(byAt("taken")).analyze(connection, NOW).blockers()).containsExactly(
                    "A relation, function or statistics object named public.taken_pkey_old already exists, and the conversion needs "
                            + "that name. Fix: rename or drop it.");
            assertThatThrownBy(() -> new TableConversion(byAt("parted_2024")).run(connection, NOW, ConversionProgress.NONE))
                    .hasMessageStartingWith("Cannot convert public.parted_2024: public.parted_2024 is a partition of public.parted")
                    .hasMessageEndingWith(" Nothing was changed.");
            assertThat(count(connection, "SELECT count(*) FROM parted")).isZero();
            assertThat(count(connection, "SELECT count(*) FROM pg_class WHERE relname LIKE '%_partitioned'")).as("nothing created").isZero();
        }
    }

    private static int serverVersion(Connection connection) throws SQLException {
        return (int) count(connection, "SELECT current_setting('server_version_num')::int");
    }

    @Test
    void aRollbackNeverLosesAWriteMadeAfterTheSwapAndRefusesOneTheOriginalCannotTake(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, at timestamp NOT NULL)",
                "INSERT INTO members SELECT g, 'm' || g || '@example.org', timestamp '2024-01-01' + (g % 90) * interval '1 day' "
                        + "FROM generate_series(1, 3000) g");
        ConversionSpec spec = byAt("members");
        try (Connection connection = db.connection()) {
            List<String> before = signature(connection, "members");
            new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            db.execute("INSERT INTO members VALUES (5001, 'm1@example.org', '2024-02-15')",
                    "UPDATE members SET email = 'changed@example.org' WHERE id = 2",
                    "DELETE FROM members WHERE id = 3",
                    "SET session_replication_role = replica; INSERT INTO members VALUES (5002, 'replica@example.org', '2024-03-01'); "
                            + "RESET session_replication_role");
            assertThatThrownBy(() -> db.execute("TRUNCATE members_p202401")).as("a partition cannot be truncated until cleanup")
                    .hasMessageContaining("pgpartition: TRUNCATE of public.members_p202401 refused");
            Map<String, String> expected = emails(connection);
            assertThatThrownBy(() -> new TableConversion(spec).rollback(connection))
                    .isInstanceOfSatisfying(PartitioningException.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.CONVERSION_FAILED))
                    .hasMessageStartingWith("The rollback of the conversion of public.members stopped before swapping anything back: the "
                            + "original table public.members_old cannot take a row written since the swap: ERROR: duplicate key value "
                            + "violates unique constraint \"members_email_key_old\"")
                    .hasMessageContaining("Key (email)=(m1@example.org) already exists.")
                    .hasMessageEndingWith("Fix: change or delete that row of public.members and roll back again, or keep the "
                            + "partitioned table (pgpartition convert cleanup --confirm).");
            assertThat(new TableConversion(spec).status(connection).phase()).as("nothing swapped back").isEqualTo(ConversionStatus.Phase.SWAPPED);
            assertThat(emails(connection)).isEqualTo(expected);
            db.execute("UPDATE members SET email = 'other@example.org' WHERE id = 5001");
            expected.put("5001", "other@example.org");
            new TableConversion(spec).rollback(connection);
            assertThat(count(connection, "SELECT count(*) FROM pg_partitioned_table WHERE partrelid = 'members'::regclass")).isZero();
            assertThat(emails(connection)).as("every write since the swap, the replica one too").isEqualTo(expected);
            assertThat(Signature.difference(before, signature(connection, "members"))).isEmpty();
        }
    }

    private static Map<String, String> emails(Connection connection) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        for (String row : strings(connection, "SELECT id || '=' || email FROM members")) {
            rows.put(row.substring(0, row.indexOf('=')), row.substring(row.indexOf('=') + 1));
        }
        return rows;
    }

    @Test
    void rulesTriggersAndTheirEnabledStateMoveWithTheTable(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE notes (id bigint PRIMARY KEY, at timestamp NOT NULL, body text, deleted boolean NOT NULL DEFAULT false)",
                "INSERT INTO notes SELECT g, timestamp '2024-01-01' + (g % 60) * interval '1 day', 'note ' || g FROM generate_series(1, 600) g",
                "CREATE RULE soft_delete AS ON DELETE TO notes DO INSTEAD UPDATE notes SET deleted = true WHERE id = OLD.id",
                "CREATE TABLE note_audit (id bigint, op text)",
                "CREATE FUNCTION note_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO note_audit VALUES (COALESCE(NEW.id, OLD.id), TG_OP); RETURN NULL; END $$",
                "CREATE TRIGGER audited AFTER INSERT OR UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION note_audit()",
                "CREATE TRIGGER always_audited AFTER INSERT ON notes FOR EACH ROW EXECUTE FUNCTION note_audit()",
                "ALTER TABLE notes ENABLE ALWAYS TRIGGER always_audited",
                "CREATE TRIGGER switched_off AFTER UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION note_audit()",
                "ALTER TABLE notes DISABLE TRIGGER switched_off");
        ConversionSpec spec = byAt("notes");
        try (Connection connection = db.connection()) {
            List<String> before = signature(connection, "notes");
            new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            assertThat(Signature.difference(before, signature(connection, "notes"))).containsExactly(
                    "+ constraint notes_pkey PRIMARY KEY (id, at) comment ", "- constraint notes_pkey PRIMARY KEY (id) comment ");
            assertThat(count(connection, "SELECT count(*) FROM note_audit")).as("the copy fired no user trigger").isZero();
            db.execute("DELETE FROM notes WHERE id = 7", "INSERT INTO notes (id, at, body) VALUES (9001, '2024-01-05', 'new')");
            assertThat(count(connection, "SELECT count(*) FROM notes WHERE id = 7 AND deleted")).as("the rule still soft-deletes").isEqualTo(1);
            assertThat(strings(connection, "SELECT op || ' ' || id FROM note_audit ORDER BY op, id")).as("each trigger once per write")
                    .containsExactly("INSERT 9001", "INSERT 9001", "UPDATE 7");
            new TableConversion(spec).rollback(connection);
            assertThat(Signature.difference(before, signature(connection, "notes"))).isEmpty();
            db.execute("DELETE FROM notes WHERE id = 8");
            assertThat(count(connection, "SELECT count(*) FROM notes WHERE id IN (7, 8, 9001) AND (deleted OR id = 9001)")).isEqualTo(3);
            assertThat(count(connection, "SELECT count(*) FROM note_audit")).as("the rollback's replay fired no user trigger").isEqualTo(4);
        }
    }

    @Test
    void everyObjectOfTheTableIsCarriedExactlyAndComesBackAtTheRollback(TestDatabase db) throws SQLException {
        String reader = loginRole(db, "reader");
        String name = "orders_carried";
        String primaryKey = "orders_carried_primary_key_with_a_name_of_sixty_three_bytes_xyz";
        String index = "orders_carried_email_index_with_a_name_of_sixty_one_bytes_ab";
        int version;
        try (Connection connection = db.connection()) {
            version = serverVersion(connection);
        }
        String nullsNotDistinct = version >= 150000 ? "NULLS NOT DISTINCT " : "";
        db.execute("CREATE TABLE " + name + " (id bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY -2 MINVALUE -1000000 MAXVALUE 1000 "
                        + "START WITH 1000), at timestamp NOT NULL, email text, code text, qty int, "
                        + "CONSTRAINT " + primaryKey + " PRIMARY KEY (id) DEFERRABLE INITIALLY IMMEDIATE, "
                        + "CONSTRAINT code_once UNIQUE " + nullsNotDistinct + "(code) INCLUDE (qty))",
                "INSERT INTO " + name + " (at, email, code, qty) SELECT timestamp '2024-01-01' + (g % 90) * interval '1 day', "
                        + "'e' || g, 'c' || g, -g FROM generate_series(1, 1000) g",
                "UPDATE " + name + " SET qty = 1 WHERE id = 1000",
                "ALTER TABLE " + name + " ADD CONSTRAINT qty_negative CHECK (qty < 0) NOT VALID",
                "INSERT INTO " + name + " (at, email, code, qty) VALUES ('2024-01-03', 'z', NULL, NULL)",
                "COMMENT ON TABLE " + name + " IS 'orders'", "COMMENT ON COLUMN " + name + ".email IS 'who'",
                "COMMENT ON CONSTRAINT code_once ON " + name + " IS 'one per code'",
                "ALTER TABLE " + name + " ALTER COLUMN email SET STATISTICS 500",
                "CREATE INDEX " + index + " ON " + name + " (lower(email)) WHERE qty < 0",
                "COMMENT ON INDEX " + index + " IS 'by email'",
                "CREATE STATISTICS order_stats (ndistinct) ON email, code FROM " + name,
                "ALTER TABLE " + name + " SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.01)",
                "ALTER TABLE " + name + " REPLICA IDENTITY FULL",
                "GRANT SELECT (id, email), UPDATE (qty) ON " + name + " TO " + reader,
                "ALTER TABLE " + name + " ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY see_negative ON " + name + " FOR SELECT TO " + reader + " USING (qty < 0)",
                "CREATE VIEW order_view WITH (security_barrier = true) AS SELECT id, at, qty FROM " + name + " WHERE qty < -10 "
                        + "WITH LOCAL CHECK OPTION");
        ConversionSpec spec = ConversionSpec.of(TableName.of(name), "at", monthly(0, "{table}_{yyyy}{MM}"));
        try (Connection connection = db.connection()) {
            List<String> before = signature(connection, name);
            ConversionAnalysis analysis = new TableConversion(spec).analyze(connection, NOW);
            assertThat(analysis.blockers()).isEmpty();
            assertThat(analysis.carried()).contains("check constraint qty_negative (NOT VALID: added as it is at the swap, after the copy "
                    + "of rows it never checked)", "REPLICA IDENTITY FULL", "statistics public.order_stats",
                    "view public.order_view with (security_barrier=true, check_option=local) (re-pointed at the swap)",
                    "0 table grants and 3 column grants");
            new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            assertThat(Signature.difference(before, signature(connection, name))).as("only the uniqueness gains the key").containsExactly(
                    "+ constraint " + primaryKey + " PRIMARY KEY (id, at) DEFERRABLE comment ",
                    "+ constraint code_once UNIQUE " + nullsNotDistinct + "(code, at) INCLUDE (qty) comment one per code",
                    "- constraint " + primaryKey + " PRIMARY KEY (id) DEFERRABLE comment ",
                    "- constraint code_once UNIQUE " + nullsNotDistinct + "(code) INCLUDE (qty) comment one per code");
            assertThat(strings(connection, "INSERT INTO " + name + " (at, code, qty) VALUES ('2024-01-02', 'x1', -1) RETURNING id"))
                    .as("the identity goes on downwards from where it was").containsExactly("-1002");
            assertThatThrownBy(() -> db.execute("INSERT INTO order_view (at, qty) VALUES ('2024-01-05', -5)"))
                    .as("the view's check option is enforced").hasMessageContaining("new row violates check option for view \"order_view\"");
            assertThat(strings(connection, "SELECT c.relname || ' ' || array_to_string(c.reloptions, ',') || ' ' || c.relreplident::text FROM "
                    + "pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '" + name + "'::regclass ORDER BY 1"))
                    .as("each partition has the storage parameters and the replica identity").isNotEmpty().allMatch(row ->
                            row.endsWith(" fillfactor=80,autovacuum_vacuum_scale_factor=0.01 f"));
            new TableConversion(spec).rollback(connection);
            assertThat(Signature.difference(before, signature(connection, name))).as("everything is back").isEmpty();
            assertThat(strings(connection, "INSERT INTO " + name + " (at, code, qty) VALUES ('2024-01-02', 'x2', -1) RETURNING id"))
                    .as("the identity went back with its state (the refused insert through the view took -1004)").containsExactly("-1006");
        }
    }

    @Test
    void keysOfUuidAndBooleanAreAnalyzedAndAnotherLayoutCannotResumeAConversion(TestDatabase db) throws SQLException {
        db.execute("CREATE SCHEMA tokens_schema");
        db.execute("CREATE TABLE tokens_schema.tokens (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), active boolean NOT NULL, at timestamp NOT NULL)",
                "INSERT INTO tokens_schema.tokens (active, at) SELECT g % 2 = 0, timestamp '2024-01-01' + g * interval '1 hour' FROM generate_series(1, 200) g");
        try (Connection connection = db.connection()) {
            ConversionSpec byId = ConversionSpec.of(TableName.of("tokens_schema", "tokens"), "id", new HashPolicy(4, NamingPattern.parse("{table}_h{remainder}",
                    "test", "naming")));
            assertThat(new TableConversion(byId).analyze(connection, NOW).verdict()).isEqualTo(ConversionAnalysis.Verdict.SAFE);
            ConversionSpec byActive = ConversionSpec.of(TableName.of("tokens_schema", "tokens"), "active", new ListPolicy(List.of(
                    new ListPartitionSpec("tokens_on", List.of("true")), new ListPartitionSpec("tokens_off", List.of("false")))));
            ConversionAnalysis analysis = new TableConversion(byActive).analyze(connection, NOW);
            assertThat(analysis.blockers()).isEmpty();
            assertThat(analysis.rows()).isEqualTo(200);
            db.execute("CREATE TABLE tokens_schema.pgpartition_conversions (table_name text PRIMARY KEY, twin text NOT NULL, retired text NOT NULL, "
                    + "phase text NOT NULL, last_key text[], copy_until text[], rows_copied bigint NOT NULL DEFAULT 0, rows_total bigint "
                    + "NOT NULL DEFAULT 0, started_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(), "
                    + "definition text)");
            new TableConversion(byId.withBatchSize(50).withPause(Duration.ZERO)).run(connection, NOW, ConversionProgress.NONE);
            assertThatThrownBy(() -> new TableConversion(byActive).run(connection, NOW, ConversionProgress.NONE))
                    .hasMessage("The conversion of tokens_schema.tokens under way is hash(id) " + byId.policy() + ", not list(active) "
                            + byActive.policy() + ". Nothing was changed. Fix: run it with the layout it began with, or roll it back "
                            + "(pgpartition convert rollback) and start again.");
        }
    }

    @Test
    void aWriteThatBypassedTheLogAfterTheSwapStopsTheRollbackBeforeAnythingIsSwappedBack(TestDatabase db) throws SQLException {
        events(db, "bypassed", 500);
        ConversionSpec spec = byAt("bypassed");
        try (Connection connection = db.connection()) {
            new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            db.execute("ALTER TABLE bypassed DISABLE TRIGGER pgpartition_sync",
                    "INSERT INTO bypassed VALUES (9001, '2024-02-01', 'unlogged')",
                    "ALTER TABLE bypassed ENABLE ALWAYS TRIGGER pgpartition_sync");
            assertThatThrownBy(() -> new TableConversion(spec).rollback(connection))
                    .hasMessage("The rollback of the conversion of public.bypassed stopped before swapping anything back: "
                            + "public.bypassed_old holds 500 rows and public.bypassed 501, outside the writes logged since the swap. A "
                            + "write that bypassed the log trigger (disabled by hand, say) is the likely cause. Fix: keep the "
                            + "partitioned table (pgpartition convert cleanup --confirm), or bring public.bypassed_old up to date by "
                            + "hand and roll back again.");
            assertThat(new TableConversion(spec).status(connection).phase()).isEqualTo(ConversionStatus.Phase.SWAPPED);
            db.execute("INSERT INTO bypassed_old VALUES (9001, '2024-02-01', 'unlogged')");
            new TableConversion(spec).rollback(connection);
            assertThat(count(connection, "SELECT count(*) FROM bypassed")).isEqualTo(501);
        }
    }

    @Test
    void aKeyedForeignKeyOfAPartitionedTableIsABlockerBeforePostgres18(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE policies (id bigint, at date NOT NULL, PRIMARY KEY (id, at))",
                "CREATE TABLE policy_events (id bigint, policy_id bigint, policy_at date NOT NULL, PRIMARY KEY (id, policy_at), "
                        + "CONSTRAINT policy_events_policy FOREIGN KEY (policy_id, policy_at) REFERENCES policies (id, at)) "
                        + "PARTITION BY RANGE (policy_at)",
                "CREATE TABLE policy_events_all PARTITION OF policy_events DEFAULT");
        try (Connection connection = db.connection()) {
            List<String> blockers = new TableConversion(byAt("policies")).analyze(connection, NOW).blockers();
            if (serverVersion(connection) < 180000) {
                assertThat(blockers).containsExactly("Foreign key policy_events_policy of public.policy_events(policy_id, policy_at) is "
                        + "on a partitioned table: the swap re-points it NOT VALID under its lock, which PostgreSQL accepts on "
                        + "partitioned tables only from version 18. Fix: drop it (ALTER TABLE \"public\".\"policy_events\" DROP "
                        + "CONSTRAINT \"policy_events_policy\"), convert, then add it again.");
            } else {
                assertThat(blockers).isEmpty();
            }
        }
    }

    @Test
    void aForeignKeyValidationInterruptedAfterTheSwapIsDoneByTheNextRun(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE claims (id bigint, at date NOT NULL, PRIMARY KEY (id, at))",
                "CREATE TABLE claim_lines (id bigint PRIMARY KEY, claim_id bigint NOT NULL, claim_at date NOT NULL, "
                        + "CONSTRAINT claim_lines_claim FOREIGN KEY (claim_id, claim_at) REFERENCES claims (id, at))",
                "INSERT INTO claims SELECT g, date '2024-01-01' + g % 60 FROM generate_series(1, 500) g",
                "INSERT INTO claim_lines SELECT g, g, date '2024-01-01' + g % 60 FROM generate_series(1, 500) g");
        ConversionSpec spec = byAt("claims");
        try (Connection connection = db.connection()) {
            new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE);
            String validate = "ALTER TABLE \"public\".\"claim_lines\" VALIDATE CONSTRAINT \"claim_lines_claim\"";
            db.execute("ALTER TABLE claim_lines DROP CONSTRAINT claim_lines_claim",
                    "ALTER TABLE claim_lines ADD CONSTRAINT claim_lines_claim FOREIGN KEY (claim_id, claim_at) REFERENCES claims (id, at) "
                            + "NOT VALID",
                    "UPDATE pgpartition_conversions SET pending_validation = ARRAY['" + validate.replace("'", "''") + "'] "
                            + "WHERE table_name = 'claims'");
            List<String> steps = new java.util.ArrayList<>();
            new TableConversion(spec).run(connection, NOW, new ConversionProgress() {
                @Override
                public void step(String line) {
                    steps.add(line);
                }
            });
            assertThat(steps).as("the run after an interrupted validation does it").startsWith("after the swap: " + validate);
            assertThat(strings(connection, "SELECT convalidated FROM pg_constraint WHERE conname = 'claim_lines_claim'"))
                    .containsExactly("t");
            assertThat(strings(connection, "SELECT coalesce(array_length(pending_validation, 1), 0) FROM pgpartition_conversions "
                    + "WHERE table_name = 'claims'")).containsExactly("0");
            new TableConversion(spec).cleanup(connection);
        }
    }

    @Test
    void theSwapBehindALongReaderGivesUpCleanlyAndTheNextRunSwaps(TestDatabase db) throws Exception {
        Map<Long, String> initial = events(db, "read_events", 2000);
        ConversionSpec spec = ConversionSpec.of(TableName.of("read_events"), "at", monthly(0, "{table}.p{yyyy}\"{MM}"))
                .withOptions(ConversionSpec.of(TableName.of("x"), "at", monthly(0, "{table}_p{yyyy}{MM}")).options().withAttempts(2));
        assertThat(spec.options().lockTimeout()).as("the default keeps writers' stalls short").isEqualTo(Duration.ofMillis(200));
        try (Connection connection = db.connection(); Connection reader = db.connection()) {
            reader.setAutoCommit(false);
            count(reader, "SELECT count(*) FROM read_events");
            assertThatThrownBy(() -> new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE))
                    .hasMessageStartingWith("The swap of public.read_events could not take its lock within the lock timeout of 200 ms in 2 "
                            + "attempts: a long transaction holds public.read_events (see pg_stat_activity)");
            assertThat(new TableConversion(spec).status(connection).phase()).isEqualTo(ConversionStatus.Phase.VERIFIED);
            reader.commit();
            assertThat(new TableConversion(spec).run(connection, NOW, ConversionProgress.NONE).phase()).isEqualTo(ConversionStatus.Phase.SWAPPED);
            assertThat(contents(connection, "read_events")).isEqualTo(initial);
            assertThat(strings(connection, "SELECT relname FROM pg_class WHERE relname LIKE 'read_events.p%' ORDER BY 1")).first()
                    .isEqualTo("read_events.p2024\"01");
        }
    }
}
