package io.pgpartition.cli;

import io.pgpartition.test.postgres.TestDatabase;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code pgpartition} in this JVM against a test database and keeps what it printed. The connection goes in as
 * the command line gives it, the password (for a server given by {@code PGPARTITION_TEST_JDBC_URL}) in the JDBC URL,
 * since the command reads it from {@code PGPASSWORD} or a prompt, neither of which a test can set.
 */
final class CliRun {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(TestDatabase db, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine commandLine = PgPartitionCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", url(db)));
        if (db.user() != null) {
            all.addAll(List.of("--user", db.user()));
        }
        return commandLine.execute(all.toArray(String[]::new));
    }

    static String url(TestDatabase db) {
        if (db.password() == null) {
            return db.jdbcUrl();
        }
        return db.jdbcUrl() + (db.jdbcUrl().contains("?") ? "&" : "?") + "password="
                + URLEncoder.encode(db.password(), StandardCharsets.UTF_8);
    }
}
