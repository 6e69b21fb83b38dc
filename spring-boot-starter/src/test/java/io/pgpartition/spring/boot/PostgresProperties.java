package io.pgpartition.spring.boot;

import io.pgpartition.test.postgres.PostgresServer;
import io.pgpartition.test.postgres.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/** A new database on the test server, handed to Spring Boot as its data source. */
final class PostgresProperties {

    private PostgresProperties() {
    }

    static TestDatabase newDatabase(String prefix) {
        return PostgresServer.shared().createDatabase(prefix);
    }

    static void dataSource(TestDatabase database, DynamicPropertyRegistry registry) {
        database.springDataSource(registry::add);
    }

    static String[] dataSource(TestDatabase database) {
        return new String[]{"spring.datasource.url=" + database.jdbcUrl(), "spring.datasource.username=" + database.user(),
                "spring.datasource.password=" + database.password()};
    }
}
