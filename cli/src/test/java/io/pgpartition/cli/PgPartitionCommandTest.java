package io.pgpartition.cli;

import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@PostgresTest
class PgPartitionCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void createSeedTables(TestDatabase db) {
        db.execute(SeedSchema.statements().toArray(String[]::new));
    }

    private int run(TestDatabase db, String... args) {
        CommandLine commandLine = PgPartitionCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        if (db != null) {
            all.add("--url");
            all.add(CliRun.url(db));
            if (db.user() != null) {
                all.add("--user");
                all.add(db.user());
            }
        }
        return commandLine.execute(all.toArray(String[]::new));
    }

    @Test
    void reportsTheNamedTablesAsText(TestDatabase db) {
        int exit = run(db, "report", "--table", "claims_production", "-t", "public.content_items_all");
        assertThat(exit).as("exit code").isZero();
        assertThat(out.toString()).as("partitions, rows and sizes of the two tables").isEqualTo("""
                public.claims_production  RANGE (service_from_date)  3 partitions  rows not analyzed  24.0 kB  ahead until '2029-01-01'
                  partition                bound                                             ~rows    size  indexes  toast
                  claims_production_y2026  FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')      -  8.0 kB   8.0 kB    0 B
                  claims_production_y2027  FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')      -  8.0 kB   8.0 kB    0 B
                  claims_production_y2028  FOR VALUES FROM ('2028-01-01') TO ('2029-01-01')      -  8.0 kB   8.0 kB    0 B

                public.content_items_all  LIST (source_type)  2 partitions  rows not analyzed  32.0 kB
                  partition           bound                    ~rows     size  indexes   toast
                  content_items       FOR VALUES IN ('items')      -  16.0 kB   8.0 kB  8.0 kB
                  content_items_auto  FOR VALUES IN ('auto')       -  16.0 kB   8.0 kB  8.0 kB
                """);
    }

    @Test
    void writesJsonAndHtmlToAFile(TestDatabase db, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path json = dir.resolve("report.json");
        java.nio.file.Path html = dir.resolve("report.html");

        assertThat(run(db, "report", "-t", "chat_messages", "--format", "json", "--output", json.toString(), "--exact")).isZero();
        assertThat(out.toString()).isEqualTo("Report written to " + json.toAbsolutePath() + "\n");
        assertThat(run(db, "report", "-t", "chat_messages", "--format", "html", "-o", html.toString())).isZero();

        String written = java.nio.file.Files.readString(json);
        assertThat(written).startsWith("{\"format\":\"pgpartition-report/1\",").endsWith("}\n")
                .contains("\"table\":{\"schema\":\"public\",\"name\":\"chat_messages\"}").contains("\"exactRows\":0");
        String page = java.nio.file.Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<script type=\"application/json\" id=\"report\">{\"format\"");
        assertThat(page.replace("'http://www.w3.org/2000/svg'", "")).as("no request leaves the page: the SVG namespace is "
                + "the only URL in it").doesNotContain("http:", "https:", "src=", "href=", "@import", "url(");
    }

    @Test
    void aReportThatCannotBeWrittenSaysSoInOneLineAndWritesNothing(TestDatabase db, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertThat(run(db, "report", "-t", "chat_messages", "--output", dir.toString())).as("a directory").isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pgpartition: cannot write the report to " + dir + ": it is a directory. Name a file in "
                + "it: --output " + dir.resolve("report.html") + "\n");
        err.getBuffer().setLength(0);
        java.nio.file.Path missing = dir.resolve("no/such/dir/report.html");
        assertThat(run(db, "report", "-t", "chat_messages", "--output", missing.toString())).as("a missing directory").isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pgpartition: cannot write the report to " + missing + ": directory " + missing.getParent()
                + " does not exist. Create it first (mkdir -p " + missing.getParent() + "), or name a file in a directory that exists.\n");
        assertThat(dir.resolve("no")).as("no directory was created").doesNotExist();
        assertThat(out.toString()).as("nothing printed").isEmpty();
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/dev/full"))) {
            err.getBuffer().setLength(0);
            assertThat(run(db, "report", "-t", "chat_messages", "--output", "/dev/full")).as("a full device").isEqualTo(1);
            assertThat(err.toString()).as("one line, no stack trace").isEqualTo("pgpartition: cannot write the report to /dev/full: "
                    + "No space left on device. Nothing was written; name another file with --output.\n");
        }
    }

    @Test
    void aPartitionNamedForAReportIsRefusedWithItsParentsName(TestDatabase db) {
        assertThat(run(db, "report", "-t", "chat_messages_2024_q1")).isEqualTo(1);
        assertThat(out.toString()).as("the parent's report is not printed in its place").isEmpty();
        assertThat(err.toString()).startsWith("pgpartition: public.chat_messages_2024_q1 is a partition of public.chat_messages, "
                + "which the report shows with its partitions. Name its partitioned table: -t public.chat_messages\n");
    }

    @Test
    void reportsTheNamedTablesAsLayout(TestDatabase db) {
        int exit = run(db, "report", "--format", "layout", "--table", "claims_production", "-t", "public.content_items_all");
        assertThat(exit).as("exit code").isZero();
        assertThat(out.toString()).as("the layout of the two tables").isEqualTo("""
                public.claims_production  RANGE (service_from_date)  3 partitions
                  primary key (id, service_from_date)
                  referenced by public.claim_line_items (claim_id, claim_service_from_date)
                  claims_production_y2026  FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')
                  claims_production_y2027  FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')
                  claims_production_y2028  FOR VALUES FROM ('2028-01-01') TO ('2029-01-01')

                public.content_items_all  LIST (source_type)  2 partitions
                  primary key (id, source_type)
                  content_items       FOR VALUES IN ('items')
                  content_items_auto  FOR VALUES IN ('auto')
                """);
    }

    @Test
    void reportsEveryPartitionedTableByDefault(TestDatabase db) {
        assertThat(run(db, "report")).as("exit code").isZero();
        assertThat(out.toString().lines().filter(line -> line.startsWith("public.")).map(line -> line.substring(0, line.indexOf(' '))))
                .as("one section per seed partitioned table")
                .containsExactly("public.chat_messages", "public.chat_sessions", "public.claim_line_items", "public.claims_production",
                        "public.content_items_all", "public.credit_transactions", "public.event_impressions", "public.generated_images");
    }

    @Test
    void databaseErrorsAreOneLineAndExitCodeOne() {
        int exit = run(null, "report", "--url", "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=2");
        assertThat(exit).as("exit code").isEqualTo(1);
        assertThat(err.toString()).as("the driver's message, no stack trace")
                .startsWith("pgpartition: Connection to 127.0.0.1:1 refused.")
                .doesNotContain("\tat ");
    }

    @Test
    void usageErrorsExitTwoAndHelpIsComplete() {
        assertThat(run(null, "report")).as("missing --url").isEqualTo(2);
        assertThat(err.toString()).as("names the missing option").contains("Missing required option: '--url=JDBC_URL'");
        assertThat(run(null, "help", "report")).as("help").isZero();
        assertThat(out.toString()).as("help lists every option")
                .contains("--url=JDBC_URL", "-U, --user=USER", "-W, --password", "-t, --table=TABLE", "PGPASSWORD");
        assertThat(run(null)).as("no command").isEqualTo(2);
    }
}
