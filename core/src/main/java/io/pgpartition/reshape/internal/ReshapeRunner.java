package io.pgpartition.reshape.internal;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.catalog.internal.DataProbes;
import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.catalog.internal.TableData;
import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.catalog.internal.TableReader;
import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.internal.Names;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.guard.internal.GuardSql;
import io.pgpartition.internal.ShellWords;
import io.pgpartition.internal.jdbc.AdvisoryLock;
import io.pgpartition.internal.jdbc.Transactions;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.maintenance.internal.MaintenanceRun;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.TableName;
import io.pgpartition.reshape.ReshapePlan;
import io.pgpartition.reshape.ReshapeSpec;
import io.pgpartition.reshape.ReshapeStatus;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a reshape's steps on one connection: maintenance's advisory lock of the table (so that maintenance and reshapes
 * of one table never overlap), the phases recorded in the state table, each step's transactions through
 * {@link Transactions} with the server guard's bypass. Reads with {@code row_security = off}, so that a read row-level
 * security would filter fails instead of copying part of the rows.
 */
public final class ReshapeRunner implements AutoCloseable {

    /** How long a run waits for another run's advisory lock before it refuses. */
    public static final Duration LOCK_WAIT = Duration.ofSeconds(3);
    /** How few logged entries a round of replay must find before the swap takes its lock. */
    static final int SWAP_READY = 1_000;

    private final Connection connection;
    private final TableName table;
    private final int batchSize;
    private final Duration pause;
    private final MaintenanceOptions options;
    private final Transactions transactions;
    private final Transactions.AutoCommit autoCommit;
    private final String rowSecurity;
    private final ConversionProgress progress;
    private AdvisoryLock lock;

    public ReshapeRunner(Connection connection, TableName table, int batchSize, Duration pause, MaintenanceOptions options,
                         ConversionProgress progress) throws SQLException {
        this.connection = connection;
        this.batchSize = batchSize;
        this.pause = pause;
        this.options = options;
        this.progress = progress;
        this.transactions = new Transactions(connection, options.lockTimeout(), options.attempts(), options::pauseAfter)
                .withLocal(GuardSql.BYPASS_SETTING, "on");
        this.autoCommit = transactions.autoCommit();
        this.table = Catalog.qualified(connection, table);
        this.rowSecurity = Catalog.setting(connection, "row_security");
        transactions.alone("SET row_security = off");
    }

    public TableName table() {
        return table;
    }

    /** Takes maintenance's advisory lock of the table, or refuses when another run holds it. */
    public void lock() throws SQLException {
        String key = Sql.table(table);
        lock = AdvisoryLock.tryTake(connection, MaintenanceRun.ADVISORY_LOCK_CLASS, key, LOCK_WAIT).orElseThrow(() ->
                new PartitioningException(ErrorCode.RESHAPE_BLOCKED, "Another run maintains or reshapes " + table + " (it holds "
                        + AdvisoryLock.describe(MaintenanceRun.ADVISORY_LOCK_CLASS, key) + "). Nothing was changed. Fix: let it "
                        + "finish; pgpartition repartition status " + ShellWords.tableWord(table) + " shows a reshape under way."));
    }

    public Optional<ReshapeState.Recorded> recorded() throws SQLException {
        return ReshapeState.read(connection, table);
    }

    public ReshapeStatus status() throws SQLException {
        return recorded().map(ReshapeState.Recorded::status).orElse(new ReshapeStatus(table, ReshapeStatus.Phase.NONE, "", List.of(),
                List.of(), 0, 0, Optional.empty(), Optional.empty()));
    }

    /** Reads the facts and plans the reshape. */
    public ShapePlanner.Planned plan(ReshapeSpec spec) throws SQLException {
        io.pgpartition.catalog.CatalogSnapshot snapshot = new CatalogReader().read(connection, List.of(table));
        Optional<io.pgpartition.catalog.Distribution> citus = snapshot.distribution(table);
        if (citus.isPresent()) {
            throw ShapePlanner.refused(spec, table + " is " + citus.get().describe() + ": a reshape logs concurrent writes with a trigger, which Citus does not run on the tables it holds. Fix: "
                    + "create the new partitions as standalone tables, fill them with INSERT INTO ... SELECT and swap them with "
                    + "DETACH PARTITION and ATTACH PARTITION in one transaction, while the application does not write to "
                    + table + ".");
        }
        PartitionedTable layout = snapshot.partitionedTable(table).orElseThrow(() ->
                ShapePlanner.refused(spec, table + " is not a partitioned table. Fix: pgpartition convert run "
                        + ShellWords.tableWord(table) + " turns a plain table into one."));
        TableFacts parent = TableReader.read(connection, table).orElseThrow();
        String conversion = parent.triggers().stream().anyMatch(t -> t.name().equals(Names.SYNC_TRIGGER))
                ? "its trigger " + Names.SYNC_TRIGGER + " logs every write for a rollback" : null;
        ShapePlanner.Facts facts = new ShapePlanner.Facts(layout, parent, Map.of(), conversion);
        List<ShapePlanner.Candidate> pieces;
        long rows = 0;
        switch (spec.operation()) {
            case SPLIT -> pieces = ShapePlanner.splitPieces(spec, facts);
            case MERGE -> pieces = List.of(ShapePlanner.mergedPiece(spec, facts));
            default -> {
                ShapePlanner.drainCandidates(spec, facts, null, null);
                TableName defaultPartition = layout.defaultPartition().orElseThrow().name();
                String column = layout.key().parts().get(0).column();
                ColumnType type = layout.key().parts().get(0).type();
                Object least = DataProbes.leastKey(connection, defaultPartition, column, type.kind(), null);
                Object greatest = least == null ? null : DataProbes.greatestFiniteKey(connection, defaultPartition, column, type.kind());
                List<ShapePlanner.Candidate> candidates = ShapePlanner.drainCandidates(spec, facts, least, greatest == null ? least : greatest);
                List<Object> thresholds = new ArrayList<>();
                if (!candidates.isEmpty()) {
                    thresholds.add(((RangeBound) candidates.get(0).bound()).from().get(0).value());
                    candidates.forEach(c -> thresholds.add(((RangeBound) c.bound()).to().get(0).value()));
                }
                long[] counts = candidates.isEmpty() ? new long[2]
                        : DataProbes.countsBetween(connection, defaultPartition, column, type.sqlName(), thresholds);
                rows = DataProbes.rowCounts(connection, List.of(defaultPartition)).getOrDefault(defaultPartition, 0L);
                pieces = new ArrayList<>();
                for (int i = 0; i < candidates.size(); i++) {
                    if (counts[i + 1] > 0) {
                        pieces.add(candidates.get(i));
                    }
                }
            }
        }
        Map<TableName, TableFacts> partitions = new HashMap<>();
        List<TableName> replaced = spec.operation() == ReshapeSpec.Operation.DRAIN ? List.of(layout.defaultPartition().orElseThrow().name())
                : spec.partitions().stream().map(n -> layout.partitions().stream().filter(p -> p.name().equals(n)
                || (n.schema() == null && p.name().name().equals(n.name()))).findFirst().orElseThrow().name()).toList();
        for (TableName name : replaced) {
            partitions.put(name, TableReader.read(connection, name).orElseThrow());
        }
        facts = new ShapePlanner.Facts(layout, parent, partitions, conversion);
        List<String> names = new ArrayList<>(pieces.stream().map(ShapePlanner.Candidate::name).toList());
        replaced.forEach(r -> names.add(Names.derived(r.name(), "_pgp_old")));
        pieces.forEach(p -> names.add(Names.derived(p.name(), "_pgp_new")));
        Set<String> taken = TableData.taken(connection, table.schema(), names);
        return spec.operation() == ReshapeSpec.Operation.DRAIN ? ShapePlanner.planDrain(spec, facts, pieces, rows, taken)
                : ShapePlanner.plan(spec, facts, pieces, taken);
    }

    /** Every statement of the reshape, for review. */
    public ReshapePlan script(ReshapeSpec spec) throws SQLException {
        ShapePlanner.Planned planned = plan(spec);
        Shape shape = planned.shape();
        ReshapeSql sql = new ReshapeSql(shape);
        List<ReshapePlan.Step> steps = new ArrayList<>();
        steps.add(new ReshapePlan.Step("1. prepare (one transaction): the new partitions as tables beside " + table
                + ", each with a CHECK of its bound, and the change log", prepareStatements(shape, planned.prepare(), request(spec), "<rows>")));
        steps.add(new ReshapePlan.Step("2. log the writes of the replaced partitions (one short transaction, lock_timeout "
                + options.lockTimeout().toMillis() + " ms, retried)", logStatements(shape)));
        if (shape.otherDefault() != null) {
            steps.add(new ReshapePlan.Step("3. prove the default partition holds none of the replaced range (scans it without "
                    + "blocking writers)", List.of(validateExcluded(shape))));
        }
        steps.add(new ReshapePlan.Step("4. copy: one transaction per batch of " + batchSize + " rows of each replaced partition, "
                + "in primary-key order, through a partitioned table that routes each row to its new partition (first batch shown); "
                + "at the end, the new partitions detached from it and it dropped", concat(List.of(sql.copyBatch(shape.replaced().get(0)
                .name(), null, batchSize)), sql.dropRouter())));
        steps.add(new ReshapePlan.Step("5. replay the change log in rounds, then verify (one REPEATABLE READ snapshot): rows and "
                + "checksums per new partition, both sides, rows logged since left out", List.of(sql.replay(shape.replacedTables(),
                shape.building(), "<the last entry of a round>"), sql.checksumsOfTargets(shape.building()),
                sql.checksumsOfSources(shape.replacedTables(), shape.building()))));
        steps.add(new ReshapePlan.Step("6. swap (one transaction, ACCESS EXCLUSIVE on " + table + ", lock_timeout "
                + options.lockTimeout().toMillis() + " ms, retried)", swapStatements(shape, TableReader.read(connection, table).orElseThrow())));
        steps.add(new ReshapePlan.Step("7. cleanup, once the new partitions are trusted (one transaction)", cleanupStatements(shape)));
        return new ReshapePlan(shape.description(), steps);
    }

    private static List<String> concat(List<String> first, List<String> then) {
        List<String> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    private List<String> prepareStatements(Shape shape, List<String> prepare, String request, String rows) {
        ReshapeSql sql = new ReshapeSql(shape);
        List<String> statements = new ArrayList<>();
        statements.add(ReshapeState.create(table));
        statements.addAll(prepare);
        statements.add(sql.createLog());
        statements.add(sql.logFunction());
        statements.add(sql.truncateFunction());
        statements.add("REVOKE ALL ON FUNCTION " + Sql.table(ReshapeSql.logFunction(table)) + "() FROM PUBLIC");
        statements.add(ReshapeState.insert(shape, request, rows));
        if (shape.otherDefault() != null) {
            statements.add("ALTER TABLE " + Sql.table(shape.otherDefault()) + " ADD CONSTRAINT " + Sql.identifier(ShapePlanner.EXCLUDED_CHECK)
                    + " CHECK (" + shape.excluded() + ") NOT VALID");
        }
        return statements;
    }

    private List<String> logStatements(Shape shape) {
        ReshapeSql sql = new ReshapeSql(shape);
        List<String> statements = new ArrayList<>();
        for (TableName replaced : shape.replacedTables()) {
            statements.addAll(ReshapeSql.dropTriggersOn(replaced));
            statements.addAll(sql.triggersOn(replaced));
        }
        return statements;
    }

    private static String validateExcluded(Shape shape) {
        return "ALTER TABLE " + Sql.table(shape.otherDefault()) + " VALIDATE CONSTRAINT " + Sql.identifier(ShapePlanner.EXCLUDED_CHECK);
    }

    /**
     * The swap: the last logged writes replayed under the table's lock, the replaced partitions detached (their log
     * triggers dropped, their own triggers disabled), the new ones attached (their bound CHECKs proving the attach needs
     * no scan, then dropped), foreign keys that reference the table re-added NOT VALID (validated after), the new
     * partitions' writes logged for a rollback.
     */
    private List<String> swapStatements(Shape shape, TableFacts parent) throws SQLException {
        ReshapeSql sql = new ReshapeSql(shape);
        List<String> statements = new ArrayList<>();
        statements.add("LOCK TABLE " + Sql.table(table) + ", " + String.join(", ", shape.buildingTables().stream().map(Sql::table).toList())
                + " IN ACCESS EXCLUSIVE MODE");
        statements.add(sql.replay(shape.replacedTables(), shape.building(), null));
        for (TableFacts.Reference reference : parent.referencedBy()) {
            statements.add("ALTER TABLE " + Sql.table(reference.table()) + " DROP CONSTRAINT " + Sql.identifier(reference.constraint()));
        }
        for (Shape.Piece piece : shape.replaced()) {
            statements.addAll(ReshapeSql.dropTriggersOn(piece.name()));
            statements.add(PartitionDdl.detach(table, piece.name(), false));
            if (!piece.building().equals(piece.name())) {
                statements.add("ALTER TABLE " + Sql.table(piece.name()) + " RENAME TO " + Sql.identifier(piece.building().name()));
            }
        }
        for (Shape.Piece piece : shape.created()) {
            if (!piece.building().equals(piece.name())) {
                statements.add("ALTER TABLE " + Sql.table(piece.building()) + " RENAME TO " + Sql.identifier(piece.name().name()));
            }
            statements.add("ALTER TABLE " + Sql.table(table) + " ATTACH PARTITION " + Sql.table(piece.name()) + " " + piece.forValues());
            if (!piece.isDefault()) {
                statements.add("ALTER TABLE " + Sql.table(piece.name()) + " DROP CONSTRAINT " + Sql.identifier(PartitionDdl.BOUND_CHECK));
            }
        }
        if (shape.otherDefault() != null) {
            statements.add("ALTER TABLE " + Sql.table(shape.otherDefault()) + " DROP CONSTRAINT " + Sql.identifier(ShapePlanner.EXCLUDED_CHECK));
        }
        statements.addAll(shape.carried());
        for (Shape.Piece piece : shape.created()) {
            if (!piece.building().equals(piece.name())) {
                for (String index : Catalog.indexNames(connection, piece.building())) {
                    String renamed = piece.name().name() + index.substring(Math.min(index.length(), piece.building().name().length()));
                    if (index.startsWith(piece.building().name()) && renamed.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                            <= Sql.MAX_IDENTIFIER_BYTES) {
                        statements.add("ALTER INDEX " + Sql.table(piece.building().sibling(index)) + " RENAME TO " + Sql.identifier(renamed));
                    }
                }
            }
        }
        List<String> pending = new ArrayList<>();
        readdReferences(parent, statements, pending);
        for (TableName created : shape.createdTables()) {
            statements.addAll(sql.triggersOn(created));
        }
        statements.add(ReshapeState.setPhase(table, ReshapeStatus.Phase.SWAPPED));
        if (!pending.isEmpty()) {
            statements.add(ReshapeState.pending(table, pending));
        }
        return statements;
    }

    /**
     * Foreign keys of other tables that reference the table, added again {@code NOT VALID} after the partitions changed
     * (a detach refuses while they point at its rows); their validation goes to {@code pending}, for after the commit.
     */
    private static void readdReferences(TableFacts parent, List<String> statements, List<String> pending) {
        for (TableFacts.Reference reference : parent.referencedBy()) {
            statements.add("ALTER TABLE " + Sql.table(reference.table()) + " ADD CONSTRAINT " + Sql.identifier(reference.constraint()) + " "
                    + reference.definition() + (reference.definition().contains("NOT VALID") ? "" : " NOT VALID"));
            if (reference.validated()) {
                pending.add("ALTER TABLE " + Sql.table(reference.table()) + " VALIDATE CONSTRAINT " + Sql.identifier(reference.constraint()));
            }
        }
    }

    private List<String> cleanupStatements(Shape shape) {
        List<String> statements = new ArrayList<>();
        for (TableName created : shape.createdTables()) {
            statements.addAll(ReshapeSql.dropTriggersOn(created));
        }
        for (TableName retired : shape.retiredTables()) {
            statements.add("DROP TABLE " + Sql.table(retired));
        }
        statements.addAll(dropLog());
        statements.add(ReshapeState.delete(table));
        return statements;
    }

    private List<String> dropLog() {
        return List.of("DROP TABLE IF EXISTS " + Sql.table(ReshapeSql.log(table)),
                "DROP FUNCTION IF EXISTS " + Sql.table(ReshapeSql.logFunction(table)) + "()",
                "DROP FUNCTION IF EXISTS " + Sql.table(ReshapeSql.truncateFunction(table)) + "()");
    }

    /** Reshapes, or resumes the reshape under way (which must be the one asked). */
    public ReshapeStatus run(ReshapeSpec spec) throws SQLException {
        lock();
        String[] doing = {"Preparing the reshape of " + table + " (its new tables, the change log)"};
        try {
            return run(spec, doing);
        } catch (SQLException e) {
            if (Transactions.isLockFailure(e)) {
                throw new PartitioningException(ErrorCode.RESHAPE_FAILED, doing[0] + " could not take its lock within the lock "
                        + "timeout of " + options.lockTimeout().toMillis() + " ms in " + options.attempts() + " attempts: a long "
                        + "transaction holds a lock there (see pg_stat_activity). " + where() + "Fix: run the reshape again once that "
                        + "transaction has ended (it resumes there), or give a longer --lock-timeout if writers can wait that long.", e);
            }
            throw e;
        }
    }

    private String where() {
        try {
            ReshapeStatus status = status();
            return status.phase() == ReshapeStatus.Phase.NONE ? "Nothing was changed. " : "Where it stands: " + status.describe() + ". ";
        } catch (SQLException | RuntimeException unknown) {
            return "";
        }
    }

    private ReshapeStatus run(ReshapeSpec spec, String[] doing) throws SQLException {
        Optional<ReshapeState.Recorded> recorded = recorded();
        String request = request(spec);
        if (recorded.isPresent() && !recorded.get().request().equals(request)) {
            throw new PartitioningException(ErrorCode.RESHAPE_BLOCKED, "Another reshape of " + table + " is under way: "
                    + recorded.get().status().describe() + ". Nothing was changed. Fix: finish it (pgpartition repartition "
                    + recorded.get().request() + ") or roll it back (pgpartition repartition rollback " + ShellWords.tableWord(table) + "), then "
                    + "run this one.");
        }
        if (recorded.isEmpty()) {
            ShapePlanner.Planned planned = plan(spec);
            Shape shape = planned.shape();
            long rows = DataProbes.rowCounts(connection, shape.replacedTables()).values().stream().mapToLong(Long::longValue).sum();
            List<String> prepare = prepareStatements(shape, planned.prepare(), request, Long.toString(rows));
            transactions.retried(() -> prepare);
            progress.step("prepared " + shape.created().size() + " new partition" + (shape.created().size() == 1 ? "" : "s") + " beside "
                    + table + " for: " + shape.description());
            planned.carriedOver().forEach(line -> progress.step("carried over: " + line));
            recorded = recorded();
        } else {
            progress.step("resuming: " + recorded.get().status().describe());
        }
        ReshapeState.Recorded state = recorded.orElseThrow();
        Shape shape = state.shape();
        ReshapeStatus.Phase phase = state.status().phase();
        if (phase == ReshapeStatus.Phase.SWAPPED) {
            validatePending();
            return status();
        }
        if (phase == ReshapeStatus.Phase.PREPARED) {
            doing[0] = "Logging the writes of " + names(shape.replacedTables()) + " (its triggers)";
            Transactions.Outcome outcome = transactions.retried(() -> logStatements(shape));
            progress.step("logging the writes of " + String.join(", ", shape.replacedTables().stream().map(Object::toString).toList())
                    + " (writers waited " + outcome.stall().toMillis() + " ms for the trigger)");
            if (shape.otherDefault() != null) {
                doing[0] = "Proving " + shape.otherDefault() + " holds none of the replaced range (its CHECK " + ShapePlanner.EXCLUDED_CHECK + ")";
                transactions.retried(() -> List.of(validateExcluded(shape)));
                progress.step("proved " + shape.otherDefault() + " holds none of the replaced range (CHECK " + ShapePlanner.EXCLUDED_CHECK
                        + ", validated)");
            }
            transactions.once(List.of(ReshapeState.copied(table, 0, null, 0)));
            phase = ReshapeStatus.Phase.COPYING;
        }
        if (phase == ReshapeStatus.Phase.COPYING) {
            doing[0] = "The copy into the new partitions of " + table;
            copy(recorded().orElseThrow());
            phase = ReshapeStatus.Phase.COPIED;
        }
        if (phase == ReshapeStatus.Phase.COPIED) {
            doing[0] = "The replay and verification of the new partitions of " + table;
            for (TableName building : shape.buildingTables()) {
                transactions.alone("ANALYZE " + Sql.table(building));
            }
            replay(shape, shape.replacedTables(), shape.building(), batchSize);
            verify(shape, shape.replacedTables(), shape.building(), ReshapeStatus.Phase.VERIFIED);
        }
        swap(shape);
        validatePending();
        return status();
    }

    /** The reshape as asked, recorded to refuse resuming it as another. */
    String request(ReshapeSpec spec) {
        String partitions = String.join(" ", spec.partitions().stream().map(p -> ShellWords.tableWord(TableName.of(p.name()))).toList());
        String table = ShellWords.tableWord(this.table);
        return switch (spec.operation()) {
            case SPLIT -> "split " + table + " " + partitions + " --interval " + ShellWords.quote(spec.interval().toString())
                    + " --naming " + ShellWords.quote(spec.naming().pattern());
            case MERGE -> "merge " + table + " " + partitions + spec.name().map(n -> " --name " + ShellWords.quote(n)).orElse("");
            case DRAIN -> "drain " + table + " --interval " + ShellWords.quote(spec.interval().toString()) + " --naming "
                    + ShellWords.quote(spec.naming().pattern());
        };
    }

    private static final String ASYNCHRONOUS_COMMIT = "SET LOCAL synchronous_commit = off";

    private void copy(ReshapeState.Recorded state) throws SQLException {
        Shape shape = state.shape();
        ReshapeSql sql = new ReshapeSql(shape);
        int width = shape.identity().size();
        int[] source = {state.source()};
        List<String>[] after = new List[]{state.lastKey()};
        long[] copied = {state.status().rowsCopied()};
        long total = state.status().rowsTotal();
        long started = System.nanoTime();
        transactions.inTransactions(Connection.TRANSACTION_READ_COMMITTED, () -> {
            while (source[0] < shape.replaced().size()) {
                transactions.alone(ASYNCHRONOUS_COMMIT);
                transactions.alone("SET LOCAL " + GuardSql.BYPASS_SETTING + " = 'on'");
                Object[] result = Jdbc.first(connection, sql.copyBatch(shape.replaced().get(source[0]).name(), after[0], batchSize), rs -> {
                    Object[] row = new Object[1 + width];
                    row[0] = rs.getLong(1);
                    for (int i = 1; i < row.length; i++) {
                        row[i] = rs.getString(i + 1);
                    }
                    return row;
                }).orElseThrow();
                long rows = (Long) result[0];
                if (rows == 0) {
                    source[0]++;
                    after[0] = null;
                    transactions.alone(ReshapeState.copied(table, source[0], null, 0));
                    connection.commit();
                    continue;
                }
                List<String> last = new ArrayList<>();
                for (int i = 1; i < result.length; i++) {
                    last.add((String) result[i]);
                }
                transactions.alone(ReshapeState.copied(table, source[0], last, rows));
                connection.commit();
                after[0] = last;
                copied[0] += rows;
                progress.copied(copied[0], Math.max(total, copied[0]), Duration.ofNanos(System.nanoTime() - started));
                Transactions.sleep(pause.toMillis());
            }
            for (String statement : sql.dropRouter()) {
                transactions.alone(statement);
            }
            transactions.alone(ReshapeState.setPhase(table, ReshapeStatus.Phase.COPIED));
            connection.commit();
        });
        progress.step("copied " + copied[0] + " rows");
    }

    /** Replays the log in rounds of up to a batch of entries, each one REPEATABLE READ transaction, until a round finds fewer than {@code until}. */
    private long replay(Shape shape, List<TableName> sources, List<Shape.Piece> targets, int until) throws SQLException {
        ReshapeSql sql = new ReshapeSql(shape);
        long[] replayed = {0};
        transactions.inTransactions(Connection.TRANSACTION_REPEATABLE_READ, () -> {
            while (true) {
                transactions.alone("SET LOCAL " + GuardSql.BYPASS_SETTING + " = 'on'");
                Object[] round = Jdbc.first(connection, sql.nextRound(batchSize), rs -> new Object[]{rs.getLong(1), rs.getObject(2)})
                        .orElseThrow();
                long entries = (Long) round[0];
                if (entries > 0) {
                    transactions.alone(sql.replay(sources, targets, round[1].toString()));
                }
                connection.commit();
                replayed[0] += entries;
                if (entries < Math.min(until, batchSize)) {
                    return;
                }
            }
        });
        progress.step("replayed " + replayed[0] + " logged change" + (replayed[0] == 1 ? "" : "s"));
        return replayed[0];
    }

    /** Compares, in one snapshot, the rows and checksum of every target with the rows of the sources it should hold. */
    private void verify(Shape shape, List<TableName> sources, List<Shape.Piece> targets, ReshapeStatus.Phase reached) throws SQLException {
        ReshapeSql sql = new ReshapeSql(shape);
        transactions.inTransactions(Connection.TRANSACTION_REPEATABLE_READ, () -> {
            Map<Long, long[]> target = DataProbes.checksums(connection, sql.checksumsOfTargets(targets));
            Map<Long, long[]> source = DataProbes.checksums(connection, sql.checksumsOfSources(sources, targets));
            connection.commit();
            List<String> differences = new ArrayList<>();
            long[] none = source.get(0L);
            if (none != null && none[0] > 0) {
                differences.add(none[0] + " row" + (none[0] == 1 ? "" : "s") + " of " + names(sources) + " meet no new partition's bound");
            }
            long rows = 0;
            for (int i = 0; i < targets.size(); i++) {
                long[] mine = target.getOrDefault((long) i + 1, new long[2]);
                long[] theirs = source.getOrDefault((long) i + 1, new long[2]);
                rows += mine[0];
                if (mine[0] != theirs[0] || mine[1] != theirs[1]) {
                    differences.add(targets.get(i).name() + " holds " + mine[0] + " rows, " + names(sources) + " " + theirs[0]
                            + (mine[0] == theirs[0] ? " (checksums differ)" : ""));
                }
            }
            if (!differences.isEmpty()) {
                throw new PartitioningException(ErrorCode.RESHAPE_FAILED, "The new partitions of " + table + " differ from the ones "
                        + "they replace: " + String.join("; ", differences) + ". Nothing was swapped. A write that bypassed the log "
                        + "trigger (" + ReshapeSql.SYNC_TRIGGER + " disabled by hand, say) is the likely cause. Fix: pgpartition "
                        + "repartition rollback " + ShellWords.tableWord(table) + ", then run the reshape again.");
            }
            transactions.alone(ReshapeState.setPhase(table, reached));
            connection.commit();
            progress.step("verified " + rows + " rows in " + targets.size() + " partition" + (targets.size() == 1 ? "" : "s")
                    + ": counts and checksums match");
        });
    }

    private static String names(List<TableName> tables) {
        return String.join(", ", tables.stream().map(Object::toString).toList());
    }

    private void swap(Shape shape) throws SQLException {
        Transactions swapping = transactions.withLocal("client_min_messages", "debug1");
        Transactions.Outcome outcome;
        try {
            outcome = swapping.retried(() -> {
                awaitAutovacuum(shape);
                replay(shape, shape.replacedTables(), shape.building(), SWAP_READY);
                return swapStatements(shape, TableReader.read(connection, table).orElseThrow());
            });
        } catch (SQLException e) {
            if (Transactions.isLockFailure(e)) {
                throw new PartitioningException(ErrorCode.RESHAPE_FAILED, "The swap of " + table + " could not take its lock within "
                        + "the lock timeout of " + options.lockTimeout().toMillis() + " ms in " + options.attempts() + " attempts: a "
                        + "long transaction holds " + table + " (see pg_stat_activity); each attempt stalled the writers of " + table
                        + " for up to the lock timeout. Nothing was swapped; the new partitions are kept and kept in sync. Fix: run "
                        + "the reshape again once that transaction has ended (it resumes at the swap), or give a longer "
                        + "--lock-timeout if writers can wait that long.", e);
            }
            throw e;
        }
        List<String> scanned = scanned(shape, outcome.notices());
        progress.swapped(outcome.stall());
        progress.step("swapped " + table + ": " + shape.created().size() + " partition" + (shape.created().size() == 1 ? "" : "s")
                + " attached in place of " + shape.replaced().size() + ", " + (scanned.isEmpty() ? "no partition scanned (their CHECKs "
                + "proved the bounds)" : "scanned to check the bounds: " + String.join(", ", scanned)) + "; writers stalled " + outcome.stall().toMillis()
                + " ms" + (outcome.attempts() > 1 ? " after " + (outcome.attempts() - 1) + " attempt" + (outcome.attempts() == 2 ? "" : "s")
                + " that timed out on the lock" : "") + "; the replaced partitions are kept as " + names(shape.retiredTables())
                + " for a rollback until cleanup");
    }

    /**
     * The partitions the attach scanned: those the server's notices do not say were proven by existing constraints
     * ({@code partition constraint for table "x" is implied by existing constraints}, at {@code client_min_messages =
     * debug1}); an attached default partition is always scanned, the default partition left in place when no notice says
     * its updated constraint was implied.
     */
    static List<String> scanned(Shape shape, List<String> notices) {
        List<String> scanned = new ArrayList<>();
        for (Shape.Piece piece : shape.created()) {
            if (piece.isDefault()) {
                scanned.add(piece.name() + " (the new default partition)");
            } else if (!notices.contains("partition constraint for table \"" + piece.name().name() + "\" is implied by existing constraints")) {
                scanned.add(piece.name().toString());
            }
        }
        if (shape.otherDefault() != null && !notices.contains("updated partition constraint for default partition \""
                + shape.otherDefault().name() + "\" is implied by existing constraints")) {
            scanned.add(shape.otherDefault().toString());
        }
        return scanned;
    }

    /** Waits (at most 10 minutes, without queuing for a lock) until no autovacuum worker holds the table or its partitions. */
    private void awaitAutovacuum(Shape shape) throws SQLException {
        List<TableName> tables = new ArrayList<>();
        tables.add(table);
        tables.addAll(shape.buildingTables());
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline && !Catalog.autovacuumHolders(connection, tables).isEmpty()) {
            Transactions.sleep(500);
        }
    }

    private void validatePending() throws SQLException {
        List<String> pending = recorded().map(ReshapeState.Recorded::pending).orElse(null);
        if (pending == null) {
            return;
        }
        for (String statement : pending) {
            transactions.once(List.of(statement, ReshapeState.done(table, statement)));
            progress.step("after the swap: " + statement);
        }
    }

    /**
     * Undoes the reshape. Before the swap, drops the new partitions, the log and the triggers. After it, brings the
     * replaced partitions up to date from the log while the application writes, verifies them, and swaps back.
     */
    public ReshapeStatus rollback() throws SQLException {
        lock();
        ReshapeState.Recorded state = recorded().orElseThrow(() -> new PartitioningException(ErrorCode.RESHAPE_FAILED, "No reshape of "
                + table + " is recorded in " + ReshapeSql.state(table) + ": there is nothing to roll back."));
        Shape shape = state.shape();
        if (state.status().phase() == ReshapeStatus.Phase.SWAPPED) {
            rollbackSwapped(shape);
        } else {
            List<String> statements = new ArrayList<>();
            for (TableName replaced : shape.replacedTables()) {
                statements.addAll(ReshapeSql.dropTriggersOn(replaced));
            }
            statements.add("DROP TABLE IF EXISTS " + Sql.table(ReshapeSql.router(table)));
            for (TableName building : shape.buildingTables()) {
                statements.add("DROP TABLE IF EXISTS " + Sql.table(building));
            }
            if (shape.otherDefault() != null) {
                statements.add("ALTER TABLE " + Sql.table(shape.otherDefault()) + " DROP CONSTRAINT IF EXISTS "
                        + Sql.identifier(ShapePlanner.EXCLUDED_CHECK));
            }
            statements.addAll(dropLog());
            statements.add(ReshapeState.delete(table));
            transactions.retried(() -> statements);
            progress.step("rolled back " + table + " before the swap: the new partitions, the log and its triggers are dropped");
        }
        dropStateTableIfEmpty();
        return status();
    }

    private void rollbackSwapped(Shape shape) throws SQLException {
        List<Shape.Piece> retired = shape.retired();
        List<Shape.Piece> current = shape.created();
        replay(shape, shape.createdTables(), retired, SWAP_READY);
        verify(shape, shape.createdTables(), retired, ReshapeStatus.Phase.SWAPPED);
        for (Shape.Piece piece : retired) {
            if (!piece.isDefault()) {
                transactions.retried(() -> List.of("ALTER TABLE " + Sql.table(piece.name()) + " DROP CONSTRAINT IF EXISTS "
                        + Sql.identifier(PartitionDdl.BOUND_CHECK), "ALTER TABLE " + Sql.table(piece.name()) + " ADD CONSTRAINT "
                        + Sql.identifier(PartitionDdl.BOUND_CHECK) + " CHECK (" + piece.check() + ") NOT VALID"));
                transactions.retried(() -> List.of("ALTER TABLE " + Sql.table(piece.name()) + " VALIDATE CONSTRAINT "
                        + Sql.identifier(PartitionDdl.BOUND_CHECK)));
            }
        }
        if (shape.otherDefault() != null) {
            transactions.retried(() -> List.of("ALTER TABLE " + Sql.table(shape.otherDefault()) + " DROP CONSTRAINT IF EXISTS "
                    + Sql.identifier(ShapePlanner.EXCLUDED_CHECK), "ALTER TABLE " + Sql.table(shape.otherDefault()) + " ADD CONSTRAINT "
                    + Sql.identifier(ShapePlanner.EXCLUDED_CHECK) + " CHECK (" + shape.excluded() + ") NOT VALID"));
            transactions.retried(() -> List.of(validateExcluded(shape)));
        }
        List<String> pending = new ArrayList<>();
        Transactions.Outcome outcome = transactions.withLocal("client_min_messages", "debug1").retried(() -> {
            replay(shape, shape.createdTables(), retired, SWAP_READY);
            ReshapeSql sql = new ReshapeSql(shape);
            TableFacts parent = TableReader.read(connection, table).orElseThrow();
            List<String> statements = new ArrayList<>();
            statements.add("LOCK TABLE " + Sql.table(table) + ", " + String.join(", ", shape.retiredTables().stream().map(Sql::table)
                    .toList()) + " IN ACCESS EXCLUSIVE MODE");
            statements.add(sql.replay(shape.createdTables(), retired, null));
            parent.referencedBy().forEach(r -> statements.add("ALTER TABLE " + Sql.table(r.table()) + " DROP CONSTRAINT "
                    + Sql.identifier(r.constraint())));
            for (Shape.Piece piece : current) {
                statements.addAll(ReshapeSql.dropTriggersOn(piece.name()));
                statements.add(PartitionDdl.detach(table, piece.name(), false));
                statements.add("DROP TABLE " + Sql.table(piece.name()));
            }
            for (Shape.Piece piece : retired) {
                if (!piece.building().equals(piece.name())) {
                    statements.add("ALTER TABLE " + Sql.table(piece.name()) + " RENAME TO " + Sql.identifier(piece.building().name()));
                }
                statements.add("ALTER TABLE " + Sql.table(table) + " ATTACH PARTITION " + Sql.table(piece.building()) + " " + piece.forValues());
                if (!piece.isDefault()) {
                    statements.add("ALTER TABLE " + Sql.table(piece.building()) + " DROP CONSTRAINT " + Sql.identifier(PartitionDdl.BOUND_CHECK));
                }
            }
            if (shape.otherDefault() != null) {
                statements.add("ALTER TABLE " + Sql.table(shape.otherDefault()) + " DROP CONSTRAINT " + Sql.identifier(ShapePlanner.EXCLUDED_CHECK));
            }
            statements.addAll(shape.restored());
            pending.clear();
            readdReferences(parent, statements, pending);
            statements.addAll(dropLog());
            statements.add(ReshapeState.delete(table));
            return statements;
        });
        progress.swapped(outcome.stall());
        progress.step("rolled back " + table + ": " + names(shape.replacedTables()) + " attached again, writers stalled "
                + outcome.stall().toMillis() + " ms");
        for (String statement : pending) {
            transactions.once(List.of(statement));
            progress.step("after the rollback: " + statement);
        }
    }

    /** Ends a swapped reshape: the replaced partitions, the log and its triggers dropped. */
    public ReshapeStatus cleanup() throws SQLException {
        lock();
        ReshapeState.Recorded state = recorded().orElse(null);
        if (state == null || state.status().phase() != ReshapeStatus.Phase.SWAPPED) {
            throw new PartitioningException(ErrorCode.RESHAPE_FAILED, "The reshape of " + table + " is " + (state == null ? "not recorded"
                    : "not swapped yet (" + state.status().phase().name().toLowerCase() + ")") + ": cleanup drops the replaced "
                    + "partitions only after the swap. Fix: pgpartition repartition " + (state == null ? "split|merge|drain to reshape"
                    : state.request() + " to finish it, or pgpartition repartition rollback " + ShellWords.tableWord(table) + " to undo it") + ".");
        }
        validatePending();
        Shape shape = state.shape();
        transactions.retried(() -> cleanupStatements(shape));
        progress.step("cleaned up " + table + ": dropped " + names(shape.retiredTables()) + ", the change log and its triggers");
        dropStateTableIfEmpty();
        return status();
    }

    private void dropStateTableIfEmpty() throws SQLException {
        TableName state = ReshapeSql.state(table);
        transactions.inTransactions(Connection.TRANSACTION_READ_COMMITTED, () -> {
            if (Catalog.ownsTable(connection, state)) {
                transactions.alone("LOCK TABLE " + Sql.table(state) + " IN ACCESS EXCLUSIVE MODE");
                if (DataProbes.isEmpty(connection, state)) {
                    transactions.alone("DROP TABLE " + Sql.table(state));
                }
            }
            connection.commit();
        });
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
