package io.pgpartition.pruning.internal;

import io.pgpartition.UnprunedStatementException;
import io.pgpartition.model.TableName;
import io.pgpartition.pruning.FullScan;
import io.pgpartition.pruning.PruningProbe;
import io.pgpartition.pruning.StatementScan;
import io.pgpartition.pruning.TableScan;
import io.pgpartition.pruning.UnprunedStatement;
import io.pgpartition.pruning.UnprunedStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Looks at each distinct statement text once, the first time it runs, with the parameter values of that run: explains
 * it on the same connection (see {@link PruningProbe}) and keeps the verdict; an unpruned statement is then logged
 * once ({@link Mode#LOG}) or refused each time it runs ({@link Mode#FAIL}), unless it runs inside
 * {@link FullScan#intended} or carries the full-scan comment, and is told to the open {@link UnprunedStatements}
 * watches in any mode.
 */
public final class Sentinel {

    private static final Logger LOG = LoggerFactory.getLogger(Sentinel.class);

    /** SQLState 25P02: the transaction has failed and ignores commands until it ends. */
    private static final String IN_FAILED_TRANSACTION = "25P02";

    /** Verdicts kept; when this many are kept, the next new text starts afresh. */
    static final int KEPT = 4096;

    /** What the sentinel does with an unpruned statement. */
    public enum Mode {
        /** Nothing, unless a test watches. */
        OFF,
        /** Logs it at WARN, once per text. */
        LOG,
        /** Refuses it with {@link UnprunedStatementException}. */
        FAIL
    }

    /** The entity mapped to a partitioned table, and its partition key attributes, for the report's fix. */
    public record MappedTable(String entity, List<String> keyAttributes) {
    }

    /** A verdict: the unpruned statement, or none; and whether it has been logged. */
    private record Verdict(Optional<UnprunedStatement> unpruned, AtomicBoolean logged) {
        static final Verdict PRUNED = new Verdict(Optional.empty(), new AtomicBoolean(true));
    }

    private final Mode mode;
    private final Function<TableName, Optional<MappedTable>> mapped;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    private final AtomicLong explained = new AtomicLong();

    public Sentinel(Mode mode, Function<TableName, Optional<MappedTable>> mapped) {
        this.mode = mode;
        this.mapped = mapped;
    }

    /** Whether statements are looked at now: in {@code log} or {@code fail} mode, or while a test watches. */
    public boolean active() {
        return mode != Mode.OFF || UnprunedStatements.watching();
    }

    /** Whether the text has not been judged yet, so that its parameter values must be recorded for its first run. */
    public boolean unjudged(String sql) {
        return active() && !verdicts.containsKey(sql);
    }

    /** The distinct statement texts judged so far (explained, or seen to need no explaining). */
    public java.util.Set<String> judged() {
        return java.util.Set.copyOf(verdicts.keySet());
    }

    /** How many statements have been explained. */
    public long explained() {
        return explained.get();
    }

    /**
     * Called before {@code sql} runs on {@code connection} (the driver's own, so that explaining it passes no guard):
     * judges a text not seen before, then reports or refuses an unpruned one. A text not seen before whose parameter
     * values were not recorded ({@code parameters} null: the statement was prepared before anyone watched) is judged
     * the next time it is prepared.
     *
     * @throws UnprunedStatementException in {@link Mode#FAIL} for an unpruned statement not meant to scan every partition
     */
    public void beforeRun(Connection connection, String sql, RecordedParameters parameters) {
        if (!active()) {
            return;
        }
        Verdict verdict = verdicts.get(sql);
        boolean judgedNow = verdict == null;
        if (verdict == null) {
            if (parameters == null) {
                return;
            }
            verdict = judge(connection, sql, parameters);
            if (verdict == null) {
                return;
            }
            if (verdicts.size() >= KEPT) {
                verdicts.clear();
            }
            verdicts.put(sql, verdict);
        }
        if (verdict.unpruned().isEmpty() || FullScan.isIntended()) {
            return;
        }
        // the same text may run from another line: a report that someone reads names the line of this run
        UnprunedStatement first = verdict.unpruned().get();
        UnprunedStatement unpruned = judgedNow || mode == Mode.LOG && !UnprunedStatements.watching()
                ? first : report(sql, first.tables(), Origin.here());
        UnprunedStatements.report(unpruned);
        if (mode == Mode.FAIL) {
            throw new UnprunedStatementException(unpruned);
        }
        if (mode == Mode.LOG && verdict.logged().compareAndSet(false, true)) {
            LOG.warn("{}", unpruned.message());
        }
    }

    /** The verdict on a new text; null when it cannot be given now (the transaction has failed). */
    private Verdict judge(Connection connection, String sql, RecordedParameters parameters) {
        if (StatementShape.fullScanMarked(sql) || !StatementShape.explainable(sql)) {
            return Verdict.PRUNED;
        }
        Origin origin = Origin.here();
        StatementScan scan;
        try {
            explained.incrementAndGet();
            scan = PruningProbe.explain(connection, sql, parameters);
        } catch (SQLException e) {
            if (IN_FAILED_TRANSACTION.equals(e.getSQLState())) {
                return null;
            }
            LOG.warn("pgpartition: cannot explain {} to tell whether it is pruned, so it is not checked: {}", sql, e.getMessage());
            return Verdict.PRUNED;
        } catch (RuntimeException e) {
            LOG.warn("pgpartition: cannot explain {} to tell whether it is pruned, so it is not checked: {}", sql, e.toString());
            return Verdict.PRUNED;
        }
        List<TableScan> unpruned = scan.unpruned(origin.kind().singleRow());
        if (unpruned.isEmpty()) {
            return Verdict.PRUNED;
        }
        return new Verdict(Optional.of(report(sql, unpruned, origin)), new AtomicBoolean(false));
    }

    /** The report of an unpruned statement: what produced it, and the fix that fits. */
    UnprunedStatement report(String sql, List<TableScan> tables, Origin origin) {
        TableScan first = tables.get(0);
        Optional<MappedTable> entity = mapped.apply(first.table());
        String subject = entity.map(MappedTable::entity).orElse(first.table().toString());
        String keys = entity.map(m -> String.join(", ", m.keyAttributes())).orElse(first.keyColumns());
        String what = origin.kind() + (origin.kind() == Origin.Kind.STATEMENT || origin.kind() == Origin.Kind.QUERY
                || origin.kind() == Origin.Kind.NATIVE_QUERY ? "" : " of " + subject)
                + (origin.through().isEmpty() ? "" : " " + origin.through());
        return new UnprunedStatement(sql, tables, what, origin.callSite(), fix(origin, subject, keys, tables));
    }

    private static String fix(Origin origin, String subject, String keys, List<TableScan> tables) {
        String columns = tables.stream().map(TableScan::keyColumns).distinct().collect(Collectors.joining(", "));
        String change = switch (origin.kind()) {
            case ENTITY_LOAD, ENTITY_BATCH_LOAD -> origin.through().contains("association")
                    ? "join the association on the partition key too (@JoinColumns naming the identifier's and the partition key's "
                    + "columns " + columns + ", the referencing table keeping both), or load " + subject
                    + " with PartitionedFinder.find(em, " + subject + ".class, id, " + keys + ")"
                    : "load " + subject + " with PartitionedFinder.find(em, " + subject + ".class, id, " + keys
                    + ") instead of by its identifier alone";
            case COLLECTION_LOAD, COLLECTION_UPDATE -> "join the collection on the partition key too (@JoinColumns naming "
                    + columns + " besides the owner's identifier), or read its elements with a query that names " + columns;
            case ENTITY_UPDATE, ENTITY_DELETE -> "declare every level of the partition key of " + subject
                    + " (@PartitionedBy, @SubPartitionedBy) so that its updates and deletes name " + columns;
            default -> "add a condition on " + columns + " to its WHERE clause (an equality, a range or an IN list "
                    + "PostgreSQL can prune with)";
        };
        return change + ". If reading every partition is meant, run it inside FullScan.intended(...) or put the comment "
                + "/* " + StatementShape.FULL_SCAN_MARK + " */ in its SQL.";
    }
}
