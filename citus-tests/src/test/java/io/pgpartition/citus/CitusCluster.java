package io.pgpartition.citus;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The Citus cluster the suite runs on: {@code PGPARTITION_CITUS_JDBC_URL}, else the coordinator that
 * {@code ../shared/citus/cluster.sh start} runs on localhost:5440 (database {@code app}, user {@code postgres}).
 */
final class CitusCluster {

    static final String URL = System.getenv().getOrDefault("PGPARTITION_CITUS_JDBC_URL",
            "jdbc:postgresql://localhost:5440/app?user=postgres");

    private CitusCluster() {
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL);
    }

    /** Runs each statement in auto-commit. */
    static void run(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static List<String> column(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /**
     * The seed-002 table {@code event_impressions}, distributed by tenant over 32 shards with monthly partitions of
     * {@code created_at} from {@code firstMonth} for {@code months}, a foreign key to the reference table
     * {@code tenants} (tenants 1 to 4), in schema {@code schema}.
     */
    static void eventImpressions(Connection connection, String schema, String firstMonth, int months) throws SQLException {
        run(connection, "DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema,
                "CREATE TABLE " + schema + ".tenants (id bigint PRIMARY KEY, name text NOT NULL)",
                "SELECT create_reference_table('" + schema + ".tenants')",
                "INSERT INTO " + schema + ".tenants SELECT i, 'tenant ' || i FROM generate_series(1, 4) i",
                "CREATE TABLE " + schema + ".event_impressions (id bigint NOT NULL, tenant_id bigint NOT NULL REFERENCES "
                        + schema + ".tenants (id), event_id bigint NOT NULL, created_at timestamptz NOT NULL, "
                        + "PRIMARY KEY (id, created_at, tenant_id)) PARTITION BY RANGE (created_at)");
        for (int i = 0; i < months; i++) {
            run(connection, "DO $$ DECLARE m date := date '" + firstMonth + "' + interval '" + i + " months'; BEGIN "
                    + "EXECUTE format('CREATE TABLE " + schema + ".%I PARTITION OF " + schema + ".event_impressions FOR VALUES FROM (%L) TO (%L)', "
                    + "'event_impressions_' || to_char(m, 'YYYY_MM'), m, m + interval '1 month'); END $$");
        }
        run(connection, "SELECT create_distributed_table('" + schema + ".event_impressions', 'tenant_id', shard_count => 32)");
    }
}
