package io.pgpartition.benchmarks;

import io.pgpartition.test.postgres.PostgresServer;
import io.pgpartition.test.postgres.TestDatabase;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the benchmarks in one process against one server and prints a Markdown table of medians, p95 and the ratio
 * of each case to its baseline (the nearest case above it named "(baseline)", else the benchmark's first case); also
 * writes {@code target/benchmark-results.csv}.
 *
 * <p>Arguments: {@code --url JDBC_URL} to measure a server of your own (user and password in the URL or in
 * {@code PGUSER}/{@code PGPASSWORD}); without it an embedded PostgreSQL is started. The database named in the URL
 * gets a {@code bench_*} schema per benchmark, dropped and recreated on each run.
 */
public final class BenchmarkRunner {

    /** The one benchmark to run, or null for all. */
    private static String only;

    /** Hibernate's logger, kept here so that its level holds: Hibernate logs what it starts at INFO, a screen a factory. */
    private static final java.util.logging.Logger HIBERNATE_LOG = java.util.logging.Logger.getLogger("org.hibernate");

    private BenchmarkRunner() {
    }

    public static void main(String[] args) throws Exception {
        HIBERNATE_LOG.setLevel(java.util.logging.Level.SEVERE);
        String url = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--url") && i + 1 < args.length) {
                url = args[++i];
            } else if (args[i].equals("--only") && i + 1 < args.length) {
                only = args[++i];
            } else {
                System.err.println("Usage: BenchmarkRunner [--url JDBC_URL] [--only catalog-read|report|bootstrap-validation|runtime|runtime-insert|runtime-profile:CASE:SIDE|runtime-order|sentinel|server-guard|maintenance|conversion|reshape|citus]");
                System.exit(2);
            }
        }
        if (url != null) {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(url);
            if (System.getenv("PGUSER") != null) {
                dataSource.setUser(System.getenv("PGUSER"));
            }
            if (System.getenv("PGPASSWORD") != null) {
                dataSource.setPassword(System.getenv("PGPASSWORD"));
            }
            try (Connection connection = dataSource.getConnection()) {
                report(connection, dataSource, "server at " + url.replaceAll("password=[^&]*", "password=***"));
            }
        } else {
            PostgresServer server = PostgresServer.shared();
            try (TestDatabase database = server.createDatabase("benchmarks"); Connection connection = database.connection()) {
                report(connection, database.dataSource(), "embedded " + server.version());
            }
        }
    }

    private static void report(Connection connection, DataSource dataSource, String where) throws Exception {
        String version;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_setting('server_version')")) {
            rs.next();
            version = rs.getString(1);
        }
        List<Measurement> results = new ArrayList<>();
        if (only == null || only.equals(CatalogReadBenchmark.NAME)) {
            results.addAll(CatalogReadBenchmark.run(connection));
        }
        if (only == null || only.equals(ReportBenchmark.NAME)) {
            results.addAll(ReportBenchmark.run(connection));
        }
        if (only == null || only.equals(BootstrapValidationBenchmark.NAME)) {
            results.addAll(BootstrapValidationBenchmark.run(connection, dataSource));
        }
        if (only == null || only.equals(RuntimeBenchmark.NAME)) {
            results.addAll(RuntimeBenchmark.run(connection, dataSource));
        }
        if (RuntimeBenchmark.SENTINEL.equals(only)) {
            results.addAll(RuntimeBenchmark.runSentinel(connection, dataSource));
        }
        if (only != null && only.startsWith(RuntimeBenchmark.PROFILE)) {
            results.addAll(RuntimeBenchmark.runProfile(connection, dataSource, only));
        }
        if (RuntimeBenchmark.ORDER.equals(only)) {
            results.addAll(RuntimeBenchmark.runOrder(connection, dataSource));
        }
        if (RuntimeBenchmark.INSERT_ONLY.equals(only)) {
            results.addAll(RuntimeBenchmark.runInsertsOnly(connection, dataSource));
        }
        if (only == null || only.equals(ServerGuardBenchmark.NAME)) {
            results.addAll(ServerGuardBenchmark.run(connection, dataSource));
        }
        if (only == null || only.equals(MaintenanceBenchmark.NAME)) {
            results.addAll(MaintenanceBenchmark.run(connection, dataSource));
        }
        if (only == null || only.equals(ConversionBenchmark.NAME)) {
            results.addAll(ConversionBenchmark.run(connection, dataSource));
        }
        if (only == null || only.equals(ReshapeBenchmark.NAME)) {
            results.addAll(ReshapeBenchmark.run(connection, dataSource));
        }
        if (CitusBenchmark.NAME.equals(only)) {
            results.addAll(CitusBenchmark.run(connection, dataSource));
        }

        StringBuilder markdown = new StringBuilder()
                .append("Server: PostgreSQL ").append(version).append(" (").append(where).append("), ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append("\n\n")
                .append("| benchmark | case | median ms | p95 ms | p99 ms | ratio to baseline (median) | ratio (p99) |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        StringBuilder csv = new StringBuilder("benchmark,case,median_ms,p95_ms,p99_ms,ratio,ratio_p99\n");
        String benchmark = null;
        double baseline = 0;
        double baselineP99 = 0;
        for (Measurement m : results) {
            if (!m.benchmark().equals(benchmark) || m.name().contains("(baseline)")) {
                benchmark = m.benchmark();
                baseline = m.median();
                baselineP99 = m.p99();
            }
            double ratio = m.median() / baseline;
            double ratioP99 = m.p99() / baselineP99;
            markdown.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.2f | %.2f |%n", m.benchmark(), m.name(),
                    m.median(), m.p95(), m.p99(), ratio, ratioP99));
            csv.append(String.format(Locale.ROOT, "%s,\"%s\",%.3f,%.3f,%.3f,%.3f,%.3f%n", m.benchmark(), m.name(), m.median(),
                    m.p95(), m.p99(), ratio, ratioP99));
        }
        System.out.print(markdown);
        write(Path.of("target", "benchmark-results.csv"), csv.toString());
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
