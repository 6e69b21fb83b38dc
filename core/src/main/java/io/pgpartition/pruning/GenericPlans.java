package io.pgpartition.pruning;

import io.pgpartition.ddl.internal.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether a connection plans its prepared statements generically on a database with partitioned tables:
 * {@code plan_cache_mode = force_generic_plan} (a setting copied from advice on prepared statements) makes every
 * prepared statement plan for all partitions and prune only when it runs, many times slower than the custom plans of
 * the default {@code auto}. Where it was set decides the fix.
 */
public final class GenericPlans {

    private static final String READ = "SELECT s.setting, s.source, s.sourcefile, s.sourceline, CURRENT_USER, "
            + "pg_catalog.current_database(), EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relkind = 'p') "
            + "FROM pg_catalog.pg_settings s WHERE s.name = 'plan_cache_mode'";

    private GenericPlans() {
    }

    /**
     * The problem, with where the setting comes from and the statement that undoes it; empty when the connection plans
     * as PostgreSQL does by default, or the database has no partitioned table.
     */
    public static Optional<String> forced(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(READ); ResultSet rs = statement.executeQuery()) {
            if (!rs.next() || !"force_generic_plan".equals(rs.getString(1)) || !rs.getBoolean(7)) {
                return Optional.empty();
            }
            return Optional.of(message(rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6)));
        }
    }

    /** The report for a setting from {@code source} (as {@code pg_settings.source} names it). */
    static String message(String source, String file, int line, String role, String database) {
        String where;
        String fix;
        switch (source) {
            case "database" -> {
                where = "set for database " + database;
                fix = "ALTER DATABASE " + Sql.identifier(database) + " RESET plan_cache_mode;";
            }
            case "user" -> {
                where = "set for role " + role;
                fix = "ALTER ROLE " + Sql.identifier(role) + " RESET plan_cache_mode;";
            }
            case "database user" -> {
                where = "set for role " + role + " in database " + database;
                fix = "ALTER ROLE " + Sql.identifier(role) + " IN DATABASE " + Sql.identifier(database) + " RESET plan_cache_mode;";
            }
            case "configuration file" -> {
                where = "set in the server's configuration" + (file == null ? "" : " (" + file + ", line " + line + ")");
                fix = "remove the line, or run ALTER SYSTEM RESET plan_cache_mode; where ALTER SYSTEM set it, then SELECT pg_reload_conf();";
            }
            case "client" -> {
                where = "set by the connection (options=-c plan_cache_mode=... in the JDBC URL, or PGOPTIONS)";
                fix = "remove plan_cache_mode from the connection's options";
            }
            default -> {
                where = "set in the session (a SET when the connection opens, such as a pool's initialisation SQL)";
                fix = "remove the SET plan_cache_mode from the connection's initialisation";
            }
        }
        return "plan_cache_mode is force_generic_plan, " + where + ", on a database with partitioned tables: every prepared "
                + "statement is planned for all partitions and pruned only when it runs, many times slower than the custom plans "
                + "PostgreSQL chooses by default; found force_generic_plan, expected auto. Fix: " + fix;
    }
}
