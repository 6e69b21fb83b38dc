package io.pgpartition.cli;

import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pgpartition convert} against a real database. */
@PostgresTest
class ConvertCommandTest {

    private static final String AT = "2026-11-21T10:15:00Z";

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private static long count(TestDatabase db, String sql) throws Exception {
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void analyzePlanRunStatusCleanupOfSeed002sEventImpressions(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE event_impressions (id bigserial PRIMARY KEY, event_id bigint NOT NULL, "
                        + "created_at timestamptz NOT NULL DEFAULT now())",
                "INSERT INTO event_impressions (event_id, created_at) SELECT g % 7, timestamptz '2026-09-01 00:00+00' + g * interval "
                        + "'10 minutes' FROM generate_series(1, 2000) g");
        String[] how = {"--by", "range(created_at)", "--interval", "1 month", "--premake", "1", "--naming", "{table}_{yyyy}_{MM}",
                "--at", AT, "--batch-size", "500"};

        assertThat(cli.run(db, concat(new String[]{"convert", "analyze", "event_impressions"}, how))).isEqualTo(ConvertCommand.NOT_SAFE);
        assertThat(out.toString()).isEqualTo("""
                public.event_impressions: can be converted, with the changes below
                  change: primary key event_impressions_pkey (id) becomes (id, created_at): PostgreSQL enforces uniqueness per partition, so it must include created_at
                    ALTER TABLE "public"."event_impressions_partitioned" ADD CONSTRAINT "event_impressions_pkey_pgp" PRIMARY KEY (id, "created_at")
                  carried over: sequence public.event_impressions_id_seq of column id with its options and its next value
                  rows: 2000; keys from 2026-09-01 00:10:00+00 to 2026-09-14 21:20:00+00
                  partitions: 4 (event_impressions_2026_09 ... event_impressions_2026_12)
                """);
        assertThat(cli.run(db, concat(new String[]{"convert", "plan", "event_impressions"}, how))).isZero();
        assertThat(out.toString()).startsWith("-- 1. prepare (one transaction): the partitioned twin, its partitions, the change log and "
                + "the trigger that fills it\n"
                + "CREATE TABLE IF NOT EXISTS \"public\".\"pgpartition_conversions\"").contains("-- 4. swap", "ALTER SEQUENCE "
                + "\"public\".\"event_impressions_id_seq\" OWNED BY \"public\".\"event_impressions\".\"id\";");

        assertThat(cli.run(db, concat(new String[]{"convert", "run", "event_impressions"}, how))).isZero();
        assertThat(out.toString()).startsWith("prepared public.event_impressions_partitioned with 4 partitions, and the trigger logging "
                + "the changes of public.event_impressions\ncopied 500 of about 2,000 rows, ").contains("copied 2000 rows\nanalyzed "
                + "public.event_impressions_partitioned and its partitions, whose autovacuum waits for the swap\nreplayed 0 logged "
                + "changes\nverified 2000 rows in 4 partitions: counts and checksums match\nreplayed 0 logged changes\nswapped "
                + "public.event_impressions: writers stalled ").contains(" ms (from the lock request to the commit); the original is kept as "
                + "public.event_impressions_old, and every write is logged for a rollback until cleanup\n").endsWith("public."
                + "event_impressions: swapped; the original is kept as public.event_impressions_old and every write logged for a "
                + "rollback until cleanup (convert cleanup --confirm) or rollback (convert rollback)\n");
        db.execute("INSERT INTO event_impressions (event_id, created_at) VALUES (1, '2026-11-30 10:00+00')");
        assertThat(count(db, "SELECT max(id) FROM event_impressions")).as("the sequence goes on").isEqualTo(2001);

        assertThat(cli.run(db, "convert", "status", "event_impressions")).isZero();
        assertThat(out.toString()).startsWith("public.event_impressions: swapped;");
        assertThat(cli.run(db, "convert", "cleanup", "event_impressions")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("pgpartition: cleanup drops the original table event_impressions_old for good: add "
                + "--confirm once the partitioned table is validated\nTry 'pgpartition convert --help' for more information.\n");
        assertThat(cli.run(db, "convert", "cleanup", "event_impressions", "--confirm")).isZero();
        assertThat(count(db, "SELECT count(*) FROM pg_class WHERE relname = 'event_impressions_old'")).isZero();
        assertThat(count(db, "SELECT count(*) FROM event_impressions")).isEqualTo(2001);
        assertThat(cli.run(db, "convert", "status", "event_impressions")).isZero();
        assertThat(out.toString()).isEqualTo("public.event_impressions: no conversion recorded\n");
        assertThat(count(db, "SELECT count(*) FROM pg_class WHERE relname = 'pgpartition_conversions'"))
                .as("no conversion left: the state table is gone").isZero();
    }

    @Test
    void aRollbackLeavesNothingBehindAndTheStatusOfATableThatDoesNotExistIsAnError(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE rb_items (id bigint PRIMARY KEY, at date NOT NULL)",
                "INSERT INTO rb_items SELECT g, date '2026-09-01' + g FROM generate_series(1, 50) g");
        String[] how = {"--by", "range(at)", "--interval", "1 month", "--premake", "1", "--at", AT};
        assertThat(cli.run(db, concat(new String[]{"convert", "run", "rb_items"}, how))).isZero();
        assertThat(cli.run(db, "convert", "rollback", "rb_items")).isZero();
        assertThat(count(db, "SELECT count(*) FROM pg_class WHERE relname = 'pgpartition_conversions'"))
                .as("the only conversion rolled back: the state table is gone").isZero();
        assertThat(count(db, "SELECT count(*) FROM rb_items")).isEqualTo(50);

        assertThat(cli.run(db, "convert", "status", "nosuch")).as("a table that does not exist").isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pgpartition: table nosuch does not exist and no conversion of it is recorded. Check the "
                + "name and the schema (schema.table).\n");
        assertThat(cli.run(db, "convert", "status", "rb_items")).as("a table with no conversion").isZero();
        assertThat(out.toString()).isEqualTo("public.rb_items: no conversion recorded\n");
    }

    @Test
    void blockedTablesAndBadOptionsAreRefusedClearly(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE orders (id bigint PRIMARY KEY, created_at date NOT NULL)",
                "CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id))");
        assertThat(cli.run(db, "convert", "analyze", "orders", "--by", "range(created_at)", "--interval", "1 month"))
                .isEqualTo(ConvertCommand.NOT_SAFE);
        assertThat(out.toString()).startsWith("public.orders: blocked\n  blocked: public.orders is referenced by public.refunds(order_id)");
        assertThat(cli.run(db, "convert", "run", "orders", "--by", "range(created_at)", "--interval", "1 month")).isEqualTo(1);
        assertThat(err.toString()).startsWith("pgpartition: Cannot convert public.orders: public.orders is referenced by "
                + "public.refunds(order_id)").endsWith("Nothing was changed.\n");
        assertThat(cli.run(db, "convert", "run", "orders", "--by", "range(created_at)")).isEqualTo(2);
        assertThat(err.toString()).startsWith("pgpartition: Missing --interval: a range conversion needs the width of a partition");
        assertThat(cli.run(db, "convert", "run", "orders", "--by", "sideways(created_at)", "--interval", "1 month")).isEqualTo(2);
        assertThat(err.toString()).startsWith("pgpartition: Invalid --by \"sideways(created_at)\": expected range(column), list(column) "
                + "or hash(column)\n");
        assertThat(cli.run(db, "convert", "run", "orders", "--by", "range(created_at)", "--interval", "1 month", "--retention",
                "1 year")).isEqualTo(2);
        assertThat(err.toString()).startsWith("pgpartition: --retention does not apply to convert: retention is maintenance's");
        assertThat(cli.run(db, "convert", "rollback", "orders")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pgpartition: No conversion of public.orders is recorded in public.pgpartition_conversions: "
                + "there is nothing to roll back.\n");
    }

    @Test
    void analyzeWithoutAnIntervalProposesOneFromTheKeysPresent(TestDatabase db) throws Exception {
        db.execute("CREATE TABLE page_views (id bigint PRIMARY KEY, viewed_at timestamptz NOT NULL, counter bigint NOT NULL)",
                "INSERT INTO page_views SELECT g, timestamptz '2026-11-01 00:00+00' + g * interval '10 minutes', g * 37 "
                        + "FROM generate_series(1, 2000) g");
        assertThat(cli.run(db, "convert", "analyze", "page_views", "--by", "range(viewed_at)", "--at", AT))
                .isEqualTo(ConvertCommand.NOT_SAFE);
        assertThat(out.toString()).startsWith("No --interval given: analyzed with --interval '1 day', proposed from the keys present "
                + "(what blocks does not depend on it; the partitions do).\npublic.page_views: can be converted, with the changes below\n")
                .contains("  partitions: 24 (page_views_p20261101 ... page_views_p20261124)\n");
        assertThat(cli.run(db, "convert", "analyze", "page_views", "--by", "range(counter)", "--at", AT))
                .isEqualTo(ConvertCommand.NOT_SAFE);
        assertThat(out.toString()).startsWith("No --interval given: analyzed with --interval '2000' --naming '{table}_p{value}', proposed from the "
                + "keys present");
        assertThat(cli.run(db, "convert", "run", "page_views", "--by", "range(viewed_at)")).as("run still needs it").isEqualTo(2);
        assertThat(err.toString()).startsWith("pgpartition: Missing --interval: a range conversion needs the width of a partition");
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
