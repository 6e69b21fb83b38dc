package io.pgpartition.report;

import io.pgpartition.model.TableName;
import io.pgpartition.test.postgres.PostgresTest;
import io.pgpartition.test.postgres.TestDatabase;
import io.pgpartition.test.seeds.SeedSchema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML report in a real headless Chromium (profile {@code browser}): the page renders from its embedded data with
 * no network, the chart has one bar per partition (the default partition's set apart) and the horizon marked, and a
 * screenshot is kept in {@code target/report-screenshots/report.png}.
 */
@Tag("browser")
@PostgresTest
class ReportHtmlBrowserTest {

    static final Path OUT = Path.of("target", "report-screenshots");

    @Test
    void theReportRendersInChromiumWithOneBarPerPartition(TestDatabase db) throws Exception {
        db.execute(SeedSchema.statements().toArray(String[]::new));
        db.execute("CREATE TABLE events (id bigint NOT NULL, at date NOT NULL, payload text) PARTITION BY RANGE (at)",
                "CREATE TABLE events_default PARTITION OF events DEFAULT");
        for (int month = -6; month <= 3; month++) {
            java.time.LocalDate from = java.time.LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1).plusMonths(month);
            db.execute("CREATE TABLE events_p" + from.toString().substring(0, 7).replace("-", "") + " PARTITION OF events "
                    + "FOR VALUES FROM ('" + from + "') TO ('" + from.plusMonths(1) + "')");
        }
        db.execute("INSERT INTO events SELECT g, (now() AT TIME ZONE 'UTC')::date - (g % 180), repeat(md5(g::text), 20) "
                + "FROM generate_series(1, 20000) g",
                "INSERT INTO events VALUES (0, DATE '2031-01-01', 'far ahead')", "ANALYZE");
        PartitionReport report;
        try (Connection connection = db.connection()) {
            report = PartitionReport.collect(connection, List.of(TableName.of("events"), TableName.of("claim_line_items"),
                    TableName.of("content_items_all"), TableName.of("chat_sessions")), true, Instant.now());
        }
        Files.createDirectories(OUT);
        Path page = OUT.resolve("report.html").toAbsolutePath();
        Files.writeString(page, ReportHtml.render(report), StandardCharsets.UTF_8);

        String dom = chromium("--dump-dom", page.toUri().toString());

        assertThat(dom).contains("data-rendered=\"true\"");
        for (PartitionReport.TableReport table : report.tables()) {
            String section = section(dom, table.name().toString());
            assertThat(count(section, "<rect class=\"bar")).as("one bar per partition of " + table.name())
                    .isEqualTo(table.partitions().size());
            assertThat(count(section, "<rect class=\"bar default\"")).as("the default partition of " + table.name())
                    .isEqualTo(table.defaultPartition().isPresent() ? 1 : 0);
        }
        String events = section(dom, "public.events");
        assertThat(events).contains("class=\"horizon\"").contains("horizon '" + report.tables().stream()
                .filter(t -> t.name().name().equals("events")).findFirst().orElseThrow().coveredUntil().orElseThrow().value() + "'");
        assertThat(events).contains("The default partition holds 1 row.");
        int labels = 0;
        for (PartitionReport.TableReport table : report.tables()) {
            String section = section(dom, table.name().toString());
            java.util.regex.Matcher label = java.util.regex.Pattern.compile("class=\"legend horizon-label\"[^>]* y=\"(\\d+)\"")
                    .matcher(section);
            java.util.regex.Matcher legend = java.util.regex.Pattern.compile("<text class=\"legend\"[^>]* y=\"(\\d+)\"").matcher(section);
            if (label.find() && legend.find()) {
                assertThat(Integer.parseInt(label.group(1)) - 12).as("the horizon label of %s on its own row, below the legend", table.name())
                        .isGreaterThan(Integer.parseInt(legend.group(1)) + 4);
                labels++;
            }
        }
        assertThat(labels).as("horizon labels checked").isPositive();

        Path png = OUT.resolve("report.png").toAbsolutePath();
        Files.deleteIfExists(png);
        Path shown = OUT.resolve("report-events.html").toAbsolutePath();
        Files.writeString(shown, ReportHtml.render(new PartitionReport(report.at(), report.server(), report.tables().stream()
                .filter(t -> t.name().name().equals("events")).toList(), List.of(), java.util.Map.of())), StandardCharsets.UTF_8);
        chromium("--screenshot=" + png, "--window-size=1280,900", shown.toUri().toString());
        assertThat(png).exists();
        try (InputStream in = Files.newInputStream(png); DataInputStream data = new DataInputStream(in)) {
            byte[] signature = data.readNBytes(8);
            assertThat(signature).as("a PNG").containsExactly(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
            data.readInt();
            assertThat(data.readInt()).as("IHDR").isEqualTo(0x49484452);
            assertThat(data.readInt()).as("width").isEqualTo(1280);
            assertThat(data.readInt()).as("height").isEqualTo(900);
        }
        assertThat(Files.size(png)).as("more than an empty page").isGreaterThan(20_000);
    }

    /** The markup of the section of one table in the rendered DOM. */
    private static String section(String dom, String table) {
        int start = dom.indexOf("<section data-table=\"" + table + "\"");
        assertThat(start).as("a section for " + table).isNotNegative();
        int end = dom.indexOf("</section>", start);
        return dom.substring(start, end);
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Runs headless Chromium with the flags a closed network needs, and returns what it printed. */
    private static String chromium(String... arguments) throws IOException, InterruptedException {
        String binary = System.getProperty("pgpartition.chromium", "/usr/bin/chromium");
        assertThat(Path.of(binary)).as("Chromium for the browser tests: install it (apt-get install chromium) or name it "
                + "with -Dpgpartition.chromium=PATH").exists();
        Path profile = Files.createTempDirectory("pgpartition-chromium");
        List<String> command = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--virtual-time-budget=5000"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(OUT.resolve("chromium.log").toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(process.exitValue()).as("chromium's exit code; see " + OUT.resolve("chromium.log")).isZero();
        return out;
    }
}
