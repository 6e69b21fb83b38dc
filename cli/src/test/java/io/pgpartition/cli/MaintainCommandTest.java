package io.pgpartition.cli;

import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pgpartition maintain} and {@code pgpartition check} against a real database. */
@PostgresTest
class MaintainCommandTest {

    private static final String AT = "2026-11-21T10:15:00Z";

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(TestDatabase db, String... args) {
        return cli.run(db, args);
    }

    private static List<String> partitions(TestDatabase db, String table) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                     + "WHERE i.inhparent = '" + table + "'::regclass ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void dryRunPrintsTheScriptThenMaintainRunsItAndCheckTurnsGreen(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE claim_line_items (id bigint NOT NULL, service_date date NOT NULL) PARTITION BY RANGE (service_date)");
        String[] policy = {"--table", "claim_line_items", "--interval", "1 month", "--premake", "1",
                "--naming", "{table}_y{yyyy}m{MM}", "--lock-timeout", "3s", "--at", AT};

        assertThat(run(db, concat(new String[]{"check"}, policy))).as("check exit code before").isEqualTo(CheckCommand.PROBLEM);
        assertThat(out.toString()).isEqualTo("[HORIZON_SHORT] Table public.claim_line_items lacks 2 partitions its policy wants now: "
                + "claim_line_items_y2026m11, claim_line_items_y2026m12. Fix: run maintenance (pgpartition maintain, or "
                + "pgpartition.maintenance=apply).\n"
                + "[CRITICAL] No partition of public.claim_line_items holds the current time ('2026-11-21' in UTC) and it has "
                + "no default partition: inserting a current row fails. Fix: run maintenance (pgpartition maintain, or "
                + "pgpartition.maintenance=apply).\n");

        assertThat(run(db, concat(new String[]{"maintain", "--dry-run"}, policy))).as("dry run exit code").isZero();
        assertThat(out.toString()).startsWith("""
                -- pgpartition maintenance plan for 2026-11-21T10:15:00Z

                -- create public.claim_line_items_y2026m11 for [2026-11-01, 2026-12-01)
                BEGIN;
                SET LOCAL lock_timeout = '3000ms';
                CREATE TABLE "public"."claim_line_items_y2026m11" (LIKE "public"."claim_line_items" INCLUDING ALL EXCLUDING IDENTITY);
                ALTER TABLE "public"."claim_line_items" ATTACH PARTITION "public"."claim_line_items_y2026m11" FOR VALUES FROM ('2026-11-01') TO ('2026-12-01');
                COMMIT;
                """);
        assertThat(partitions(db, "claim_line_items")).as("a dry run changes nothing").isEmpty();

        assertThat(run(db, concat(new String[]{"maintain"}, policy))).as("maintain exit code").isZero();
        assertThat(out.toString()).isEqualTo("""
                create public.claim_line_items_y2026m11 for [2026-11-01, 2026-12-01)
                create public.claim_line_items_y2026m12 for [2026-12-01, 2027-01-01)
                """);
        assertThat(run(db, concat(new String[]{"maintain"}, policy))).isZero();
        assertThat(out.toString()).as("second run").isEqualTo("nothing to do\n");
        assertThat(run(db, concat(new String[]{"check"}, policy))).as("check exit code after").isZero();
        assertThat(out.toString()).isEqualTo("OK\n");
    }

    @Test
    void aPolicyThatCannotBeAppliedExitsOneSoThatACronJobAlarms(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE taken_items (id bigint NOT NULL, service_date date NOT NULL) PARTITION BY RANGE (service_date)",
                "CREATE TABLE taken_items_y2026m12 (id bigint)");
        String[] policy = {"--table", "taken_items", "--interval", "1 month", "--premake", "1",
                "--naming", "{table}_y{yyyy}m{MM}", "--at", AT};
        assertThat(run(db, concat(new String[]{"maintain"}, policy))).as("one partition made, one name taken").isEqualTo(1);
        assertThat(out.toString()).isEqualTo("create public.taken_items_y2026m11 for [2026-11-01, 2026-12-01)\n[NAME_TAKEN] Partition "
                + "public.taken_items_y2026m12 for [2026-12-01, 2027-01-01) is not created: a relation named public.taken_items_y2026m12 "
                + "already exists and is not a partition of public.taken_items. Fix: attach it yourself if it holds the right rows, or "
                + "rename or drop it.\n");
        assertThat(run(db, concat(new String[]{"maintain", "--dry-run"}, policy))).as("the plan says so too").isEqualTo(1);
        assertThat(partitions(db, "taken_items")).as("what could be done was done").containsExactly("taken_items_y2026m11");
    }

    @Test
    void maintenancePastTheYear9999PrintsAndRunsSqlTheServerTakes(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE far_items (id bigint NOT NULL, service_date date NOT NULL) PARTITION BY RANGE (service_date)");
        String[] policy = {"--table", "far_items", "--interval", "1 month", "--premake", "0",
                "--naming", "{table}_y{yyyy}m{MM}", "--at", "+10000-01-15T00:00:00Z"};
        assertThat(run(db, concat(new String[]{"maintain", "--dry-run"}, policy))).as("dry run").isZero();
        assertThat(out.toString()).contains("ATTACH PARTITION \"public\".\"far_items_y10000m01\" FOR VALUES FROM ('10000-01-01') "
                + "TO ('10000-02-01');");
        assertThat(run(db, concat(new String[]{"maintain"}, policy))).as("the server takes what the dry run printed").isZero();
        assertThat(out.toString()).isEqualTo("create public.far_items_y10000m01 for [10000-01-01, 10000-02-01)\n");
        assertThat(partitions(db, "far_items")).containsExactly("far_items_y10000m01");
        assertThat(run(db, concat(new String[]{"check"}, policy))).as("and check reads it back").isZero();
    }

    @Test
    void aTableWhoseBoundsCannotBeReadIsNotMaintainedAndTheRunExitsOne(TestDatabase db) {
        db.execute("CREATE TABLE nan_items (id bigint NOT NULL, amount numeric NOT NULL) PARTITION BY RANGE (amount)",
                "CREATE TABLE nan_items_low PARTITION OF nan_items FOR VALUES FROM (0) TO ('NaN')");
        assertThat(run(db, "maintain", "--table", "nan_items", "--interval", "100", "--naming", "{table}_p{value}", "--premake", "1",
                "--at", AT)).as("a policy it could not apply: %s", err).isEqualTo(1);
        assertThat(out.toString()).as("no 'nothing to do'").doesNotContain("nothing to do").startsWith("[UNREADABLE] Table public.nan_items "
                + "is not maintained: ");
    }

    @Test
    void checkFailsWhileADefaultPartitionHoldsRowsAndItsAdviceEmptiesIt(TestDatabase db) {
        db.execute("CREATE TABLE chat_messages (id bigint NOT NULL, created_at timestamp NOT NULL) PARTITION BY RANGE (created_at)",
                "CREATE TABLE chat_messages_default PARTITION OF chat_messages DEFAULT",
                "INSERT INTO chat_messages VALUES (1, '2027-05-01 10:00'), (2, '2029-02-02 02:00')");
        String[] policy = {"--table", "chat_messages", "--interval", "monthly", "--premake", "6", "--naming", "{table}_{yyyy}_{MM}",
                "--at", AT};
        assertThat(run(db, "check", "--table", "chat_messages", "--at", AT)).isEqualTo(CheckCommand.PROBLEM);
        assertThat(out.toString()).isEqualTo("[DEFAULT_HAS_ROWS] Default partition public.chat_messages_default of "
                + "public.chat_messages holds 2 rows: their keys have no partition of their own. Fix: run maintenance with the "
                + "default partition rescued (pgpartition maintain --rescue-default, or MaintenancePolicy.withDefaultRescued(true)), "
                + "which creates a partition for every period holding rows there and moves the rows into it.\n"
                + "[WARN] The current time ('2026-11-21 10:15:00') falls in the default partition public.chat_messages_default "
                + "of public.chat_messages: current rows land there. Fix: create a partition for the current period of "
                + "public.chat_messages (pgpartition maintain --table public.chat_messages --interval ..., or a "
                + "@RangePartitions policy on its entity with pgpartition.maintenance=apply).\n");
        assertThat(run(db, concat(new String[]{"maintain"}, policy))).isZero();
        assertThat(out.toString()).contains("create public.chat_messages_2027_05 for [2027-05-01T00:00, 2027-06-01T00:00), "
                + "moving its rows out of chat_messages_default (1 rows moved)\n");
        assertThat(run(db, concat(new String[]{"check"}, policy))).as("2029 is beyond the horizon: still a problem")
                .isEqualTo(CheckCommand.PROBLEM);
        assertThat(run(db, concat(new String[]{"maintain", "--rescue-default"}, policy))).isZero();
        assertThat(out.toString()).isEqualTo("create public.chat_messages_2029_02 for [2029-02-01T00:00, 2029-03-01T00:00), "
                + "moving its rows out of chat_messages_default (1 rows moved)\n");
        assertThat(run(db, concat(new String[]{"check"}, policy))).as("rescued").isZero();
        assertThat(run(db, "maintain", "--table", "chat_messages", "--list", "a=a", "--rescue-default")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pgpartition: --rescue-default applies to range policies (--interval). A list "
                + "table's default partition is emptied by declaring a partition for its values (--list NAME=VALUE)\n"
                + "Try 'pgpartition maintain --help' for more information.\n");
    }

    @Test
    void hostileOptionsGetClearErrorsAndChangeNothing(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE guarded (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)");
        assertThat(run(db, "maintain", "--table", "guarded", "--interval", "1 fortnight")).isEqualTo(2);
        assertThat(err.toString()).startsWith("pgpartition: Invalid --interval \"1 fortnight\": expected a positive count of days, weeks, "
                + "months, quarters or years such as '1 day'")
                .as("the error and one line pointing to the help, not the whole help")
                .endsWith("for a numeric key\nTry 'pgpartition maintain --help' for more information.\n");
        assertThat(run(db, "maintain", "--table", "guarded", "--interval", "1 month", "--on-expiry", "burn")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pgpartition: Invalid --on-expiry \"burn\": expected detach, drop, archive or columnar\n"
                + "Try 'pgpartition maintain --help' for more information.\n");
        assertThat(run(db, "maintain", "--table", "guarded", "--interval", "1 month", "--naming", "{table}_{yyyy")).isEqualTo(2);
        assertThat(err.toString()).startsWith("pgpartition: Invalid --naming \"{table}_{yyyy\": expected a '}' closing the '{' at position 8");
        assertThat(run(db, "maintain", "--table", "guarded", "--interval", "1 month", "--lock-timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).startsWith("pgpartition: Invalid --lock-timeout \"soon\": expected a duration such as 500ms, 2s, 5m, 1h, 1d or PT2S\n");
        assertThat(run(db, "maintain", "--table", "guarded", "--interval", "1 month", "--hash-modulus", "4")).isEqualTo(2);
        assertThat(err.toString()).startsWith("pgpartition: Give exactly one of --interval (range), --list (list) or --hash-modulus (hash)");
        assertThat(run(db, "maintain", "--table", "guarded", "--list", "guarded_a=a", "--default-partition")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pgpartition: --default-partition applies to range policies (--interval); a list "
                + "policy does not create one. For a list table, create it yourself: CREATE TABLE <table>_default PARTITION OF "
                + "<table> DEFAULT\nTry 'pgpartition maintain --help' for more information.\n");
        assertThat(run(db, "maintain", "--table", "guarded", "--interval", "1 month", "--naming",
                "{table}_a_very_long_partition_name_for_{yyyy}_{MM}_that_postgres_would_cut", "--at", AT)).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pgpartition: Partition name \"guarded_a_very_long_partition_name_for_2026_11_that_"
                + "postgres_would_cut\" of table public.guarded is 70 bytes; PostgreSQL cuts names at 63 bytes, so partitions "
                + "could collide. Nothing was changed. Fix: choose a shorter naming pattern than \"{table}_a_very_long_partition_"
                + "name_for_{yyyy}_{MM}_that_postgres_would_cut\" or a shorter table name.\n");
        assertThat(run(db, "maintain", "--table", "guarded'; DROP TABLE guarded; --", "--interval", "1 month", "--at", AT))
                .as("a missing table fails the run, so that a cron typo is noticed").isEqualTo(1);
        assertThat(out.toString()).isEqualTo("[TABLE_MISSING] Table guarded'; DROP TABLE guarded; -- does not exist. "
                + "Fix: create it partitioned by RANGE, or remove its maintenance policy.\n");
        assertThat(run(db, "maintain", "--table", "guarded'; DROP TABLE guarded; --", "--interval", "1 month", "--at", AT,
                "--dry-run")).as("and so does its dry run").isEqualTo(1);
        assertThat(partitions(db, "guarded")).as("nothing was created by any of these").isEmpty();
    }

    @Test
    void tablesMayBeNamedAsArgumentsOrWithTable(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE pos_a (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE pos_b (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)");
        assertThat(run(db, "maintain", "--interval", "1 month", "--premake", "0", "--naming", "{table}_{yyyy}_{MM}", "--at", AT)).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pgpartition: Missing TABLE: name the parent table(s), as arguments or with --table\n"
                + "Try 'pgpartition maintain --help' for more information.\n");

        assertThat(run(db, "maintain", "pos_a", "--interval", "1 month", "--premake", "0", "--naming", "{table}_{yyyy}_{MM}",
                "--at", AT, "-t", "pos_b")).as("one as an argument, one with -t").isZero();
        assertThat(partitions(db, "pos_a")).containsExactly("pos_a_2026_11");
        assertThat(partitions(db, "pos_b")).containsExactly("pos_b_2026_11");
        assertThat(run(db, "check", "pos_a", "pos_b", "--interval", "1 month", "--premake", "0", "--naming", "{table}_{yyyy}_{MM}",
                "--at", AT)).as("check takes them the same way").isZero();
        assertThat(run(db, "check", "pos_a", "--interval", "1 month", "--premake", "2", "--naming", "{table}_{yyyy}_{MM}",
                "--at", AT)).as("and checks the table named").isEqualTo(CheckCommand.PROBLEM);
        assertThat(run(db, "report", "pos_b")).isZero();
        assertThat(out.toString()).startsWith("public.pos_b  RANGE (at)").doesNotContain("pos_a");
        assertThat(run(db, "guard", "install", "pos_a", "--dry-run")).isZero();
        assertThat(out.toString()).contains("pos_a").doesNotContain("pos_b");
    }

    @Test
    void listAndHashPoliciesFromOptions(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE content_items_all (id bigint NOT NULL, source_type text NOT NULL) PARTITION BY LIST (source_type)",
                "CREATE TABLE event_impressions (id bigint NOT NULL) PARTITION BY HASH (id)");
        assertThat(run(db, "maintain", "-t", "content_items_all", "--list", "content_items=items", "--list", "{table}_auto=auto,bot")).isZero();
        assertThat(partitions(db, "content_items_all")).containsExactly("content_items", "content_items_all_auto");
        assertThat(run(db, "maintain", "-t", "event_impressions", "--hash-modulus", "2")).isZero();
        assertThat(partitions(db, "event_impressions")).containsExactly("event_impressions_h0", "event_impressions_h1");
    }

    @Test
    void helpDescribesEveryOption(TestDatabase db) {
        CommandLine commandLine = PgPartitionCommand.commandLine();
        StringWriter help = new StringWriter();
        commandLine.setOut(new PrintWriter(help, true));
        assertThat(commandLine.execute("maintain", "--help")).isZero();
        for (String option : List.of("--url", "--user", "--password", "--table", "--interval", "--premake", "--retention",
                "--on-expiry", "--naming", "--zone", "--default-partition", "--archive-schema", "--fill-gaps", "--rescue-default", "--list",
                "--hash-modulus", "--lock-timeout", "--attempts", "--at", "--dry-run", "Exit codes:")) {
            assertThat(help.toString()).as("maintain --help mentions " + option).contains(option);
        }
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    @Test
    void reportOfATableThatIsNotPartitionedFails(TestDatabase db) {
        db.execute("CREATE TABLE plain_orders (id int)",
                "CREATE TABLE shown (id int, at date) PARTITION BY RANGE (at)");
        assertThat(run(db, "report", "-t", "shown", "-t", "plain_orders", "-t", "nowhere")).isEqualTo(1);
        assertThat(out.toString()).as("the partitioned one is reported").contains("shown");
        assertThat(err.toString()).isEqualTo("pgpartition: public.plain_orders is not a partitioned table (table). Name a "
                + "partitioned table; pgpartition report lists them all.\n"
                + "pgpartition: nowhere does not exist in this database. Check the name and the schema (schema.table; a name holding "
                + "a dot in double quotes: -t 'public.\"my.table\"'); pgpartition report lists every partitioned table.\n");
    }

    @Test
    void checkFailsOnAGapInThePast(TestDatabase db) {
        db.execute("CREATE TABLE gapped (id int, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE gapped_p202609 PARTITION OF gapped FOR VALUES FROM ('2026-09-01') TO ('2026-10-01')",
                "CREATE TABLE gapped_p202611 PARTITION OF gapped FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')",
                "CREATE TABLE gapped_p202612 PARTITION OF gapped FOR VALUES FROM ('2026-12-01') TO ('2027-01-01')");
        assertThat(run(db, "check", "--table", "gapped", "--interval", "1 month", "--premake", "1", "--at", AT))
                .as("October has no partition").isEqualTo(CheckCommand.PROBLEM);
        assertThat(out.toString()).startsWith("[GAP] ");
    }

    @Test
    void checkSeesDefaultPartitionsBelowTheTopLevel(TestDatabase db) {
        db.execute("CREATE TABLE layered (id int, at date NOT NULL, region text NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE layered_2026 PARTITION OF layered FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (region)",
                "CREATE TABLE layered_2026_eu PARTITION OF layered_2026 FOR VALUES IN ('eu')",
                "CREATE TABLE layered_2026_rest PARTITION OF layered_2026 DEFAULT",
                "INSERT INTO layered VALUES (1, '2026-05-05', 'mars')");
        String rest = "[DEFAULT_HAS_ROWS] Default partition public.layered_2026_rest of public.layered_2026 holds 1 row: their "
                + "keys have no partition of their own (values 'mars'). Fix: declare a partition for those values (@ListPartition, "
                + "or pgpartition maintain --list NAME=VALUE,...) and run maintenance, which moves the rows into it.\n";
        assertThat(run(db, "check", "--table", "layered")).isEqualTo(CheckCommand.PROBLEM);
        assertThat(out.toString()).isEqualTo(rest);
        assertThat(run(db, "check", "--table", "layered", "--interval", "1 year", "--premake", "0", "--naming", "{table}_{yyyy}",
                "--at", AT)).as("with a policy too").isEqualTo(CheckCommand.PROBLEM);
        assertThat(out.toString()).as("which maintenance refuses for a sub-partitioned table").isEqualTo("[POLICY_MISMATCH] Table "
                + "public.layered is not maintained: its partition public.layered_2026 is partitioned by LIST (region), and maintenance "
                + "would create plain partitions beside it, changing the table's layout, and archive a partitioned partition without its "
                + "own partitions. Fix: create, detach and drop the partitions of public.layered yourself (each new one partitioned like "
                + "public.layered_2026), or remove its maintenance policy.\n" + rest);
    }

    @Test
    void checkHelpListsOnlyWhatCheckUses() {
        CommandLine commandLine = PgPartitionCommand.commandLine();
        StringWriter help = new StringWriter();
        commandLine.setOut(new PrintWriter(help, true));
        assertThat(commandLine.execute("check", "--help")).isZero();
        assertThat(help.toString()).as("check --help").contains("--interval", "--premake", "--naming", "--at", "Exit codes:")
                .doesNotContain("--retention", "--on-expiry", "--archive-schema", "--fill-gaps", "--rescue-default", "--lock-timeout",
                        "--attempts");
        assertThat(commandLine.getSubcommands().get("check").getCommandSpec().findOption("--lock-timeout"))
                .as("but accepts them, so that a cron line can share maintain's options").isNotNull();
    }
}
