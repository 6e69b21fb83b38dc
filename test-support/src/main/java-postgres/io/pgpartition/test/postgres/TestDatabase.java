package io.pgpartition.test.postgres;

import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A database created for one test class (or one run of the sample application) on the shared server.
 * Closing it drops the database.
 */
public final class TestDatabase implements AutoCloseable {

    private final PostgresServer server;
    private final String name;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final PGSimpleDataSource dataSource;

    TestDatabase(PostgresServer server, String name, String jdbcUrl, String user, String password) {
        this.server = server;
        this.name = name;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        if (user != null) {
            dataSource.setUser(user);
        }
        if (password != null) {
            dataSource.setPassword(password);
        }
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The user to connect as, or {@code null} when the JDBC URL carries it. */
    public String user() {
        return user;
    }

    /** The password, or {@code null} when none is needed or the JDBC URL carries it. */
    public String password() {
        return password;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Hands the database to Spring Boot as its data source ({@code spring.datasource.url}, {@code .username},
     * {@code .password}), for a {@code @DynamicPropertySource} method:
     * <pre>{@code
     * static final TestDatabase DATABASE = PostgresServer.shared().createDatabase("orders");
     *
     * @DynamicPropertySource
     * static void database(DynamicPropertyRegistry registry) {
     *     DATABASE.springDataSource(registry::add);
     * }
     * }</pre>
     */
    public void springDataSource(BiConsumer<String, Supplier<Object>> properties) {
        properties.accept("spring.datasource.url", this::jdbcUrl);
        properties.accept("spring.datasource.username", this::user);
        properties.accept("spring.datasource.password", this::password);
    }

    /** A new connection in auto-commit mode; the caller closes it. */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Runs each statement in order, in auto-commit mode. */
    public void execute(String... statements) {
        try (Connection connection = connection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Statement failed in database " + name + ": " + e.getMessage(), e);
        }
    }

    public ServerSource source() {
        return server.source();
    }

    /** Drops the database. */
    @Override
    public void close() {
        server.dropDatabase(name);
    }

    @Override
    public String toString() {
        return name + " on " + server.source();
    }
}
