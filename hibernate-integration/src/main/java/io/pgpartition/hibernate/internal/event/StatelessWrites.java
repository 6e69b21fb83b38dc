package io.pgpartition.hibernate.internal.event;

import io.pgpartition.hibernate.internal.HibernateVersion;
import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.ddl.internal.Sql;
import org.hibernate.event.spi.PreUpdateEvent;
import org.hibernate.event.spi.PreUpdateEventListener;
import org.hibernate.StaleObjectStateException;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.event.spi.PreDeleteEvent;
import org.hibernate.event.spi.PreDeleteEventListener;
import org.hibernate.event.spi.PreUpsertEvent;
import org.hibernate.event.spi.PreUpsertEventListener;
import org.hibernate.persister.entity.EntityPersister;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@code StatelessSession} writes that Hibernate itself cannot run on an entity whose key attribute carries its
 * partition-key flag (Hibernate ORM 7.4: {@code delete} fails with a {@code NullPointerException} on the missing
 * loaded state, {@code upsert} names the key column twice). A delete is run here instead, by identifier, key and
 * version; an upsert is refused with a message that says what to use.
 */
public final class StatelessWrites implements PreDeleteEventListener, PreUpsertEventListener, PreUpdateEventListener {

    /**
     * Whether the running Hibernate fails a {@code StatelessSession#update} of an entity whose key carries the
     * partition-key flag (7.2 and 7.3: a {@code NullPointerException} in {@code AbstractMutationCoordinator} on the
     * missing loaded state; 7.4 runs it). Read once from {@link HibernateVersion}, the version the jar on the class path reports.
     */
    public static final boolean STATELESS_UPDATE_BROKEN = HibernateVersion.olderThan(HibernateVersion.RUNNING, 7, 4);

    private final Map<String, KeyAccess> byEntityName;

    public StatelessWrites(Map<String, KeyAccess> byEntityName) {
        this.byEntityName = Map.copyOf(byEntityName);
    }

    /** The key attributes that carry the partition-key flag: those outside the identifier. */
    private static List<KeyAccess.Key> flaggedKeys(KeyAccess access, EntityPersister persister) {
        return access.allKeys().stream().filter(key -> !key.inIdentifier(persister)).toList();
    }

    @Override
    public boolean onPreDelete(PreDeleteEvent event) {
        SharedSessionContractImplementor session = event.getSession();
        EntityPersister persister = event.getPersister();
        KeyAccess access = byEntityName.get(persister.getEntityName());
        if (!session.isStateless() || access == null || flaggedKeys(access, persister).isEmpty()) {
            return false;
        }
        if (persister.hasOwnedCollections() || persister.hasMultipleTables() || persister.canWriteToCache()) {
            throw new PartitioningException(ErrorCode.OPERATION_UNSUPPORTED, "Cannot delete " + access.entity()
                    + " with id " + event.getId() + " through a StatelessSession: Hibernate cannot delete a partitioned entity "
                    + "there, and one with collections, secondary tables or second-level caching is not deleted in its place. "
                    + "Delete it through a Session, or with a query naming the partition key: delete from "
                    + access.entity() + " where id = :id and " + flaggedKeys(access, persister).get(0).attribute() + " = :key");
        }
        delete(session, persister, access, event.getEntity(), event.getId());
        return true;
    }

    /** {@code DELETE FROM table WHERE id = ? AND key = ? [AND version = ?]}, bound through Hibernate's own types. */
    private static void delete(SharedSessionContractImplementor session, EntityPersister persister, KeyAccess access,
                               Object entity, Object id) {
        List<String> conditions = KeyedRow.identifierConditions(persister);
        List<KeyAccess.Key> keys = flaggedKeys(access, persister);
        for (KeyAccess.Key key : keys) {
            conditions.add(Sql.identifier(key.column()) + " = ?");
        }
        Object version = persister.isVersioned() ? persister.getVersion(entity) : null;
        if (version != null) {
            conditions.add(persister.getVersionColumnName() + " = ?");
        }
        String sql = "delete from " + Sql.table(access.table()) + " where " + String.join(" and ", conditions);
        var jdbc = session.getJdbcCoordinator();
        PreparedStatement statement = jdbc.getStatementPreparer().prepareStatement(sql);
        try {
            int index = KeyedRow.bind(statement, persister, id, keys, keys.stream().map(key -> key.read(entity)).toArray(), session);
            if (version != null) {
                persister.getVersionType().nullSafeSet(statement, version, index, session);
            }
            int rows = jdbc.getResultSetReturn().executeUpdate(statement, sql);
            if (rows == 0) {
                throw new StaleObjectStateException(persister.getEntityName(), id);
            }
        } catch (SQLException e) {
            throw session.getJdbcServices().getSqlExceptionHelper().convert(e, "could not delete " + access.entity(), sql);
        } finally {
            jdbc.getLogicalConnection().getResourceRegistry().release(statement);
            jdbc.afterStatementExecution();
        }
    }

    /** On a Hibernate that cannot run it ({@link #STATELESS_UPDATE_BROKEN}), a stateless update is refused with the way out. */
    @Override
    public boolean onPreUpdate(PreUpdateEvent event) {
        EntityPersister persister = event.getPersister();
        KeyAccess access = byEntityName.get(persister.getEntityName());
        if (!event.getSession().isStateless() || access == null || flaggedKeys(access, persister).isEmpty()) {
            return false;
        }
        throw new PartitioningException(ErrorCode.OPERATION_UNSUPPORTED, "Cannot update " + access.entity() + " with id "
                + event.getId() + " through a StatelessSession on Hibernate " + HibernateVersion.RUNNING + ": that version fails "
                + "on the partition key's flag (a NullPointerException in AbstractMutationCoordinator), 7.4 runs it. Update it "
                + "through a Session, or with a query naming the partition key: update " + access.entity() + " set ... where id = "
                + ":id and " + flaggedKeys(access, persister).get(0).attribute() + " = :key, or move to Hibernate 7.4.");
    }

    @Override
    public boolean onPreUpsert(PreUpsertEvent event) {
        EntityPersister persister = event.getPersister();
        KeyAccess access = byEntityName.get(persister.getEntityName());
        if (access != null && !flaggedKeys(access, persister).isEmpty()) {
            throw new PartitioningException(ErrorCode.OPERATION_UNSUPPORTED, "Cannot upsert " + access.entity() + " with id "
                    + event.getId() + " through a StatelessSession: Hibernate names partition key column "
                    + flaggedKeys(access, persister).get(0).column() + " of " + access.table() + " twice in the statement it "
                    + "builds, which PostgreSQL refuses. Use insert() for a new row and update() for a stored one, or a native "
                    + "INSERT ... ON CONFLICT (...) DO UPDATE that leaves the key column out of its SET list.");
        }
        return false;
    }
}
