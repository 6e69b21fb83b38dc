package io.pgpartition.benchmarks;

import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.model.TableName;
import io.pgpartition.report.PartitionReport;
import io.pgpartition.report.ReportHtml;
import io.pgpartition.report.ReportJson;
import io.pgpartition.report.ReportText;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The report over the catalog-read layout (50 tables of 1,000 partitions each), end to end: collected (catalog,
 * sizes, default rows, retired tables) and rendered as text, JSON and HTML. Baseline: the catalog read of the same 50
 * tables in the same run, which every report includes. Also counts the statements for 1 table and for 50.
 */
final class ReportBenchmark {

    static final String NAME = "report";
    private static final int WARMUPS = 3;
    private static final int REPETITIONS = 10;

    /** What the renderings wrote, kept so that the work is not optimised away. */
    static volatile long rendered;

    private ReportBenchmark() {
    }

    static List<Measurement> run(Connection connection) throws Exception {
        CatalogReadBenchmark.createTables(connection);
        List<TableName> wide = new ArrayList<>();
        for (int t = 0; t < CatalogReadBenchmark.WIDE_TABLES; t++) {
            wide.add(TableName.of(CatalogReadBenchmark.SCHEMA, "wide_" + t));
        }
        CatalogReader reader = new CatalogReader();
        List<Measurement> results = new ArrayList<>();
        results.add(Timer.measure(NAME, "catalog read, 50 tables x 1000 partitions (baseline)", WARMUPS, REPETITIONS,
                () -> reader.read(connection, wide)));
        results.add(Timer.measure(NAME, "report collected, 50 tables x 1000 partitions", WARMUPS, REPETITIONS,
                () -> PartitionReport.collect(connection, wide, false, Instant.now())));
        results.add(Timer.measure(NAME, "report collected and rendered as text, JSON and HTML", WARMUPS, REPETITIONS, () -> {
            PartitionReport report = PartitionReport.collect(connection, wide, false, Instant.now());
            rendered = ReportText.render(report).length() + ReportJson.render(report).length() + ReportHtml.render(report).length();
        }));
        int one = statements(connection, wide.subList(0, 1));
        int fifty = statements(connection, wide);
        System.out.printf("report statements: %d for 1 table of 1000 partitions, %d for 50 tables of 1000 partitions%n", one, fifty);
        return results;
    }

    /** The statements one report of these tables sends. */
    private static int statements(Connection connection, List<TableName> tables) {
        AtomicInteger count = new AtomicInteger();
        Connection counting = (Connection) Proxy.newProxyInstance(ReportBenchmark.class.getClassLoader(),
                new Class<?>[]{Connection.class}, (proxy, method, args) -> {
                    Object result = method.invoke(connection, args);
                    if (result instanceof Statement statement) {
                        return Proxy.newProxyInstance(ReportBenchmark.class.getClassLoader(), interfacesOf(statement),
                                (p, m, a) -> {
                                    if (m.getName().startsWith("execute")) {
                                        count.incrementAndGet();
                                    }
                                    return m.invoke(statement, a);
                                });
                    }
                    return result;
                });
        PartitionReport.collect(counting, tables, false, Instant.now());
        return count.get();
    }

    private static Class<?>[] interfacesOf(Statement statement) {
        return statement instanceof java.sql.PreparedStatement ? new Class<?>[]{java.sql.PreparedStatement.class}
                : new Class<?>[]{Statement.class};
    }
}
