package io.pgpartition.conversion.internal;

import io.pgpartition.catalog.internal.TableData;
import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.catalog.internal.TableReader;
import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.catalog.internal.DataProbes;
import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.conversion.ConversionStatus;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.internal.jdbc.AdvisoryLock;
import io.pgpartition.internal.jdbc.Transactions;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a conversion's steps on one connection: the advisory lock of the table, the phases recorded in the state table,
 * each step's transactions through {@link Transactions}. The session reads with {@code row_security = off}, so that a
 * read that row-level security would filter fails instead of copying or verifying part of the rows.
 */
public final class ConversionRunner implements AutoCloseable {

    /** The first key of a conversion's advisory lock ({@code 'pgpc'}); the second is {@code hashtext} of the table's name. */
    public static final int ADVISORY_LOCK_CLASS = 0x70677063;
    /** How long a run waits for another run's advisory lock before it refuses. */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(3);

    private final ConversionSpec spec;
    private final Connection connection;
    private final Transactions transactions;
    private final ConversionProgress progress;
    private final Transactions.AutoCommit autoCommit;
    private final String rowSecurity;
    private final Names names;
    private AdvisoryLock lock;

    public ConversionRunner(ConversionSpec spec, Connection connection, ConversionProgress progress) throws SQLException {
        this.spec = spec;
        this.connection = connection;
        this.progress = progress;
        this.transactions = new Transactions(connection, spec.options().lockTimeout(), spec.options().attempts(),
                attempt -> spec.options().pauseAfter(attempt));
        this.autoCommit = transactions.autoCommit();
        this.names = names(connection, spec.table());
        this.rowSecurity = Catalog.setting(connection, "row_security");
        transactions.alone("SET row_security = off");
    }

    /** The names, from the table's schema-qualified name (the search path resolves an unqualified one). */
    public static Names names(Connection connection, TableName table) throws SQLException {
        return Names.of(Catalog.qualified(connection, table));
    }

    /** Reads the facts and plans the conversion. */
    public Blueprint blueprint(Instant now) throws SQLException {
        TableFacts facts = TableReader.read(connection, names.table()).orElseThrow(() -> new PartitioningException(
                ErrorCode.CATALOG_UNREADABLE, "Table " + spec.table() + " does not exist. Check the name and the schema: schema.table."))
                .withoutTriggers(List.of(Names.SYNC_TRIGGER, Names.TRUNCATE_TRIGGER));
        boolean recorded = StateTable.read(connection, names).isPresent();
        boolean readable = !facts.forceRowSecurity() || facts.role().bypassRls();
        TableData data = readable && facts.kind().equals("r") && facts.column(spec.keyColumn()).isPresent()
                ? TableData.read(connection, facts.name(), spec.keyColumn(), spec.policy()) : new TableData(0, 0, null, null, List.of());
        Set<String> taken = TableData.taken(connection, facts.name().schema(), ConversionPlanner.namesNeeded(spec, facts, data, now));
        return ConversionPlanner.plan(spec, facts, data, taken, recorded, now);
    }

    /** Takes the table's advisory lock, or refuses when another run holds it. */
    public void lock() throws SQLException {
        String key = Sql.table(names.table());
        lock = AdvisoryLock.tryTake(connection, ADVISORY_LOCK_CLASS, key, LOCK_WAIT).orElseThrow(() -> new PartitioningException(
                ErrorCode.CONVERSION_BLOCKED, "Another run is converting " + names.table() + " (it holds "
                + AdvisoryLock.describe(ADVISORY_LOCK_CLASS, key) + "). Nothing was changed. Fix: let it finish; pgpartition convert "
                + "status shows where it stands."));
    }

    public ConversionStatus status() throws SQLException {
        return StateTable.status(connection, names);
    }

    /** Converts, or resumes the conversion where it stopped. */
    public ConversionStatus run(Instant now) throws SQLException {
        lock();
        Optional<StateTable.Recorded> recorded = StateTable.read(connection, names);
        if (recorded.isPresent() && !StateTable.describe(spec).equals(recorded.get().definition())) {
            throw new PartitioningException(ErrorCode.CONVERSION_BLOCKED, "The conversion of " + names.table() + " under way is "
                    + recorded.get().definition() + ", not " + StateTable.describe(spec) + ". Nothing was changed. Fix: run it with the "
                    + "layout it began with, or roll it back (pgpartition convert rollback) and start again.");
        }
        ConversionStatus.Phase phase = recorded.map(r -> r.status().phase()).orElse(ConversionStatus.Phase.NONE);
        if (phase == ConversionStatus.Phase.SWAPPED) {
            validatePending();
            progress.step(status().describe());
            return status();
        }
        Blueprint blueprint = blueprint(now);
        if (phase == ConversionStatus.Phase.NONE) {
            requireConvertible(blueprint);
            transactions.retried(() -> {
                awaitAutovacuum(List.of(names.table()));
                return blueprint.prepare();
            });
            progress.step("prepared " + names.twin() + " with " + blueprint.partitions().size() + " partitions, and the trigger "
                    + "logging the changes of " + names.table());
        } else {
            requireConvertible(blueprint);
            progress.step("resuming the conversion of " + names.table() + " (" + phase.name().toLowerCase() + ")");
        }
        phase = status().phase();
        if (phase == ConversionStatus.Phase.PREPARED || phase == ConversionStatus.Phase.COPYING) {
            copy(blueprint);
        }
        if (status().phase() == ConversionStatus.Phase.COPIED) {
            transactions.alone("ANALYZE " + Sql.table(names.twin()));
            progress.step("analyzed " + names.twin() + " and its partitions, whose autovacuum waits for the swap");
            replay(blueprint.log(), spec.batchSize());
            verify(blueprint);
        }
        swap(blueprint);
        validatePending();
        return status();
    }

    private static void requireConvertible(Blueprint blueprint) {
        if (!blueprint.convertible()) {
            throw new PartitioningException(ErrorCode.CONVERSION_BLOCKED, "Cannot convert " + blueprint.facts().name() + ": "
                    + String.join(" ", blueprint.blockers()) + " Nothing was changed.");
        }
    }

    /**
     * A batch of the copy commits without waiting for its WAL to reach the disk: a crash can only lose the last batches
     * together with their record in the state table (one transaction), and the resumed copy copies them again; any later
     * commit that waits for the disk (a writer's, a replay's) flushes them first.
     */
    private static final String ASYNCHRONOUS_COMMIT = "SET LOCAL synchronous_commit = off";

    private void copy(Blueprint blueprint) throws SQLException {
        StateTable.Recorded recorded = StateTable.read(connection, names).orElseThrow();
        List<String>[] after = new List[]{recorded.lastKey()};
        List<String> until = recorded.copyUntil();
        long[] copied = {recorded.status().rowsCopied()};
        long started = System.nanoTime();
        int width = blueprint.identity().size();
        transactions.inTransactions(Connection.TRANSACTION_READ_COMMITTED, () -> {
            while (true) {
                transactions.alone(ASYNCHRONOUS_COMMIT);
                Object[] result = until == null ? new Object[]{0L} : Jdbc.first(connection, blueprint.log().copyBatch(
                        blueprint.allColumns(), after[0], until, spec.batchSize()), rs -> {
                    Object[] row = new Object[1 + width];
                    row[0] = rs.getLong(1);
                    for (int i = 1; i < row.length; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    return row;
                }).orElseThrow();
                long rows = (Long) result[0];
                if (rows == 0) {
                    transactions.alone(StateTable.setPhase(names, ConversionStatus.Phase.COPIED));
                    connection.commit();
                    progress.step("copied " + copied[0] + " rows");
                    return;
                }
                List<String> last = new ArrayList<>();
                for (int i = 1; i < result.length; i++) {
                    last.add((String) result[i]);
                }
                transactions.alone(StateTable.copied(names, last, rows));
                connection.commit();
                after[0] = last;
                copied[0] += rows;
                progress.copied(copied[0], Math.max(recorded.status().rowsTotal(), copied[0]), Duration.ofNanos(System.nanoTime() - started));
                Transactions.sleep(spec.pause().toMillis());
            }
        });
    }

    /**
     * How few logged entries a round of replay must find before the swap takes its lock: the swap replays what is left
     * under the lock, and writers wait for it.
     */
    static final int SWAP_READY = 1_000;

    /**
     * Replays the change log in rounds of up to a batch of entries, each round one REPEATABLE READ transaction (so that
     * its statements agree on which entries and rows they see), until a round finds fewer than {@code until} entries:
     * what is left is what the writers added meanwhile.
     */
    private long replay(ChangeLog log, int until) throws SQLException {
        long[] replayed = {0};
        transactions.inTransactions(Connection.TRANSACTION_REPEATABLE_READ, () -> {
            while (true) {
                Object[] round = Jdbc.first(connection, log.nextRound(spec.batchSize()), rs -> new Object[]{rs.getLong(1), rs.getObject(2)})
                        .orElseThrow();
                long entries = (Long) round[0];
                if (entries > 0) {
                    transactions.alone(log.replay(round[1].toString()));
                }
                connection.commit();
                replayed[0] += entries;
                if (entries < Math.min(until, spec.batchSize())) {
                    return;
                }
            }
        });
        progress.step("replayed " + replayed[0] + " logged change" + (replayed[0] == 1 ? "" : "s"));
        return replayed[0];
    }

    /** Compares, in one snapshot, the rows and checksum of every partition with the rows of the original it should hold. */
    private void verify(Blueprint blueprint) throws SQLException {
        ChangeLog log = blueprint.log();
        transactions.inTransactions(Connection.TRANSACTION_REPEATABLE_READ, () -> {
            List<Catalog.PartitionConstraint> partitions = Catalog.partitionConstraints(connection, names.twin());
            Map<Long, long[]> twin = DataProbes.checksums(connection, log.checksumsByPartition(names.twin()));
            Map<Long, long[]> original = DataProbes.checksums(connection, log.checksumsByConstraint(names.table(), partitions));
            connection.commit();
            List<String> differences = ConversionPlanner.differences(names.table(), partitions, original, twin);
            long rows = twin.values().stream().mapToLong(sum -> sum[0]).sum();
            if (!differences.isEmpty()) {
                throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The partitioned copy of " + names.table() + " differs from "
                        + "it: " + String.join("; ", differences) + ". Nothing was swapped. A write that bypassed the log trigger (the "
                        + "trigger " + Names.SYNC_TRIGGER + " disabled by hand, say) is the likely cause. Fix: pgpartition convert rollback, "
                        + "then run the conversion again.");
            }
            transactions.alone(StateTable.setPhase(names, ConversionStatus.Phase.VERIFIED));
            connection.commit();
            progress.step("verified " + rows + " rows in " + partitions.size() + " partitions: counts and checksums match");
        });
    }

    /**
     * The swap, attempted until it gets its lock: before each attempt autovacuum is waited out and the log replayed
     * down to {@link #SWAP_READY} entries, so that what the swap replays under its lock (while writers wait) is what
     * arrived in the last moments only.
     */
    private void swap(Blueprint blueprint) throws SQLException {
        List<String> statements = new ArrayList<>(blueprint.swap());
        if (!blueprint.afterSwap().isEmpty()) {
            statements.add(StateTable.pendingValidation(names, blueprint.afterSwap()));
        }
        Transactions.Outcome outcome;
        try {
            outcome = transactions.retried(() -> {
                awaitAutovacuum(List.of(names.table(), names.twin(), names.log()));
                replay(blueprint.log(), SWAP_READY);
                return statements;
            });
        } catch (SQLException e) {
            if (Transactions.isLockFailure(e)) {
                throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The swap of " + names.table() + " could not take its "
                        + "lock within the lock timeout of " + spec.options().lockTimeout().toMillis() + " ms in " + spec.options().attempts()
                        + " attempts: a long transaction holds " + names.table() + " (see pg_stat_activity); each attempt stalled the "
                        + "writers of " + names.table() + " for up to the lock timeout. Nothing was swapped; the copy is kept and kept "
                        + "in sync. Fix: run the conversion again once that transaction has ended (it resumes at the swap), or give "
                        + "a longer --lock-timeout if writers can wait that long.", e);
            }
            throw e;
        }
        progress.swapped(outcome.stall());
        progress.step("swapped " + names.table() + ": writers stalled " + outcome.stall().toMillis() + " ms (from the lock request to "
                + "the commit)" + (outcome.attempts() > 1 ? " after " + (outcome.attempts() - 1) + " attempt"
                + (outcome.attempts() == 2 ? "" : "s") + " that timed out on the lock (" + outcome.waited().toMillis() + " ms in all)" : "")
                + "; the original is kept as " + names.retired() + ", and every write is logged for a rollback until cleanup");
    }

    /**
     * Runs what the swap left for after it (the validation of the foreign keys it re-pointed NOT VALID, autovacuum given
     * back to the partitions), each in its own transaction, recording each one done.
     */
    private void validatePending() throws SQLException {
        Optional<StateTable.Recorded> recorded = StateTable.read(connection, names);
        List<String> pending = recorded.map(StateTable.Recorded::pendingValidation).orElse(null);
        if (pending == null) {
            return;
        }
        int autovacuum = 0;
        for (String statement : pending) {
            transactions.once(List.of(statement, StateTable.validated(names, statement)));
            if (statement.contains(" RESET (autovacuum_enabled)")) {
                autovacuum++;
            } else {
                progress.step("after the swap: " + statement);
            }
        }
        if (autovacuum > 0) {
            progress.step("after the swap: autovacuum given back to " + autovacuum + " partition" + (autovacuum == 1 ? "" : "s"));
        }
    }

    /**
     * Undoes the conversion. Before the swap, drops the twin and the log. After it, brings the original up to date from
     * the log while the application writes (and refuses, naming the row, when the original cannot take one), verifies
     * the two tables row for row, then swaps the names back under the lock.
     */
    public ConversionStatus rollback() throws SQLException {
        lock();
        ConversionStatus state = status();
        switch (state.phase()) {
            case NONE -> throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "No conversion of " + names.table()
                    + " is recorded in " + names.state() + ": there is nothing to roll back.");
            case SWAPPED -> rollbackSwapped();
            default -> transactions.retried(() -> Swap.beforeSwap(names));
        }
        dropStateTableIfEmpty();
        return status();
    }

    /**
     * Drops the state table once no conversion is recorded in it, so that a database converted and cleaned up (or
     * rolled back) keeps nothing of pgpartition's; a role that does not own it leaves it. Under its exclusive lock,
     * so that a conversion recording its state meanwhile keeps its row.
     */
    private void dropStateTableIfEmpty() throws SQLException {
        transactions.inTransactions(Connection.TRANSACTION_READ_COMMITTED, () -> {
            if (Catalog.ownsTable(connection, names.state())) {
                transactions.alone("LOCK TABLE " + Sql.table(names.state()) + " IN ACCESS EXCLUSIVE MODE");
                if (DataProbes.isEmpty(connection, names.state())) {
                    transactions.alone("DROP TABLE " + Sql.table(names.state()));
                }
            }
            connection.commit();
        });
    }

    private void rollbackSwapped() throws SQLException {
        TableFacts original = TableReader.read(connection, names.retired()).orElseThrow(() -> new PartitioningException(
                ErrorCode.CONVERSION_FAILED, "The original table " + names.retired() + " is gone: the conversion of " + names.table()
                + " cannot be rolled back."));
        List<String> identity = ConversionPlanner.identityColumns(original);
        ChangeLog back = new ChangeLog(names, names.table(), names.retired(), identity, identity.stream()
                .map(c -> original.column(c).orElseThrow().type()).toList(), null,
                original.columns().stream().filter(c -> !c.isGenerated()).map(TableFacts.Column::name).toList());
        try {
            replay(back, SWAP_READY);
            transactions.inTransactions(Connection.TRANSACTION_REPEATABLE_READ, () -> {
                long[] partitioned = DataProbes.checksums(connection, back.checksumsWhole(names.table())).getOrDefault(0L, new long[2]);
                long[] kept = DataProbes.checksums(connection, back.checksumsWhole(names.retired())).getOrDefault(0L, new long[2]);
                connection.commit();
                if (partitioned[0] != kept[0] || partitioned[1] != kept[1]) {
                    throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The rollback of the conversion of " + names.table()
                            + " stopped before swapping anything back: " + names.retired() + " holds " + kept[0] + " rows and "
                            + names.table() + " " + partitioned[0] + (partitioned[0] == kept[0] ? " (checksums differ)" : "") + ", outside "
                            + "the writes logged since the swap. A write that bypassed the log trigger (disabled by hand, say) is the "
                            + "likely cause. Fix: keep the partitioned table (pgpartition convert cleanup --confirm), or bring "
                            + names.retired() + " up to date by hand and roll back again.");
                }
            });
            List<TableFacts.Reference> repointed = new ArrayList<>();
            Transactions.Outcome outcome = transactions.retried(() -> {
                awaitAutovacuum(List.of(names.table(), names.retired(), names.log()));
                replay(back, SWAP_READY);
                TableFacts current = TableReader.read(connection, names.table()).orElseThrow();
                repointed.clear();
                current.referencedBy().stream().filter(TableFacts.Reference::validated).forEach(repointed::add);
                return Swap.rollback(names, back, current, TableReader.read(connection, names.retired()).orElseThrow(),
                        Catalog.partitionsBelow(connection, names.table()));
            });
            progress.step("rolled back " + names.table() + ": writers stalled " + outcome.stall().toMillis() + " ms");
            for (TableFacts.Reference reference : repointed) {
                transactions.once(List.of("ALTER TABLE " + Sql.table(reference.table()) + " VALIDATE CONSTRAINT "
                        + Sql.identifier(reference.constraint())));
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The rollback of the conversion of " + names.table()
                        + " stopped before swapping anything back: the original table " + names.retired() + " cannot take a row "
                        + "written since the swap: " + e.getMessage().strip() + " (SQLSTATE " + e.getSQLState() + "). Fix: change or "
                        + "delete that row of " + names.table() + " and roll back again, or keep the partitioned table (pgpartition "
                        + "convert cleanup --confirm).", e);
            }
            throw e;
        }
    }

    /** How long a step waits for autovacuum to leave its tables before it queues for their locks anyway. */
    static final Duration AUTOVACUUM_WAIT = Duration.ofMinutes(10);

    /**
     * Waits, without queuing for any lock, until no autovacuum worker holds a lock on {@code tables} or their
     * partitions. Autovacuum yields to a lock request only after {@code deadlock_timeout} (1 s by default), longer than
     * the lock timeout that keeps writers' stalls short: a step that queued behind it would time out attempt after
     * attempt. Gives up waiting after {@link #AUTOVACUUM_WAIT} and lets the attempts meet it.
     */
    private void awaitAutovacuum(List<TableName> tables) throws SQLException {
        long deadline = System.nanoTime() + AUTOVACUUM_WAIT.toNanos();
        String said = null;
        while (System.nanoTime() < deadline) {
            List<String> workers = Catalog.autovacuumHolders(connection, tables);
            if (workers.isEmpty()) {
                return;
            }
            String now = String.join(", ", workers);
            if (!now.equals(said)) {
                progress.step("waiting for autovacuum (pid " + now + ") to finish before taking the lock, so that writers do "
                        + "not queue behind both");
                said = now;
            }
            Transactions.sleep(500);
        }
    }

    /** Ends a swapped conversion: the original, the log and the conversion's triggers dropped. */
    public ConversionStatus cleanup() throws SQLException {
        lock();
        ConversionStatus state = status();
        if (state.phase() != ConversionStatus.Phase.SWAPPED) {
            throw new PartitioningException(ErrorCode.CONVERSION_FAILED, "The conversion of " + names.table() + " is "
                    + (state.phase() == ConversionStatus.Phase.NONE ? "not recorded" : "not swapped yet (" + state.phase().name()
                    .toLowerCase() + ")") + ": cleanup drops the original table only after the swap. Fix: pgpartition convert run "
                    + "to finish it, or rollback to undo it.");
        }
        validatePending();
        List<TableName> partitions = Catalog.partitionsBelow(connection, names.table());
        transactions.retried(() -> Swap.cleanup(names, partitions));
        dropStateTableIfEmpty();
        return status();
    }

    @Override
    public void close() throws SQLException {
        if (connection.isClosed()) {
            return;
        }
        try {
            if (lock != null) {
                lock.close();
            }
            transactions.alone("SET row_security = " + Sql.literal(rowSecurity));
        } finally {
            autoCommit.close();
        }
    }
}
