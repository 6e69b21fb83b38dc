package io.pgpartition.hibernate.internal.event;

import org.hibernate.FlushMode;
import org.hibernate.HibernateException;
import org.hibernate.engine.spi.EntityKey;
import org.hibernate.event.spi.EventSource;
import org.hibernate.event.spi.MergeContext;
import org.hibernate.event.spi.MergeEvent;
import org.hibernate.event.spi.MergeEventListener;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.proxy.HibernateProxy;
import org.hibernate.query.SelectionQuery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Before Hibernate merges a detached partitioned entity, loads its row by identifier and partition key, so that the
 * load Hibernate would send by the identifier alone (which reads every partition) finds the row already in the session.
 * Where the row is not found that way (the detached copy carries a changed key, or the row is gone), Hibernate's own
 * load runs as it would without pgpartition, and the key guard judges the change. Left alone: entities whose identifier
 * holds the key (Hibernate's load names it), entities read through the second-level cache, proxies.
 */
public final class KeyedMergeLoad implements MergeEventListener {

    private final Map<String, KeyAccess> keys;

    public KeyedMergeLoad(Map<String, KeyAccess> keys) {
        this.keys = Map.copyOf(keys);
    }

    @Override
    public void onMerge(MergeEvent event) throws HibernateException {
        preload(event);
    }

    @Override
    public void onMerge(MergeEvent event, MergeContext copiedAlready) throws HibernateException {
        preload(event);
    }

    private void preload(MergeEvent event) {
        Object original = event.getOriginal();
        if (original == null || original instanceof HibernateProxy) {
            return;
        }
        EventSource session = event.getSession();
        String entityName = event.getEntityName() != null ? event.getEntityName() : session.guessEntityName(original);
        KeyAccess access = keys.get(entityName);
        if (access == null || session.getPersistenceContextInternal().getEntry(original) != null) {
            return;
        }
        EntityPersister persister = session.getEntityPersister(entityName, original);
        Object id = persister.getIdentifier(original, session);
        if (id == null || persister.canReadFromCache() || access.keys().stream().anyMatch(key -> key.inIdentifier(persister))) {
            return;
        }
        EntityKey entityKey = session.generateEntityKey(id, persister);
        if (session.getPersistenceContextInternal().getEntity(entityKey) != null) {
            return;
        }
        List<KeyAccess.Key> routing = new ArrayList<>(access.keys());
        access.distributionKeys().stream().filter(key -> !key.inIdentifier(persister)).forEach(routing::add);
        List<Object> values = new ArrayList<>();
        for (KeyAccess.Key key : routing) {
            Object value = key.read(original);
            if (value == null) {
                return;
            }
            values.add(value);
        }
        SelectionQuery<?> query = session.createSelectionQuery(
                        KeyedQuery.text(access.entity(), routing.stream().map(KeyAccess.Key::attribute).toList()), persister.getMappedClass())
                .setParameter("id", id).setHibernateFlushMode(FlushMode.MANUAL);
        for (int i = 0; i < values.size(); i++) {
            query.setParameter(KeyedQuery.parameter(i), values.get(i));
        }
        query.getResultList();
    }
}
