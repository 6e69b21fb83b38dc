package io.pgpartition.maintenance;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.catalog.internal.PolicyTable;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.internal.ShellWords;
import io.pgpartition.internal.jdbc.Transactions;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The maintenance policies an application records in its database, one source of truth for every runner: the
 * application records the policies its annotations declare at startup, and {@code pgpartition maintain} and
 * {@code check} use them when no policy is given on the command line. Each schema holding partitioned tables keeps its
 * tables' policies in a table {@code pgpartition_policies}, as options of {@code pgpartition maintain}.
 */
public final class RecordedPolicies {

    private RecordedPolicies() {
    }

    /**
     * A policy as recorded.
     *
     * @param table      the parent table, schema-qualified
     * @param options    the options of {@code pgpartition maintain} that describe it
     * @param recordedBy who recorded it (the application's name, or the database role)
     * @param recordedAt when it last changed
     */
    public record Recorded(TableName table, List<String> options, String recordedBy, OffsetDateTime recordedAt) {
        public Recorded {
            options = List.copyOf(options);
        }

        /** {@code public.orders: --interval '1 month' --premake 3 ... (recorded by orders-service at 2026-12-05T10:00Z)}. */
        public String describe() {
            return table + ": " + ShellWords.join(options) + " (recorded by " + recordedBy + " at " + recordedAt + ")";
        }
    }

    /**
     * What recording did.
     *
     * @param recorded    the tables whose policy is now recorded (changed or already so)
     * @param notRecorded for each table whose policy could not be recorded, why, with the statement that lets it
     */
    public record Outcome(List<TableName> recorded, List<String> notRecorded) {
        public Outcome {
            recorded = List.copyOf(recorded);
            notRecorded = List.copyOf(notRecorded);
        }
    }

    /**
     * Records each policy in its schema's policy table, creating that table where the role may. Never throws for a
     * privilege: what cannot be recorded is in the outcome, with the statement a database owner runs to allow it.
     *
     * @throws PartitioningException {@link ErrorCode#CATALOG_UNREADABLE} when the database cannot be reached
     */
    public static Outcome record(Connection connection, List<MaintenancePolicy> policies, String recordedBy) {
        List<TableName> recorded = new ArrayList<>();
        List<String> notRecorded = new ArrayList<>();
        try (Transactions.AutoCommit autoCommit = Transactions.of(connection).autoCommit()) {
            List<TableName> tables = Catalog.qualified(connection, policies.stream().map(MaintenancePolicy::table).toList());
            Map<String, Map<String, List<String>>> bySchema = new LinkedHashMap<>();
            for (int i = 0; i < policies.size(); i++) {
                bySchema.computeIfAbsent(tables.get(i).schema(), schema -> new LinkedHashMap<>())
                        .put(tables.get(i).name(), policies.get(i).commandLineOptions());
            }
            List<String> existing = PolicyTable.schemas(connection);
            List<String> missing = bySchema.keySet().stream().filter(schema -> !existing.contains(schema)).toList();
            Set<String> creatable = missing.isEmpty() ? Set.of() : PolicyTable.creatableIn(connection, missing);
            String role = PolicyTable.currentRole(connection);
            for (Map.Entry<String, Map<String, List<String>>> schema : bySchema.entrySet()) {
                TableName store = PolicyTable.in(schema.getKey());
                List<TableName> these = schema.getValue().keySet().stream().map(name -> TableName.of(schema.getKey(), name)).toList();
                String names = these.stream().map(TableName::toString).collect(Collectors.joining(", "));
                if (missing.contains(schema.getKey()) && !creatable.contains(schema.getKey())) {
                    notRecorded.add(names + ": role " + role + " may not create " + store + ". To record policies there, a database "
                            + "owner runs: " + PolicyTable.create(schema.getKey()) + "; GRANT SELECT, INSERT, UPDATE ON "
                            + Sql.table(store) + " TO " + Sql.identifier(role));
                    continue;
                }
                try {
                    if (missing.contains(schema.getKey())) {
                        PolicyTable.createIn(connection, schema.getKey());
                    }
                    PolicyTable.record(connection, schema.getKey(), schema.getValue(), recordedBy);
                    recorded.addAll(these);
                } catch (SQLException e) {
                    if (!"42501".equals(e.getSQLState())) {
                        throw e;
                    }
                    notRecorded.add(names + ": role " + role + " may not write " + store + " (" + e.getMessage().strip()
                            + "). To record policies there, a database owner runs: GRANT SELECT, INSERT, UPDATE ON "
                            + Sql.table(store) + " TO " + Sql.identifier(role));
                }
            }
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot record the partition policies: " + e.getMessage(), e);
        }
        return new Outcome(recorded, notRecorded);
    }

    /**
     * The policies recorded for these tables (each resolved through the search path), or every recorded policy when
     * none is named; a table without a recorded policy is left out. A constant number of statements per schema.
     *
     * @throws PartitioningException {@link ErrorCode#CATALOG_UNREADABLE} when they cannot be read
     */
    public static List<Recorded> read(Connection connection, List<TableName> tables) {
        try {
            List<PolicyTable.Row> rows = new ArrayList<>();
            if (tables.isEmpty()) {
                rows.addAll(PolicyTable.readAll(connection));
            } else {
                List<TableName> qualified = Catalog.qualified(connection, tables);
                for (String schema : qualified.stream().map(TableName::schema).distinct().toList()) {
                    PolicyTable.read(connection, schema).stream().filter(row -> qualified.contains(row.table())).forEach(rows::add);
                }
            }
            return rows.stream().map(row -> new Recorded(row.table(), row.options(), row.recordedBy(), row.recordedAt())).toList();
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot read the recorded partition policies: "
                    + e.getMessage(), e);
        }
    }

    /** The policy recorded for one table. */
    public static Optional<Recorded> read(Connection connection, TableName table) {
        return read(connection, List.of(table)).stream().findFirst();
    }
}
