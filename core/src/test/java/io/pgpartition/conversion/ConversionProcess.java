package io.pgpartition.conversion;

import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.TestDatabase;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

/**
 * A conversion in a process of its own, for tests that kill it: monthly range partitions of {@code events(id, at,
 * body)} by {@code at}, 200 rows per batch with a pause, at {@link TableConversionTest#NOW}.
 *
 * <p>Arguments: JDBC URL, user, password, table.
 */
public final class ConversionProcess {

    private ConversionProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            ConversionSpec spec = ConversionSpec.of(TableName.of(args[3]), "at", TableConversionTest.monthly(0, "{table}_p{yyyy}{MM}"))
                    .withBatchSize(200).withPause(Duration.ofMillis(10));
            new TableConversion(spec).run(connection, TableConversionTest.NOW, ConversionProgress.NONE);
        }
    }

    /** Starts a conversion of {@code table} in the test database, its output discarded. */
    static Process start(TestDatabase db, String table) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ConversionProcess.class.getName(),
                db.jdbcUrl(), db.user(), db.password() == null ? "" : db.password(), table)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
