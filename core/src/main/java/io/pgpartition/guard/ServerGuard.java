package io.pgpartition.guard;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.Catalog;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Installs, verifies and removes the server guard: on each partitioned root a row trigger refusing a changed
 * partition key (cloned by PostgreSQL to every partition, present and future), on each partition at every level a
 * statement trigger refusing writes that name it (statement triggers of a partition do not fire for rows routed
 * through the parent, so routed writes pay nothing; a TRUNCATE of the root reaches them). {@link GuardSql#BYPASS_SETTING}
 * lets one transaction's writes through.
 *
 * <p>Installing twice is a no-op: only what is missing or outdated is created.
 */
public final class ServerGuard {

    /** The trigger functions by name, in the order they are created. */
    private static final Map<String, String> FUNCTIONS = functions();

    private static Map<String, String> functions() {
        Map<String, String> functions = new LinkedHashMap<>();
        functions.put(GuardSql.KEY_FUNCTION, GuardSql.KEY_FUNCTION_BODY);
        functions.put(GuardSql.WRITE_FUNCTION, GuardSql.WRITE_FUNCTION_BODY);
        return java.util.Collections.unmodifiableMap(functions);
    }


    /**
     * Reads the guard's state of the named roots, or of every partitioned root in the database when {@code tables} is
     * empty, in one statement.
     *
     * @throws PartitioningException {@link ErrorCode#CATALOG_UNREADABLE} naming a table that is not a partitioned root
     */
    public GuardState read(Connection connection, List<TableName> tables) throws SQLException {
        Map<Long, RootBuilder> roots = new LinkedHashMap<>();
        for (Catalog.GuardRow row : Catalog.guardState(connection, tables, GuardSql.KEY_TRIGGER, GuardSql.WRITE_TRIGGER,
                GuardSql.KEY_FUNCTION, GuardSql.WRITE_FUNCTION)) {
            RootBuilder root = roots.computeIfAbsent(row.rootOid(), oid -> new RootBuilder());
            if (row.level() == 0) {
                root.name = row.root();
                root.keyGuarded = row.ownTrigger();
                root.keyColumns = row.keyColumns();
                FUNCTIONS.forEach((name, body) -> root.functions.put(name, row.functions().contains(name + "=" + md5(body))));
            } else {
                root.partitions.put(row.relation(), row.writeTrigger());
            }
        }
        Set<TableName> found = new LinkedHashSet<>();
        roots.values().forEach(root -> found.add(root.name));
        if (roots.size() < new LinkedHashSet<>(tables).size()) {
            List<String> missing = tables.stream().filter(t -> found.stream().noneMatch(f -> f.name().equals(t.name())
                    && (t.schema() == null || t.schema().equals(f.schema())))).map(TableName::toString).toList();
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot guard " + String.join(", ", missing)
                    + ": no partitioned table of that name that is not itself a partition. Name the root of each partition tree.");
        }
        return new GuardState(roots.values().stream().map(RootBuilder::build).toList());
    }

    /** The statements that complete the guard of every root in {@code state}, in order; empty when nothing is missing. */
    public List<String> installStatements(GuardState state) {
        List<String> statements = new ArrayList<>();
        Set<String> schemasDone = new LinkedHashSet<>();
        for (GuardState.Root root : state.roots()) {
            if (schemasDone.add(root.name().schema())) {
                root.functions().forEach((name, current) -> {
                    if (!current) {
                        statements.add(GuardSql.function(root.name().schema(), name, FUNCTIONS.get(name)));
                    }
                });
            }
            if (!root.keyGuarded() && !root.hasExpressionKey()) {
                statements.add(GuardSql.keyTrigger(root.name(), root.keyColumns()));
            }
            root.partitions().forEach((partition, guarded) -> {
                if (!guarded) {
                    statements.add(GuardSql.writeTrigger(partition, root.name().schema()));
                }
            });
        }
        return statements;
    }

    /** The statements that remove the guard from every root in {@code state}; the functions go when {@code functions}. */
    public List<String> removeStatements(GuardState state, boolean functions) {
        List<String> statements = new ArrayList<>();
        Set<String> schemas = new LinkedHashSet<>();
        for (GuardState.Root root : state.roots()) {
            root.partitions().keySet().forEach(p -> statements.add(GuardSql.dropTrigger(GuardSql.WRITE_TRIGGER, p)));
            statements.add(GuardSql.dropTrigger(GuardSql.KEY_TRIGGER, root.name()));
            schemas.add(root.name().schema());
        }
        if (functions) {
            for (String schema : schemas) {
                FUNCTIONS.keySet().stream().sorted().forEach(name -> statements.add(GuardSql.dropFunction(schema, name)));
            }
        }
        return statements;
    }

    /** Runs statements in one transaction; the connection's auto-commit is put back as it was. */
    public void run(Connection connection, List<String> statements) throws SQLException {
        if (statements.isEmpty()) {
            return;
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Completes the guard of the named roots (every root when none is named); returns the statements it ran. */
    public List<String> install(Connection connection, List<TableName> tables) throws SQLException {
        List<String> statements = installStatements(read(connection, tables));
        run(connection, statements);
        return statements;
    }

    private static String md5(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }

    private static final class RootBuilder {
        TableName name;
        List<String> keyColumns = List.of();
        boolean keyGuarded;
        final Map<TableName, Boolean> partitions = new LinkedHashMap<>();
        final Map<String, Boolean> functions = new LinkedHashMap<>();

        GuardState.Root build() {
            return new GuardState.Root(name, keyColumns, keyGuarded, partitions, functions);
        }
    }
}
