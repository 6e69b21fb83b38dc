package io.pgpartition.hibernate.spi;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.MaintenancePlan;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.MaintenanceResult;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.model.TableName;
import io.pgpartition.report.PartitionHealth;
import jakarta.persistence.EntityManagerFactory;
import org.hibernate.SessionFactory;
import org.hibernate.engine.spi.SessionFactoryImplementor;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The partitioned tables of one open persistence unit, for monitoring and scheduling: their health now, and
 * maintenance run on the unit's own connections with a record of how the runs went. The Spring Boot starter builds
 * its health contributor, gauges and scheduled maintenance on this.
 *
 * <p>Exists while the session factory is open, for a PostgreSQL persistence unit with at least one
 * {@code @PartitionedBy} entity and pgpartition enabled.
 */
public final class PartitionedPersistenceUnit {

    /**
     * A partitioned entity's table.
     *
     * @param entity the entity name
     * @param table  its table as mapped (qualified where the mapping names a schema)
     * @param policy the maintenance policy its annotations declare, if any
     */
    public record PartitionedEntityTable(String entity, TableName table, Optional<MaintenancePolicy> policy) {
        public PartitionedEntityTable {
            Objects.requireNonNull(entity, "entity");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** Borrows a connection of the unit's, unwrapped from the child-partition guard, and always gives it back. */
    public interface Connections {
        <T> T use(Work<T> work) throws SQLException;
    }

    /** Work on a borrowed connection. */
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Open units by their session factory's UUID: a proxy of the factory (Spring's, for one) answers with the same
     * UUID, and can be {@code unwrap}ped to itself rather than to the factory.
     */
    private static final Map<String, PartitionedPersistenceUnit> OPEN = new ConcurrentHashMap<>();

    private final List<PartitionedEntityTable> tables;
    private final Optional<PartitionMaintenance> maintenance;
    private final Connections connections;
    private final Clock clock;
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private final AtomicReference<MaintenanceResult> lastResult = new AtomicReference<>();
    private final AtomicLong failures = new AtomicLong();

    /**
     * Opens a unit over the given tables, maintenance and connections: for the integration that opens persistence units
     * (pgpartition's own integrator, or a framework's); applications get theirs from {@link #of}.
     */
    public PartitionedPersistenceUnit(List<PartitionedEntityTable> tables, Optional<PartitionMaintenance> maintenance,
                                      Connections connections, Clock clock) {
        this.tables = List.copyOf(tables);
        this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The partitioned tables of an open persistence unit; empty when it has none (or is not PostgreSQL, or pgpartition
     * is disabled in it).
     */
    public static Optional<PartitionedPersistenceUnit> of(EntityManagerFactory factory) {
        return Optional.ofNullable(OPEN.get(factory.unwrap(SessionFactoryImplementor.class).getUuid()));
    }

    /** For the integration that opens the unit: makes it the unit of a session factory, until it closes. */
    public static void register(SessionFactory factory, PartitionedPersistenceUnit unit) {
        OPEN.put(((SessionFactoryImplementor) factory).getUuid(), unit);
    }

    /** For the integration that opens the unit: forgets the unit of a closing session factory. */
    public static void unregister(SessionFactory factory) {
        OPEN.remove(((SessionFactoryImplementor) factory).getUuid());
    }

    /** Every partitioned entity's table, in the order the entities were found. */
    public List<PartitionedEntityTable> tables() {
        return tables;
    }

    /** The maintenance of the tables whose entities declare a policy; empty when none does. */
    public Optional<PartitionMaintenance> maintenance() {
        return maintenance;
    }

    /**
     * The health of each partitioned entity's table now (tables with a policy judged by it, see
     * {@link PartitionHealth#check}), one per table even when several entities share it.
     *
     * @throws PartitioningException {@link ErrorCode#CATALOG_UNREADABLE} when the database cannot be reached or read
     */
    public List<PartitionHealth> health() {
        List<MaintenancePolicy> policies = maintenance.map(PartitionMaintenance::policies).orElse(List.of());
        List<TableName> others = tables.stream().filter(table -> table.policy().isEmpty()).map(PartitionedEntityTable::table)
                .filter(table -> policies.stream().noneMatch(policy -> policy.table().equals(table))).distinct().toList();
        return withConnection(ErrorCode.CATALOG_UNREADABLE, "The health of the partitioned tables cannot be read",
                connection -> PartitionHealth.check(connection, others, policies, clock.instant()));
    }

    /** What maintenance would do now, changing nothing; empty when no entity declares a policy. */
    public Optional<MaintenancePlan> plan() {
        return maintenance.map(engine -> withConnection(ErrorCode.MAINTENANCE_FAILED, "Partition maintenance cannot plan",
                connection -> engine.plan(connection, clock.instant())));
    }

    /**
     * Runs maintenance now (premake, rescue, retention as the policies say) and records the outcome: a run that
     * {@linkplain MaintenanceResult#isComplete() completes} is a success, any other run or an exception a failure.
     * Safe to call from several instances of the application at once: each table is maintained under its advisory
     * lock, so one instance does the work and the others find nothing left to do.
     *
     * @return the run's result; empty when no entity declares a policy
     * @throws PartitioningException {@link ErrorCode#MAINTENANCE_FAILED} when no connection can be had, and what
     *                               {@link PartitionMaintenance#apply} throws
     */
    public Optional<MaintenanceResult> maintain() {
        if (maintenance.isEmpty()) {
            return Optional.empty();
        }
        try {
            MaintenanceResult result = withConnection(ErrorCode.MAINTENANCE_FAILED, "Partition maintenance has no connection "
                    + "to the database", connection -> maintenance.get().apply(connection, clock.instant()));
            lastResult.set(result);
            if (result.isComplete()) {
                lastSuccess.set(result.at());
            } else {
                failures.incrementAndGet();
            }
            return Optional.of(result);
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            throw e;
        }
    }

    /** When the last run of {@link #maintain} completed; empty before the first complete run. */
    public Optional<Instant> lastSuccessfulMaintenance() {
        return Optional.ofNullable(lastSuccess.get());
    }

    /** The result of the last run of {@link #maintain} that returned one. */
    public Optional<MaintenanceResult> lastMaintenanceResult() {
        return Optional.ofNullable(lastResult.get());
    }

    /** How many runs of {@link #maintain} did not complete or threw, since the unit opened. */
    public long maintenanceFailures() {
        return failures.get();
    }

    /** The problems among a result's findings. */
    public static List<MaintenanceFinding> problems(MaintenanceResult result) {
        return result.findings().stream().filter(finding -> finding.kind().isProblem()).toList();
    }

    private <T> T withConnection(ErrorCode code, String failure, Work<T> work) {
        try {
            return connections.use(work);
        } catch (SQLException e) {
            throw new PartitioningException(code, failure + " (" + e.getMessage() + "). Check the connection settings.", e);
        }
    }
}
