package io.pgpartition.cli;

import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pgpartition check} as a monitor reads it: only the exit code. A name that cannot be checked is a problem
 * (exit 3) with one line saying why and what to name instead, never {@code OK}.
 */
@PostgresTest
class CheckCommandTest {

    private final CliRun cli = new CliRun();

    @BeforeAll
    static void tables(TestDatabase db) {
        db.execute("CREATE TABLE ck_events (id bigint, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE ck_events_all PARTITION OF ck_events FOR VALUES FROM (MINVALUE) TO (MAXVALUE)",
                "CREATE TABLE ck_plain (id bigint)",
                "CREATE VIEW ck_view AS SELECT * FROM ck_events",
                "CREATE SCHEMA ck_s",
                "CREATE TABLE ck_s.\"Mixed.Case\" (id bigint, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE ck_s.\"Mixed.Case_all\" PARTITION OF ck_s.\"Mixed.Case\" FOR VALUES FROM (MINVALUE) TO (MAXVALUE)",
                "CREATE TABLE ck_far (id bigint, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE ck_far_10000 PARTITION OF ck_far FOR VALUES FROM ('10000-01-01') TO ('10001-01-01')",
                "CREATE TABLE ck_far_default PARTITION OF ck_far DEFAULT",
                "INSERT INTO ck_far VALUES (1, '2024-01-01')");
    }

    @ParameterizedTest(name = "check -t {0}")
    @CsvSource(delimiterString = " => ", value = {
            "nosuch => [TABLE_MISSING] Table nosuch does not exist, so it is not checked. Fix: name a partitioned table as it "
                    + "is spelled in the database, schema-qualified where it is not on the search_path (a name holding a dot in double "
                    + "quotes: -t 'public.\"my.table\"'); pgpartition report lists them all.",
            "ck_plain => [TABLE_MISSING] Table public.ck_plain is a plain table, not a partitioned table, so there is "
                    + "nothing to check. Fix: name a partitioned table; pgpartition report lists them all.",
            "ck_view => [TABLE_MISSING] Table public.ck_view is a view, not a partitioned table, so there is nothing to "
                    + "check. Fix: name a partitioned table; pgpartition report lists them all.",
            "ck_events_all => [TABLE_MISSING] Table public.ck_events_all is a partition of public.ck_events, so "
                    + "it is not checked on its own. Fix: check its partitioned table: -t public.ck_events.",
            "pg_catalog.pg_class => [TABLE_MISSING] Table pg_catalog.pg_class is a plain table, not a partitioned "
                    + "table, so there is nothing to check. Fix: name a partitioned table; pgpartition report lists them all."})
    void aNameThatCannotBeCheckedIsAProblem(String table, String line, TestDatabase db) {
        assertThat(cli.run(db, "check", "-t", table)).as("exit code").isEqualTo(CheckCommand.PROBLEM);
        assertThat(cli.out.toString()).as("one line, no OK").isEqualTo(line + "\n");
    }

    @Test
    void oneBadNameAmongGoodOnesIsAProblemToo(TestDatabase db) {
        assertThat(cli.run(db, "check", "-t", "ck_events", "-t", "nosuch")).isEqualTo(CheckCommand.PROBLEM);
        assertThat(cli.out.toString()).startsWith("[TABLE_MISSING] Table nosuch does not exist").doesNotContain("OK");
        assertThat(cli.run(db, "check", "-t", "ck_events")).as("the good name alone").isZero();
        assertThat(cli.out.toString()).isEqualTo("OK\n");
    }

    @Test
    void aQuotedNameIsTheNameAsWritten(TestDatabase db) {
        assertThat(cli.run(db, "check", "-t", "ck_s.\"Mixed.Case\"")).as("a schema and a quoted name holding a dot").isZero();
        assertThat(cli.out.toString()).isEqualTo("OK\n");
        assertThat(cli.run(db, "check", "-t", "\"ck_s\".\"Mixed.Case\"")).isZero();
    }

    @Test
    void aTableWithBoundsPastTheYear9999IsReadAndItsDefaultPartitionChecked(TestDatabase db) {
        assertThat(cli.run(db, "check", "-t", "ck_far")).as("the default partition holds a row").isEqualTo(CheckCommand.PROBLEM);
        assertThat(cli.out.toString()).startsWith("[DEFAULT_HAS_ROWS] Default partition public.ck_far_default of public.ck_far holds 1 row").doesNotContain("UNREADABLE");
        assertThat(cli.run(db, "report", "-t", "ck_far")).isZero();
        assertThat(cli.out.toString()).startsWith("public.ck_far  RANGE (at)  1 partition + default  rows not analyzed")
                .contains("default partition holds 1 row", "ck_far_10000    FOR VALUES FROM ('10000-01-01') TO ('10001-01-01')")
                .doesNotContain("unreadable");
    }

    @Test
    void forcedGenericPlansAreAProblemWhoseFixRunsAsPrinted(TestDatabase db) throws java.sql.SQLException {
        String name;
        try (java.sql.Connection connection = db.connection()) {
            name = connection.getCatalog();
            connection.createStatement().execute("ALTER DATABASE \"" + name + "\" SET plan_cache_mode = force_generic_plan");
        }
        String fix = "ALTER DATABASE \"" + name + "\" RESET plan_cache_mode;";
        try {
            assertThat(cli.run(db, "check", "-t", "ck_events")).as("exit code").isEqualTo(CheckCommand.PROBLEM);
            assertThat(cli.out.toString()).isEqualTo("[GENERIC_PLANS_FORCED] plan_cache_mode is force_generic_plan, set for database "
                    + name + ", on a database with partitioned tables: every prepared statement is planned for all partitions and "
                    + "pruned only when it runs, many times slower than the custom plans PostgreSQL chooses by default; found "
                    + "force_generic_plan, expected auto. Fix: " + fix + "\n");
        } finally {
            db.execute(fix);
        }
        assertThat(cli.run(db, "check", "-t", "ck_events")).as("after the printed fix").isZero();
    }
}
