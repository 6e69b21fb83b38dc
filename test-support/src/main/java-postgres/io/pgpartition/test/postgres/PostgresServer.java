package io.pgpartition.test.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server for every test in a JVM, found or started on first use, on which each test class gets
 * a database of its own.
 *
 * <p>The source, in order: {@code PGPARTITION_TEST_JDBC_URL} when set (environment variable or system property;
 * user and password may sit in the URL or in {@code PGPARTITION_TEST_USER} / {@code PGPARTITION_TEST_PASSWORD});
 * a Testcontainers {@code postgres:17} container when a Docker engine answers; otherwise an embedded PostgreSQL 17
 * run from binaries on the classpath. {@code PGPARTITION_TEST_POSTGRES=embedded|testcontainers} forces one of the
 * latter two. A missing Docker engine never skips a test.
 */
public final class PostgresServer {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

    /** The image used when a Docker engine answers. */
    public static final String DOCKER_IMAGE = "postgres:17";

    private static PostgresServer shared;

    private final ServerSource source;
    private final String baseUrl;
    private final String user;
    private final String password;
    private final AtomicInteger databases = new AtomicInteger();
    private final String runTag = Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);

    private PostgresServer(ServerSource source, String baseUrl, String user, String password) {
        this.source = source;
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** The server shared by every test in this JVM, found or started on the first call. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
            LOG.info("Using {} ({})", shared.version(), shared.source);
        }
        return shared;
    }

    private static PostgresServer start() {
        String url = setting("PGPARTITION_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new PostgresServer(ServerSource.JDBC_URL, url, setting("PGPARTITION_TEST_USER"),
                    setting("PGPARTITION_TEST_PASSWORD"));
        }
        String forced = setting("PGPARTITION_TEST_POSTGRES");
        if (forced != null && !forced.isBlank()) {
            return switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "embedded" -> embedded();
                case "testcontainers", "docker" -> container();
                default -> throw new IllegalStateException("PGPARTITION_TEST_POSTGRES=" + forced
                        + " is not a server source; use embedded or testcontainers, or set PGPARTITION_TEST_JDBC_URL");
            };
        }
        return dockerAnswers() ? container() : embedded();
    }

    /**
     * Whether a Docker engine answers. Asks Testcontainers only where an engine could be configured, so that a
     * machine without Docker goes straight, and quietly, to the embedded server.
     */
    static boolean dockerAnswers() {
        boolean configured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"));
        if (!configured) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("No Docker engine answered", e);
            return false;
        }
    }

    /**
     * Tests and benchmarks run the server without durable commits ({@code fsync}, {@code synchronous_commit} and
     * {@code full_page_writes} off) unless this system property or environment variable is {@code true}: then commits
     * cost what they cost on a production server.
     */
    public static final String DURABLE = "pgpartition.test.durable";

    private static String durability() {
        return Boolean.parseBoolean(setting(DURABLE)) ? "on" : "off";
    }

    private static PostgresServer container() {
        String durable = durability();
        PostgreSQLContainer container = new PostgreSQLContainer(DOCKER_IMAGE)
                .withCommand("postgres", "-c", "fsync=" + durable, "-c", "synchronous_commit=" + durable, "-c", "full_page_writes=" + durable);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "pgpartition-postgres-container-stop"));
        return new PostgresServer(ServerSource.TESTCONTAINERS, container.getJdbcUrl(), container.getUsername(),
                container.getPassword());
    }

    private static PostgresServer embedded() {
        try {
            String durable = durability();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", durable)
                    .setServerConfig("synchronous_commit", durable)
                    .setServerConfig("full_page_writes", durable)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("max_locks_per_transaction", "1024")
                    .setRegisterShutdownHook(true)
                    .start();
            return new PostgresServer(ServerSource.EMBEDDED, postgres.getJdbcUrl("postgres", "postgres"), "postgres", null);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", e);
        }
    }

    private static String setting(String name) {
        String property = System.getProperty(name);
        return property != null ? property : System.getenv(name);
    }

    public ServerSource source() {
        return source;
    }

    /** The server's version text, such as {@code PostgreSQL 17.6}. */
    public String version() {
        try (Connection connection = connect(baseUrl);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_catalog.current_setting('server_version')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach PostgreSQL at " + baseUrl + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates a new, empty database. Its name starts with {@code prefix} (lower-cased, reduced to letters, digits
     * and underscores) and ends with a number unique to this run.
     */
    public TestDatabase createDatabase(String prefix) {
        String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (clean.length() > 40) {
            clean = clean.substring(0, 40);
        }
        String name = "pgp_" + clean + "_" + runTag + "_" + databases.incrementAndGet();
        admin("CREATE DATABASE \"" + name + "\" TEMPLATE template0 ENCODING 'UTF8'");
        return new TestDatabase(this, name, jdbcUrl(name), user, password);
    }

    void dropDatabase(String name) {
        admin("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    }

    /** The JDBC URL of a database on this server. */
    public String jdbcUrl(String database) {
        return withDatabase(baseUrl, database);
    }

    static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//");
        int pathStart = url.indexOf('/', hostStart + 2);
        int query = url.indexOf('?');
        String head = pathStart < 0 || (query >= 0 && pathStart > query)
                ? (query < 0 ? url : url.substring(0, query))
                : url.substring(0, pathStart);
        String tail = query < 0 ? "" : url.substring(query);
        return head + "/" + database + tail;
    }

    Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url, properties);
    }

    private void admin(String sql) {
        try (Connection connection = connect(baseUrl); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run '" + sql + "' on " + baseUrl + " (" + source + "): " + e.getMessage()
                    + ". The test user needs the CREATEDB privilege.", e);
        }
    }
}
