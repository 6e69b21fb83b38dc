package io.pgpartition.demo;

import io.pgpartition.test.postgres.PostgresServer;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's tour on a real PostgreSQL: what it prints is what happened. */
class DemoApplicationTest {

    static String primaryKey(TestDatabase database) throws java.sql.SQLException {
        try (java.sql.Connection connection = database.connection(); java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rs = statement.executeQuery("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                     + "WHERE conrelid = 'chat_messages'::regclass AND contype = 'p'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theTourShowsRoutingTheGuardHealthAndGauges() throws java.sql.SQLException {
        DateTimeFormatter month = DateTimeFormatter.ofPattern("yyyyMM");
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (TestDatabase database = PostgresServer.shared().createDatabase("demo");
             ConfigurableApplicationContext context = new SpringApplicationBuilder(DemoApplication.class)
                     .properties("spring.datasource.url=" + database.jdbcUrl(), "spring.datasource.username=" + database.user(),
                             "spring.datasource.password=" + (database.password() == null ? "" : database.password()))
                     .run()) {
            DemoApplication.tour(context, new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(primaryKey(database)).as("schema generation puts the key into the primary key")
                    .isEqualTo("PRIMARY KEY (id, sent_at)");
        }
        String out = printed.toString(StandardCharsets.UTF_8);

        assertThat(out).startsWith("1. Started: pgpartition validated 1 partitioned entity against the database and ran maintenance");
        assertThat(out).containsPattern("message 1 sent \\S+ -> chat_messages_p" + now.format(month) + "\n");
        assertThat(out).containsPattern("message 2 sent \\S+ -> chat_messages_p" + now.plusMonths(1).format(month) + "\n");
        assertThat(out).containsPattern("   PartitionKeyChangedException: Cannot update ChatMessage with id 1: partition key "
                + "attribute 'sentAt' would change from \\S+ to \\S+\\. The partition key of a stored row never changes");
        assertThat(out).containsPattern("   findByBody found 1 message; the report:\n   Unpruned statement: query \\(JPQL or criteria\\) "
                + "can touch all 4 partitions of public.chat_messages \\(partition key RANGE \\(sent_at\\)\\), run at "
                + "io.pgpartition.demo.DemoApplication.tour\\(DemoApplication.java:\\d+\\): select cm1_0.id,cm1_0.body,cm1_0.sent_at "
                + "from chat_messages cm1_0 where cm1_0.body=\\?. Fix: add a condition on sent_at to its WHERE clause \\(an equality, a "
                + "range or an IN list PostgreSQL can prune with\\). If reading every partition is meant, run it inside "
                + "FullScan.intended\\(...\\) or put the comment /\\* pgpartition:full-scan \\*/ in its SQL.\n");
        assertThat(out).contains("   findBySentAtBetween reads the partitions of its range and is not reported: 1 message.\n");
        assertThat(out).contains("   chat_messages: UP {table=public.chat_messages, partitions=4, partitionsAhead=3, coveredUntil="
                + now.plusMonths(4).atDay(1) + "T00:00:00Z, entity=ChatMessage, lastSuccessfulMaintenance=");
        assertThat(out).contains("   pgpartition.partitions.ahead[tag(table=chat_messages), tag(unit=entityManagerFactory)] = 3.0\n");
        assertThat(out).doesNotContain("this should not happen").endsWith("application.yml alone.\n");
    }
}
