package io.pgpartition.cli;

import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pgpartition repartition} against a real database, on seed 004's claim line items. */
@PostgresTest
class RepartitionCommandTest {

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private static List<String> strings(TestDatabase db, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static List<String> partitions(TestDatabase db, String table) throws Exception {
        return strings(db, "SELECT c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c "
                + "ON c.oid = i.inhrelid WHERE i.inhparent = '" + table + "'::regclass ORDER BY c.relname COLLATE \"C\"");
    }

    @Test
    void mergesAQuarterSplitsAMonthAndDrainsTheDefaultPartition(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE claim_line_items (id bigint NOT NULL, claim_id bigint NOT NULL, service_date date NOT NULL, "
                        + "amount numeric(12,2), PRIMARY KEY (id, service_date)) PARTITION BY RANGE (service_date)",
                "CREATE TABLE claim_line_items_p20260101 PARTITION OF claim_line_items FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')",
                "CREATE TABLE claim_line_items_p20260201 PARTITION OF claim_line_items FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')",
                "CREATE TABLE claim_line_items_p20260301 PARTITION OF claim_line_items FOR VALUES FROM ('2026-03-01') TO ('2026-04-01')",
                "CREATE TABLE claim_line_items_p20260401 PARTITION OF claim_line_items FOR VALUES FROM ('2026-04-01') TO ('2026-05-01')",
                "CREATE TABLE claim_line_items_default PARTITION OF claim_line_items DEFAULT",
                "INSERT INTO claim_line_items SELECT g, g / 3, date '2026-01-01' + (g % 210), g FROM generate_series(1, 4200) g");
        List<String> quarter = List.of("repartition", "merge", "claim_line_items", "claim_line_items_p20260101",
                "claim_line_items_p20260201", "claim_line_items_p20260301", "--name", "claim_line_items_2026q1", "--batch-size", "1000");

        List<String> dryRun = new ArrayList<>(quarter);
        dryRun.add("--dry-run");
        assertThat(cli.run(db, dryRun.toArray(String[]::new))).isZero();
        assertThat(out.toString()).startsWith("-- merge public.claim_line_items_p20260101, public.claim_line_items_p20260201, "
                        + "public.claim_line_items_p20260301 into public.claim_line_items_2026q1\n\n"
                        + "-- 1. prepare (one transaction): the new partitions as tables beside public.claim_line_items, each with a CHECK "
                        + "of its bound, and the change log\nCREATE TABLE IF NOT EXISTS \"public\".\"pgpartition_reshapes\"")
                .contains("CREATE TABLE \"public\".\"claim_line_items_2026q1\" (LIKE \"public\".\"claim_line_items\" INCLUDING ALL "
                        + "EXCLUDING IDENTITY, CONSTRAINT \"pgpartition_bound\" CHECK (\"service_date\" IS NOT NULL AND \"service_date\" >= "
                        + "'2026-01-01' AND \"service_date\" < '2026-04-01'));\n")
                .contains("ALTER TABLE \"public\".\"claim_line_items_default\" ADD CONSTRAINT \"pgpartition_reshape_excluded\" CHECK "
                        + "(NOT (\"service_date\" IS NOT NULL AND \"service_date\" >= '2026-01-01' AND \"service_date\" < '2026-04-01')) "
                        + "NOT VALID;\n")
                .contains("-- 6. swap (one transaction, ACCESS EXCLUSIVE on public.claim_line_items, lock_timeout 200 ms, retried)\n"
                        + "LOCK TABLE \"public\".\"claim_line_items\", \"public\".\"claim_line_items_2026q1\" IN ACCESS EXCLUSIVE MODE;\n");
        assertThat(strings(db, "SELECT relname FROM pg_class WHERE relname = 'claim_line_items_2026q1' OR relname = 'pgpartition_reshapes'"))
                .as("a dry run changes nothing").isEmpty();

        assertThat(cli.run(db, quarter.toArray(String[]::new))).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("prepared 1 new partition beside public.claim_line_items for: merge "
                        + "public.claim_line_items_p20260101, public.claim_line_items_p20260201, public.claim_line_items_p20260301 into "
                        + "public.claim_line_items_2026q1\ncarried over: indexes, constraints and defaults of public.claim_line_items (LIKE, "
                        + "and its foreign keys added before the rows arrive, so that the attach checks nothing again); autovacuum stays off the new partitions until the swap\nlogging the writes "
                        + "of public.claim_line_items_p20260101, public.claim_line_items_p20260201, public.claim_line_items_p20260301 "
                        + "(writers waited ")
                .contains("proved public.claim_line_items_default holds none of the replaced range (CHECK pgpartition_reshape_excluded, "
                        + "validated)\ncopied 620 of about 1,800 rows, ")
                .contains("copied 1800 rows\nreplayed 0 logged changes\nverified 1800 rows in 1 partition: counts and checksums match\n"
                        + "replayed 0 logged changes\nswapped public.claim_line_items: 1 partition attached in place of 3, no partition "
                        + "scanned (their CHECKs proved the bounds); writers stalled ")
                .endsWith("the replaced partitions are kept as public.claim_line_items_p20260101, public.claim_line_items_p20260201, "
                        + "public.claim_line_items_p20260301 for a rollback until cleanup\npublic.claim_line_items: merge "
                        + "public.claim_line_items_p20260101, public.claim_line_items_p20260201, public.claim_line_items_p20260301 into "
                        + "public.claim_line_items_2026q1 — swapped; the replaced partitions are kept for a rollback until cleanup\n"
                        + "next: check the new partitions, then pgpartition repartition cleanup claim_line_items --confirm (or rollback)\n");

        assertThat(cli.run(db, "repartition", "split", "claim_line_items", "claim_line_items_p20260401", "--interval", "1 day"))
                .as("one reshape at a time").isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pgpartition: Another reshape of public.claim_line_items is under way: "
                + "public.claim_line_items: merge public.claim_line_items_p20260101, public.claim_line_items_p20260201, "
                + "public.claim_line_items_p20260301 into public.claim_line_items_2026q1 — swapped; the replaced partitions are kept for "
                + "a rollback until cleanup. Nothing was changed. Fix: finish it (pgpartition repartition merge public.claim_line_items "
                + "claim_line_items_p20260101 claim_line_items_p20260201 claim_line_items_p20260301 --name claim_line_items_2026q1) or "
                + "roll it back (pgpartition repartition rollback public.claim_line_items), then run this one.\n");
        assertThat(cli.run(db, "repartition", "cleanup", "claim_line_items")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pgpartition: cleanup drops the partitions the reshape replaced for good: add --confirm "
                + "once the new ones are trusted\nTry 'pgpartition repartition --help' for more information.\n");
        assertThat(cli.run(db, "repartition", "cleanup", "claim_line_items", "--confirm")).isZero();
        assertThat(cli.run(db, "repartition", "status", "claim_line_items")).isZero();
        assertThat(out.toString()).isEqualTo("public.claim_line_items: no reshape recorded\n");

        assertThat(cli.run(db, "repartition", "split", "claim_line_items", "claim_line_items_p20260401", "--interval", "1 week"))
                .as("April does not begin on a Monday").isEqualTo(1);
        assertThat(cli.run(db, "repartition", "split", "claim_line_items", "claim_line_items_p20260401", "--interval", "1 day")).isZero();
        assertThat(cli.run(db, "repartition", "cleanup", "claim_line_items", "--confirm")).isZero();

        assertThat(cli.run(db, "repartition", "drain", "claim_line_items")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("no --interval: drained by the width of most of its partitions, --interval '1 day'\n");
        assertThat(cli.run(db, "repartition", "rollback", "claim_line_items")).isZero();
        assertThat(out.toString()).as("rolled back after its swap").contains("verified ").contains("rolled back public.claim_line_items: "
                + "public.claim_line_items_default attached again, writers stalled ");
        assertThat(cli.run(db, "repartition", "drain", "claim_line_items", "--interval", "1 month")).as(err.toString()).isZero();
        assertThat(cli.run(db, "repartition", "cleanup", "claim_line_items", "--confirm")).isZero();
        assertThat(partitions(db, "claim_line_items")).as("a quarter, April's days, May to July as months, the default (empty)")
                .hasSize(1 + 30 + 3 + 1)
                .startsWith("claim_line_items_2026q1 FOR VALUES FROM ('2026-01-01') TO ('2026-04-01')",
                        "claim_line_items_default DEFAULT",
                        "claim_line_items_p20260401 FOR VALUES FROM ('2026-04-01') TO ('2026-04-02')")
                .endsWith("claim_line_items_p20260501 FOR VALUES FROM ('2026-05-01') TO ('2026-06-01')",
                        "claim_line_items_p20260601 FOR VALUES FROM ('2026-06-01') TO ('2026-07-01')",
                        "claim_line_items_p20260701 FOR VALUES FROM ('2026-07-01') TO ('2026-08-01')");
        assertThat(strings(db, "SELECT count(*) || ' ' || sum(id) FROM claim_line_items")).as("every row kept").containsExactly(
                "4200 " + 4200L * 4201 / 2);
        assertThat(strings(db, "SELECT count(*) FROM ONLY claim_line_items_default")).containsExactly("0");
    }

    @Test
    void archivesOldMonthsIntoQuartersByAge(TestDatabase db) throws Exception {
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE metrics (id bigint NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)");
        for (int m = 1; m <= 12; m++) {
            ddl.add(String.format("CREATE TABLE metrics_p2024%02d01 PARTITION OF metrics FOR VALUES FROM ('2024-%02d-01') TO ('%s')", m, m,
                    m == 12 ? "2025-01-01" : String.format("2024-%02d-01", m + 1)));
        }
        ddl.add("CREATE TABLE metrics_p20250101 PARTITION OF metrics FOR VALUES FROM ('2025-01-01') TO ('2025-02-01')");
        ddl.add("INSERT INTO metrics SELECT g, date '2024-01-01' + (g % 396) FROM generate_series(1, 3000) g");
        db.execute(ddl.toArray(String[]::new));

        assertThat(cli.run(db, "repartition", "merge", "metrics", "--older-than", "3 months", "--into", "3 months")).as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("public.metrics: merge public.metrics_p20240101, public.metrics_p20240201, "
                + "public.metrics_p20240301 into public.metrics_p20240101 — swapped;", "public.metrics: merge public.metrics_p20241001, "
                + "public.metrics_p20241101, public.metrics_p20241201 into public.metrics_p20241001 — swapped;");
        assertThat(partitions(db, "metrics")).as("2024 in quarters, taking their first month's name; January 2025 alone").containsExactly(
                "metrics_p20240101 FOR VALUES FROM ('2024-01-01') TO ('2024-04-01')",
                "metrics_p20240401 FOR VALUES FROM ('2024-04-01') TO ('2024-07-01')",
                "metrics_p20240701 FOR VALUES FROM ('2024-07-01') TO ('2024-10-01')",
                "metrics_p20241001 FOR VALUES FROM ('2024-10-01') TO ('2025-01-01')",
                "metrics_p20250101 FOR VALUES FROM ('2025-01-01') TO ('2025-02-01')");
        assertThat(strings(db, "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'metrics_p20240101'::regclass"))
                .as("the quarter's index took its name too").containsExactly("metrics_p20240101_pkey");
        assertThat(strings(db, "SELECT count(*) || ' ' || sum(id) FROM metrics")).containsExactly("3000 " + 3000L * 3001 / 2);
        assertThat(cli.run(db, "repartition", "merge", "metrics", "--older-than", "3 months", "--into", "3 months")).isZero();
        assertThat(out.toString()).isEqualTo("metrics: no period of 3 months that ended 3 months ago or more has two or more "
                + "partitions tiling it: nothing to merge\n");
    }
}
