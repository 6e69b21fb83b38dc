package io.pgpartition.sample;

import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.ddl.Sql;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;
import io.pgpartition.report.LayoutText;
import io.pgpartition.test.postgres.PostgresServer;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedSchema;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Starts PostgreSQL (embedded, unless {@code PGPARTITION_TEST_JDBC_URL} names a server), creates the seed tables
 * in a fresh database, prints the partition layout the catalog reader sees, then inserts sample rows through each
 * parent table and shows that the partition pgpartition's model predicts is the one PostgreSQL chose.
 */
public final class SampleApplication {

    /** A row to insert through a parent table, and the key value that routes it. */
    private record SampleRow(String table, String insert, Object key) {
    }

    private static final List<SampleRow> ROWS = List.of(
            new SampleRow("content_items_all",
                    "INSERT INTO content_items_all (id, source_type, title, created_at, updated_at) VALUES (1, ?, 'Auto post', now(), now())",
                    "auto"),
            new SampleRow("content_items_all",
                    "INSERT INTO content_items_all (id, source_type, title, created_at, updated_at) VALUES (2, ?, 'Item', now(), now())",
                    "items"),
            new SampleRow("chat_messages",
                    "INSERT INTO chat_messages (user_id, session_id, role, content, id, created_at, updated_at) "
                            + "VALUES (gen_random_uuid(), gen_random_uuid(), 'user', 'hello', gen_random_uuid(), ?, now())",
                    LocalDateTime.of(2024, 5, 17, 9, 30)),
            new SampleRow("generated_images",
                    "INSERT INTO generated_images (id, generation_type, generation_status, created_at) "
                            + "VALUES (gen_random_uuid(), 'portrait', 'done', ?)",
                    LocalDateTime.of(2031, 1, 1, 0, 0)),
            new SampleRow("claims_production",
                    "INSERT INTO claims_production (id, service_from_date, patient_id) VALUES (10, ?, 7)",
                    LocalDate.of(2027, 3, 1)),
            new SampleRow("claim_line_items",
                    "INSERT INTO claim_line_items (id, service_date, claim_id, claim_service_from_date, procedure_code, amount) "
                            + "VALUES (1, ?, 10, '2027-03-01', '99213', 125.00)",
                    LocalDate.of(2024, 8, 12)));

    private SampleApplication() {
    }

    public static void main(String[] args) throws SQLException {
        run(System.out);
    }

    /** Runs the tour, printing to {@code out}; the sample database is dropped at the end. */
    public static void run(PrintStream out) throws SQLException {
        PostgresServer server = PostgresServer.shared();
        try (TestDatabase database = server.createDatabase("sample_app");
             Connection connection = database.connection()) {
            out.println("pgpartition sample application on " + server.version() + " (" + server.source() + ")");
            out.println();
            database.execute(SeedSchema.statements().toArray(String[]::new));

            CatalogSnapshot snapshot = new CatalogReader().readAllPartitioned(connection);
            out.println("== Partitioned tables, as the catalog reader sees them");
            out.println();
            out.print(LayoutText.render(snapshot));
            out.println();

            out.println("== Rows inserted through the parent table: the partition the model predicts, and where PostgreSQL put them");
            out.println();
            for (SampleRow row : ROWS) {
                PartitionedTable table = snapshot.partitionedTable(TableName.of(row.table())).orElseThrow();
                String predicted = table.partitionFor(row.key()).map(Partition::name).map(TableName::name).orElse("(none)");
                String actual = insert(connection, row);
                out.printf("%-18s key %-22s -> predicted %-27s stored in %-27s %s%n", row.table(), Sql.literal(row.key()),
                        predicted, actual, predicted.equals(actual) ? "agree" : "DISAGREE");
            }
        }
    }

    private static String insert(Connection connection, SampleRow row) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(row.insert() + " RETURNING tableoid::regclass::text")) {
            statement.setObject(1, row.key());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getString(1)).orElse("(none)");
            }
        }
    }
}
