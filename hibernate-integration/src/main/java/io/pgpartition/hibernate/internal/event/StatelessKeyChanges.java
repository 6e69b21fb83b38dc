package io.pgpartition.hibernate.internal.event;

import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.ddl.internal.Sql;
import org.hibernate.StaleStateException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.PostUpdateEvent;
import org.hibernate.event.spi.PostUpdateEventListener;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.jdbc.Expectation;
import org.hibernate.metamodel.mapping.JdbcMapping;
import org.hibernate.persister.entity.EntityPersister;

import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@code StatelessSession#update} of an entity whose partition key was changed, refused as the key change it is.
 * <p>
 * A stateless session keeps no loaded state, so the change cannot be seen before the statement: Hibernate's UPDATE
 * names the new key in its WHERE clause and matches no row. Each stateless update is noted on its thread (identifier
 * and key) and, only when an update of a partitioned entity matches no row, its row-count check asks the table for
 * the row stored under that identifier: a row stored under another key is refused with a
 * {@link PartitionKeyChangedException} naming the stored and the new value instead of Hibernate's
 * {@code StaleObjectStateException}. An update that succeeds costs one note and no statement.
 * <p>
 * Hibernate ORM 7.4 ignores what the row-count check of an unbatched statement throws unless it is a
 * {@code StaleStateException}; the refusal is then thrown again from the update's post-update event, before the
 * caller sees the update succeed. An entity with collections of its own is asked before its update instead, because
 * Hibernate rewrites those collections before the post-update event.
 */
public final class StatelessKeyChanges implements PreUpdateEventListener, PostUpdateEventListener {

    /** How many stateless updates a thread remembers: enough for the batches people run; older ones are forgotten. */
    static final int REMEMBERED = 256;

    private static final ThreadLocal<Deque<Noted>> NOTED = ThreadLocal.withInitial(ArrayDeque::new);

    /** A refusal found by an unbatched row-count check, thrown from the post-update event of the same update. */
    private static final ThreadLocal<PartitionKeyChangedException> REFUSED = new ThreadLocal<>();

    /** Whether any stateless update was ever noted: until then a Session's update costs nothing here. */
    private static volatile boolean anyNoted;

    private final Map<String, KeyAccess> byEntityName;

    public StatelessKeyChanges(Map<String, KeyAccess> byEntityName) {
        this.byEntityName = Map.copyOf(byEntityName);
    }

    /** One stateless update on its way: which row of which entity it names, and with which key. */
    private record Noted(String entityName, EntityPersister persister, KeyAccess access, List<KeyAccess.Key> keys,
                         Object id, Object[] keyValues, WeakReference<SharedSessionContractImplementor> session) {
    }

    @Override
    public boolean onPreUpdate(PreUpdateEvent event) {
        SharedSessionContractImplementor session = event.getSession();
        if (!session.isStateless()) {
            if (anyNoted) {
                NOTED.get().clear();
            }
            return false;
        }
        EntityPersister persister = event.getPersister();
        KeyAccess access = byEntityName.get(persister.getEntityName());
        if (access == null) {
            return false;
        }
        List<KeyAccess.Key> keys = access.allKeys().stream().filter(key -> !key.inIdentifier(persister)).toList();
        if (keys.isEmpty()) {
            return false;
        }
        Object[] values = new Object[keys.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = keys.get(i).read(event.getEntity());
        }
        Noted noted = new Noted(persister.getEntityName(), persister, access, keys, event.getId(), values,
                new WeakReference<>(session));
        REFUSED.remove();
        if (persister.hasOwnedCollections()) {
            PartitionKeyChangedException refusal;
            try {
                refusal = keyChange(session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection(), noted, session);
            } catch (SQLException e) {
                throw session.getJdbcServices().getSqlExceptionHelper().convert(e,
                        "could not read the stored partition key of " + access.entity() + " with id " + event.getId());
            }
            if (refusal != null) {
                throw refusal;
            }
            return false;
        }
        Deque<Noted> all = NOTED.get();
        if (all.size() == REMEMBERED) {
            all.removeFirst();
        }
        all.addLast(noted);
        anyNoted = true;
        return false;
    }

    /** Throws the refusal that the unbatched row-count check of this update found (see the class comment). */
    @Override
    public void onPostUpdate(PostUpdateEvent event) {
        if (!anyNoted || !event.getSession().isStateless()) {
            return;
        }
        PartitionKeyChangedException refusal = REFUSED.get();
        if (refusal != null) {
            REFUSED.remove();
            throw refusal;
        }
    }

    @Override
    public boolean requiresPostCommitHandling(EntityPersister persister) {
        return false;
    }

    /**
     * The row-count check for updates of {@code entityName}: Hibernate's own ({@code original}, or its default), and
     * on a row-count failure the question whether a stateless update changed the key.
     */
    public static Supplier<Expectation> expectation(String entityName, Supplier<? extends Expectation> original) {
        return () -> new KeyChangeCheck(entityName, original == null ? new Expectation.RowCount() : original.get());
    }

    /** The refusal of a noted update whose row is stored under another key; null when no such row is stored. */
    private static PartitionKeyChangedException keyChange(Connection connection, Noted noted,
                                                          SharedSessionContractImplementor session) throws SQLException {
        Object[] stored = storedKey(connection, noted, session);
        if (stored == null) {
            return null;
        }
        int changed = 0;
        while (changed < stored.length - 1 && Objects.equals(stored[changed], noted.keyValues[changed])) {
            changed++;
        }
        return new PartitionKeyChangedException(noted.access.entity(), noted.id, noted.keys.get(changed).attribute(),
                stored[changed], noted.keyValues[changed]);
    }

    /**
     * The key of the row stored under the noted identifier when it is not the noted key (the server compares, as it
     * compares in the UPDATE); null when no such row is stored.
     */
    private static Object[] storedKey(Connection connection, Noted noted, SharedSessionContractImplementor session)
            throws SQLException {
        EntityPersister persister = noted.persister;
        List<String> columns = new ArrayList<>();
        List<String> distinct = new ArrayList<>();
        for (KeyAccess.Key key : noted.keys) {
            columns.add(Sql.identifier(key.column()));
            distinct.add(Sql.identifier(key.column()) + " IS DISTINCT FROM ?");
        }
        List<String> conditions = KeyedRow.identifierConditions(persister);
        String sql = "SELECT " + String.join(", ", columns) + " FROM " + Sql.table(noted.access.table()) + " WHERE "
                + String.join(" AND ", conditions) + " AND (" + String.join(" OR ", distinct) + ")";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            KeyedRow.bind(select, persister, noted.id, noted.keys, noted.keyValues, session);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return null;
                }
                Object[] stored = new Object[noted.keys.size()];
                for (int i = 0; i < stored.length; i++) {
                    JdbcMapping mapping = persister.findAttributeMapping(noted.keys.get(i).attribute()).getSingleJdbcMapping();
                    stored[i] = mapping.convertToDomainValue(mapping.getJdbcValueExtractor().extract(rows, i + 1, session));
                }
                return stored;
            }
        }
    }

    /** Hibernate's row-count check with the key-change question asked when it fails. */
    private static final class KeyChangeCheck implements Expectation {

        private final String entityName;
        private final Expectation delegate;

        KeyChangeCheck(String entityName, Expectation delegate) {
            this.entityName = entityName;
            this.delegate = delegate;
        }

        @Override
        public boolean canBeBatched() {
            return delegate.canBeBatched();
        }

        @Override
        public int getNumberOfParametersUsed() {
            return delegate.getNumberOfParametersUsed();
        }

        @Override
        public int prepare(PreparedStatement statement) throws SQLException {
            return delegate.prepare(statement);
        }

        @Override
        public void validate(boolean callable) {
            delegate.validate(callable);
        }

        @Override
        public void verifyOutcome(int rowCount, PreparedStatement statement, int batchPosition, String sql) throws SQLException {
            boolean single = batchPosition < 0;
            try {
                delegate.verifyOutcome(rowCount, statement, batchPosition, sql);
            } catch (StaleStateException stale) {
                if (rowCount == 0 && anyNoted) {
                    PartitionKeyChangedException refusal = refusal(statement, single);
                    if (refusal != null) {
                        if (single) {
                            REFUSED.set(refusal);
                        }
                        throw refusal;
                    }
                }
                throw stale;
            } finally {
                if (single && anyNoted) {
                    forget();
                }
            }
        }

        /**
         * Of the stateless updates of this entity noted on this thread through the statement's connection (the last
         * one alone when the statement ran unbatched: the one that just ran), the first whose row is stored under
         * another key, refused; null when there is none.
         */
        private PartitionKeyChangedException refusal(PreparedStatement statement, boolean single) throws SQLException {
            Connection connection = statement.getConnection();
            for (Iterator<Noted> it = NOTED.get().descendingIterator(); it.hasNext(); ) {
                Noted noted = it.next();
                if (!noted.entityName.equals(entityName)) {
                    continue;
                }
                SharedSessionContractImplementor session = noted.session.get();
                if (session != null && !session.isClosed()
                        && session.getJdbcCoordinator().getLogicalConnection().isPhysicallyConnected()
                        && session.getJdbcCoordinator().getLogicalConnection().getPhysicalConnection() == connection) {
                    PartitionKeyChangedException refusal = keyChange(connection, noted, session);
                    if (refusal != null) {
                        it.remove();
                        return refusal;
                    }
                }
                if (single) {
                    return null;
                }
            }
            return null;
        }

        /** After an unbatched update of this entity ran, its notes are done with. */
        private void forget() {
            NOTED.get().removeIf(noted -> noted.entityName.equals(entityName));
        }
    }
}
