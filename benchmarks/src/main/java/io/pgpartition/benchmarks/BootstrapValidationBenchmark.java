package io.pgpartition.benchmarks;

import io.pgpartition.hibernate.GeneratedEntities;
import io.pgpartition.hibernate.PartitioningSettings;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Session factory bootstrap time for 50 partitioned entities over tables of 1,000 daily partitions each (named by
 * their policy, up to 30 days ahead), with startup validation off (baseline) and on, measured alternately in one run.
 */
final class BootstrapValidationBenchmark {

    static final String NAME = "bootstrap-validation";
    private static final int ENTITIES = 50;
    private static final int PARTITIONS = 1000;
    private static final int WARMUPS = 3;
    private static final int REPETITIONS = 15;

    private BootstrapValidationBenchmark() {
    }

    static List<Measurement> run(Connection connection, DataSource dataSource) throws Exception {
        createTables(connection);
        List<Class<?>> entities = GeneratedEntities.rangeEntities(ENTITIES);
        for (int i = 0; i < WARMUPS; i++) {
            boot(dataSource, entities, "none");
            boot(dataSource, entities, "fail");
        }
        double[] off = new double[REPETITIONS];
        double[] on = new double[REPETITIONS];
        for (int i = 0; i < REPETITIONS; i++) {
            off[i] = boot(dataSource, entities, "none");
            on[i] = boot(dataSource, entities, "fail");
        }
        List<Measurement> results = new ArrayList<>();
        results.add(new Measurement(NAME, ENTITIES + " entities x " + PARTITIONS + " partitions, validation none (baseline)", off));
        results.add(new Measurement(NAME, ENTITIES + " entities x " + PARTITIONS + " partitions, validation fail", on));
        return results;
    }

    private static double boot(DataSource dataSource, List<Class<?>> entities, String validation) {
        Configuration configuration = new Configuration();
        configuration.getProperties().put("hibernate.connection.datasource", dataSource);
        configuration.setProperty(PartitioningSettings.VALIDATION, validation);
        entities.forEach(configuration::addAnnotatedClass);
        long start = System.nanoTime();
        try (SessionFactory factory = configuration.buildSessionFactory()) {
            return (System.nanoTime() - start) / 1_000_000.0;
        }
    }

    /** The generated entities' tables in the connection's search path, reused when a previous run left them complete. */
    private static void createTables(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*), pg_catalog.to_regclass('wide_0_p' "
                     + "|| pg_catalog.to_char((pg_catalog.now() AT TIME ZONE 'UTC')::date + 29, 'YYYYMMDD')) IS NOT NULL "
                     + "FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhparent "
                     + "WHERE c.relnamespace = pg_catalog.current_schema()::regnamespace AND c.relname ~ '^wide_[0-9]+$'")) {
            rs.next();
            if (rs.getInt(1) == ENTITIES * PARTITIONS && rs.getBoolean(2)) {
                return;
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (int t = 0; t < ENTITIES; t++) {
                statement.execute("DROP TABLE IF EXISTS wide_" + t);
            }
            statement.execute(GeneratedEntities.tables(ENTITIES, PARTITIONS));
        }
    }
}
