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
    void reportsTheNamedTables(TestDatabase db) {
        int exit = run(db, "report", "--table", "claims_production", "-t", "public.content_items_all");
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
