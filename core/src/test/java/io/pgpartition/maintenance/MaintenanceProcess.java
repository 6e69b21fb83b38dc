package io.pgpartition.maintenance;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A maintenance run in a process of its own, for tests that kill it: applies a monthly policy with a 12-month
 * retention at {@link PartitionMaintenanceTest#NOW}, waiting up to a minute for each lock.
 *
 * <p>Arguments: JDBC URL, user, password, table, expiry ({@code DROP} or {@code ARCHIVE}).
 */
public final class MaintenanceProcess {

    private MaintenanceProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            MaintenancePolicy policy = MaintenancePolicy.range(TableName.of(args[3]),
                    PartitionMaintenanceTest.monthly(1, "12 months", Expiry.valueOf(args[4]), false, "UTC"));
            new PartitionMaintenance(List.of(policy), MaintenanceOptions.DEFAULTS.withLockTimeout(Duration.ofMinutes(1)))
                    .apply(connection, PartitionMaintenanceTest.NOW);
        }
    }

    /** Starts a run of {@code table} against the test database, its output discarded. */
    static Process start(io.pgpartition.test.postgres.TestDatabase db, String table, Expiry expiry) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), MaintenanceProcess.class.getName(),
                db.jdbcUrl(), db.user(), db.password() == null ? "" : db.password(), table, expiry.name())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
