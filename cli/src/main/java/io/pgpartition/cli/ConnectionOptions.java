package io.pgpartition.cli;

import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * How a command reaches the database. The password comes from {@code PGPASSWORD} or an interactive prompt, never
 * from a command-line argument, where other users of the machine could read it.
 */
final class ConnectionOptions {

    @Option(names = "--url", required = true, paramLabel = "JDBC_URL",
            description = "JDBC URL of the database, e.g. jdbc:postgresql://localhost:5432/app")
    String url;

    @Option(names = {"-U", "--user"}, paramLabel = "USER", defaultValue = "${env:PGUSER}",
            description = "Database user (default: PGUSER, or the user in the URL).")
    String user;

    @Option(names = {"-W", "--password"}, interactive = true, arity = "0",
            description = "Prompt for the password. Without it, PGPASSWORD is used when set.")
    char[] password;

    Connection open() throws SQLException {
        Properties properties = new Properties();
        if (user != null && !user.isBlank()) {
            properties.setProperty("user", user);
        }
        String secret = password != null ? new String(password) : System.getenv("PGPASSWORD");
        if (secret != null) {
            properties.setProperty("password", secret);
        }
        properties.setProperty("ApplicationName", "pgpartition");
        return DriverManager.getConnection(url, properties);
    }
}
