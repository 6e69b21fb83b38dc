package io.pgpartition.guard;

import io.pgpartition.guard.internal.GuardSql;
import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.internal.GuardFacts;
import io.pgpartition.guard.internal.GuardPlanner;
import io.pgpartition.catalog.internal.GuardReader;
import io.pgpartition.internal.jdbc.Transactions;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Installs, verifies and removes the server guard: on each partitioned table (the root, and each sub-partitioned
 * partition) a row trigger refusing a change of its partition key, which PostgreSQL clones to every partition below it,
 * present and future; on each partition at every level a statement trigger refusing writes that name it (statement
 * triggers of a partition do not fire for rows routed through the parent, so routed writes pay nothing; a TRUNCATE of
 * the root reaches them). {@link GuardSql#BYPASS_SETTING} lets one transaction's writes through.
 *
 * <p>Verifying checks what each trigger is, not only that one of its name exists; installing repairs every deviation
 * and is a no-op when there is none.
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
     * empty, in a constant number of statements.
     *
     * @throws PartitioningException {@link ErrorCode#CATALOG_UNREADABLE} naming a table that is not a partitioned root
     */
    public GuardState read(Connection connection, List<TableName> tables) throws SQLException {
        GuardFacts facts = GuardReader.read(connection, tables);
        return GuardPlanner.plan(facts, FUNCTIONS, ServerGuard::md5);
    }

    /**
     * The statements that complete and repair the guard of every root in {@code state}, in order; empty when none is needed.
     *
     * @throws PartitioningException {@link ErrorCode#OPERATION_UNSUPPORTED} when a root cannot be guarded (a Citus table),
     *                               naming each with the reason and what to do instead, before anything is installed
     */
    public List<String> installStatements(GuardState state) {
        if (!state.refused().isEmpty()) {
            throw new PartitioningException(ErrorCode.OPERATION_UNSUPPORTED, "Cannot install the server guard, and nothing was "
                    + "installed: " + String.join(" ", state.refused().stream().map(GuardState.Refused::reason).toList())
                    + " Leave " + (state.refused().size() == 1 ? "it" : "them") + " out (--table names the tables to guard), "
                    + "or set pgpartition.server_guard=none for " + (state.refused().size() == 1 ? "it" : "them") + ".");
        }
        Set<String> statements = new LinkedHashSet<>();
        state.roots().forEach(root -> root.gaps().forEach(gap -> statements.addAll(gap.repair())));
        return new ArrayList<>(statements);
    }

    /**
     * The statements that remove every trigger of the guard from every root in {@code state}, and from tables that are no
     * longer partitions; the functions go too when {@code functions}.
     */
    public List<String> removeStatements(GuardState state, boolean functions) {
        List<String> statements = new ArrayList<>();
        Set<String> schemas = new LinkedHashSet<>();
        for (GuardState.Root root : state.roots()) {
            statements.addAll(root.removal());
            schemas.add(root.name().schema());
        }
        statements.addAll(state.detached());
        if (functions) {
            for (String schema : schemas) {
                FUNCTIONS.keySet().stream().sorted().forEach(name -> statements.add(GuardSql.dropFunction(schema, name)));
            }
        }
        return statements;
    }

    /** Runs statements in one transaction; the connection's auto-commit is put back as it was. */
    public void run(Connection connection, List<String> statements) throws SQLException {
        if (!statements.isEmpty()) {
            Transactions.of(connection).once(statements);
        }
    }

    /** Completes and repairs the guard of the named roots (every root when none is named); returns the statements it ran. */
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
}
