package io.pgpartition.test.postgres;

/**
 * Where the PostgreSQL server for tests comes from, in the order they are tried.
 */
public enum ServerSource {
    /** A server you run yourself, named by {@code PGPARTITION_TEST_JDBC_URL}. */
    JDBC_URL,
    /** A {@code postgres:17} container, when a Docker engine answers. */
    TESTCONTAINERS,
    /** PostgreSQL 17 binaries from Maven Central, run as a local process. */
    EMBEDDED
}
